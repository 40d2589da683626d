"""The procedure's facts become rows (``CaseFact``) instead of two date columns of ``Case``.

Existing dates become facts and back; the stored procedures (``Procedure.spec``) are rewritten the
same way: ``sets: complaint_filed_on`` becomes ``sets: [complaint_filed]``, the facts are declared
under ``facts:``, and the rule "one confirmation admits one new document", which the engine used to
apply by itself, becomes ``clears: [magistrate_confirmed]`` on the transitions that need it. Going
back only converts these two facts: a fact added since has no column to return to.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# column of Case -> (fact, the action that set it in the bundled profiles: its step names the organisation)
COLUMNS = {"complaint_filed_on": ("complaint_filed", "file_complaint"),
           "magistrate_confirmed_on": ("magistrate_confirmed", "magistrate_confirms")}
CONSUMED = "magistrate_confirmed"
FACT_NAMES = {
    "complaint_filed": {
        "en": "the person filed a complaint or made statements",
        "fr": "la personne a porté plainte ou fait des déclarations",
        "nl": "de persoon heeft klacht ingediend of verklaringen afgelegd",
        "de": "die Person hat Anzeige erstattet oder Aussagen gemacht"},
    "magistrate_confirmed": {
        "en": "the magistrate confirmed the case since the last document",
        "fr": "le magistrat a confirmé le dossier depuis le dernier document",
        "nl": "de magistraat heeft het dossier bevestigd sinds het laatste document",
        "de": "der Magistrat hat den Fall seit dem letzten Dokument bestätigt"},
}


def _as_list(value) -> list:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def spec_to_facts(spec: dict) -> dict:
    spec = dict(spec)
    transitions, used = [], set()
    for t in spec.get("transitions") or []:
        t = dict(t)
        sets = [COLUMNS.get(name, (name,))[0] for name in _as_list(t.get("sets"))]
        if sets:
            t["sets"] = sets
        requires = [name.removeprefix("not ") for name in t.get("requires") or []]
        conditions = [*requires, *(name.removeprefix("not ") for name in t.get("requires_any") or [])]
        used.update(sets, (name for name in conditions if name in FACT_NAMES))
        if CONSUMED in requires and CONSUMED not in sets and CONSUMED not in _as_list(t.get("clears")):
            t["clears"] = [*_as_list(t.get("clears")), CONSUMED]
        transitions.append(t)
    spec["transitions"] = transitions
    facts = dict(spec.get("facts") or {})
    for name in sorted(used & set(FACT_NAMES)):
        facts.setdefault(name, {"name": FACT_NAMES[name]})
    if facts:
        spec["facts"] = facts
    return spec


def spec_to_columns(spec: dict) -> dict:
    spec = dict(spec)
    by_fact = {fact: column for column, (fact, _action) in COLUMNS.items()}
    transitions = []
    for t in spec.get("transitions") or []:
        t = dict(t)
        sets = [by_fact.get(name, name) for name in _as_list(t.get("sets"))]
        if sets:
            t["sets"] = sets[0] if len(sets) == 1 else sets
        clears = [name for name in _as_list(t.get("clears")) if name != CONSUMED]
        if clears:
            t["clears"] = clears
        else:
            t.pop("clears", None)
        transitions.append(t)
    spec["transitions"] = transitions
    facts = {name: value for name, value in (spec.get("facts") or {}).items() if name not in FACT_NAMES}
    if facts:
        spec["facts"] = facts
    else:
        spec.pop("facts", None)
    return spec


def columns_to_facts(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseFact = apps.get_model("cases", "CaseFact")
    ProcedureStep = apps.get_model("cases", "ProcedureStep")
    Procedure = apps.get_model("cases", "Procedure")
    for column, (fact, action) in COLUMNS.items():
        for case_id, on in Case.objects.filter(**{f"{column}__isnull": False}).values_list("pk", column).iterator():
            organisation_id = (ProcedureStep.objects.filter(case_id=case_id, action=action, on=on).order_by("-pk")
                               .values_list("organisation_id", flat=True).first())
            CaseFact.objects.create(case_id=case_id, name=fact, on=on, organisation_id=organisation_id)
    for procedure in Procedure.objects.all():
        procedure.spec = spec_to_facts(procedure.spec)
        procedure.save(update_fields=["spec"])


def facts_to_columns(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseFact = apps.get_model("cases", "CaseFact")
    Procedure = apps.get_model("cases", "Procedure")
    for column, (fact, _action) in COLUMNS.items():
        for case_id, on in CaseFact.objects.filter(name=fact).values_list("case_id", "on").iterator():
            Case.objects.filter(pk=case_id).update(**{column: on})
    for procedure in Procedure.objects.all():
        procedure.spec = spec_to_columns(procedure.spec)
        procedure.save(update_fields=["spec"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_case_chain"),
        ("organisations", "0002_alter_membership_role"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseFact",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=40, verbose_name="fact")),
                ("on", models.DateField(verbose_name="since")),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="facts",
                                           to="cases.case")),
                ("organisation", models.ForeignKey(blank=True, null=True,
                                                   on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                   to="organisations.organisation", verbose_name="recorded by")),
            ],
            options={
                "verbose_name": "case fact",
                "verbose_name_plural": "case facts",
                "ordering": ["on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCaseFact",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(max_length=40, verbose_name="fact")),
                ("on", models.DateField(verbose_name="since")),
                ("created", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                                  max_length=1)),
                ("case", models.ForeignKey(blank=True, db_constraint=False, null=True,
                                           on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                           to="cases.case")),
                ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                   related_name="+", to=settings.AUTH_USER_MODEL)),
                ("organisation", models.ForeignKey(blank=True, db_constraint=False, null=True,
                                                   on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                                   to="organisations.organisation", verbose_name="recorded by")),
            ],
            options={
                "verbose_name": "historical case fact",
                "verbose_name_plural": "historical case facts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name="casefact",
            constraint=models.UniqueConstraint(fields=("case", "name"), name="case_fact_unique"),
        ),
        migrations.RunPython(columns_to_facts, facts_to_columns),
        migrations.RemoveField(model_name="case", name="complaint_filed_on"),
        migrations.RemoveField(model_name="case", name="magistrate_confirmed_on"),
        migrations.RemoveField(model_name="historicalcase", name="complaint_filed_on"),
        migrations.RemoveField(model_name="historicalcase", name="magistrate_confirmed_on"),
    ]
