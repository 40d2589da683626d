# Persons leave the cases app for haven.persons (which took them over in its 0001, on the same
# tables): the cases state lets go of them and its foreign keys point at persons.Person. Nothing
# changes in the database but the content types, which follow so that permissions stay attached.

import django.db.models.deletion
from django.db import migrations, models

MOVED = ["person", "historicalperson", "personnameindex"]


def relabel(from_app, to_app):
    def run(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        types = content_type.objects.using(schema_editor.connection.alias)
        for model in MOVED:
            # A migrate that ran the new app alone may have made its type already: the old one stays stale.
            if not types.filter(app_label=to_app, model=model).exists():
                types.filter(app_label=from_app, model=model).update(app_label=to_app)
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_share_parts_mask"),
        ("persons", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="person",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="cases",
                                            to="persons.person", verbose_name="person"),
                ),
                migrations.AlterField(
                    model_name="historicalcase",
                    name="person",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                            on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                            to="persons.person", verbose_name="person"),
                ),
                migrations.DeleteModel(name="PersonNameIndex"),
                migrations.DeleteModel(name="HistoricalPerson"),
                migrations.DeleteModel(name="Person"),
            ],
        ),
        migrations.RunPython(relabel("cases", "persons"), relabel("persons", "cases")),
    ]
