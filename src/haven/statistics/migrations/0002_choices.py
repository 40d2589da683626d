"""A series point's qualifier is the library's code list (the claim it comes from).

The check first: a row holding a value outside the code list stops the migration, naming it."""

from django.db import migrations, models

from haven.core.codes import refuse_unknown_codes

QUALIFIERS = ["exact", "more_than", "up_to", "about", "average", "range"]

check_codes = refuse_unknown_codes("statistics", {("seriespoint", "qualifier"): QUALIFIERS})


class Migration(migrations.Migration):
    dependencies = [("statistics", "0001_initial")]

    operations = [
        migrations.RunPython(check_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='seriespoint',
            name='qualifier',
            field=models.CharField(choices=[('exact', 'exactly'), ('more_than', 'more than'), ('up_to', 'up to'), ('about', 'about'), ('average', 'on average'), ('range', 'between')], max_length=12, verbose_name='qualifier'),
        ),
    ]
