"""A share's parts: from a ``,part,part,`` text (found with ``LIKE``) to a bit mask (found with a bit
test), and an index for the visibility join. Current and historical rows are converted, both ways.
"""

from django.db import migrations, models

import haven.access.scope

# The bit order as this migration knows it (haven.access.scope.PART_BITS_ORDER, which never reorders).
PART_BITS_ORDER = ("summary", "identity", "documents", "facts", "statements", "psychosocial", "shelter", "justice")
BIT = {part: 1 << position for position, part in enumerate(PART_BITS_ORDER)}
MODELS = ("CaseShare", "HistoricalCaseShare")


def to_mask(apps, schema_editor):
    alias = schema_editor.connection.alias
    for name in MODELS:
        model = apps.get_model("cases", name)
        for text in model.objects.using(alias).values_list("parts", flat=True).distinct():
            parts = {part for part in (text or "").split(",") if part}
            unknown = parts - set(BIT)
            if unknown:
                raise ValueError(f"cases.{name}.parts holds unknown part(s) {sorted(unknown)}: correct those rows, "
                                 "then migrate again")
            mask = sum(BIT[part] for part in parts)
            model.objects.using(alias).filter(parts=text).update(parts_mask=mask)


def to_text(apps, schema_editor):
    alias = schema_editor.connection.alias
    for name in MODELS:
        model = apps.get_model("cases", name)
        for mask in model.objects.using(alias).values_list("parts_mask", flat=True).distinct():
            parts = sorted(part for part, bit in BIT.items() if mask & bit)
            text = "," + ",".join(parts) + "," if parts else ""
            model.objects.using(alias).filter(parts_mask=mask).update(parts=text)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_timeline_events")]
    operations = [
        migrations.AddField(
            model_name="caseshare",
            name="parts_mask",
            field=haven.access.scope.PartsMaskField(
                default=0, help_text="One bit per part, in haven.access.scope.PART_BITS_ORDER (see part_set).",
                verbose_name="parts"),
        ),
        migrations.AddField(
            model_name="historicalcaseshare",
            name="parts_mask",
            field=haven.access.scope.PartsMaskField(
                default=0, help_text="One bit per part, in haven.access.scope.PART_BITS_ORDER (see part_set).",
                verbose_name="parts"),
        ),
        migrations.RunPython(to_mask, to_text),
        # A default for the text column, so that going back can add it again to tables holding rows.
        *[migrations.AlterField(model_name=name, name="parts", field=models.CharField(
            "parts", max_length=200, default="", help_text="Stored as ,part,part, (see part_set).")) for name in
          ("caseshare", "historicalcaseshare")],
        migrations.RemoveField(model_name="caseshare", name="parts"),
        migrations.RemoveField(model_name="historicalcaseshare", name="parts"),
        migrations.AddIndex(
            model_name="caseshare",
            index=models.Index(fields=["organisation", "revoked_at", "case"], name="case_share_visibility"),
        ),
    ]
