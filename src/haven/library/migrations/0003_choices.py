"""Languages, claim periods and merge methods as code lists.

The check first: a row holding a value outside its new code list stops the migration, naming it."""

from django.db import migrations, models

from haven.core.codes import refuse_unknown_codes

LANGUAGES = ["en", "fr", "nl", "de"]

check_codes = refuse_unknown_codes("library", {
    ("page", "language"): LANGUAGES,
    ("source", "language"): LANGUAGES,
    ("appearance", "language"): LANGUAGES,
    ("claim", "period_kind"): ["year", "range", "month", "reporting_period", "scope"],
    ("merge", "method"): ["title", "minhash-title", "minhash"],
})


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_backends")]

    operations = [
        migrations.RunPython(check_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='appearance',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'French'), ('nl', 'Dutch'), ('de', 'German')], default='en', max_length=8),
        ),
        migrations.AlterField(
            model_name='claim',
            name='period_kind',
            field=models.CharField(choices=[('year', 'A year'), ('range', 'A range of years'), ('month', 'A month'), ('reporting_period', "The report's reporting period"), ('scope', "The page's period")], max_length=20),
        ),
        migrations.AlterField(
            model_name='merge',
            name='method',
            field=models.CharField(choices=[('title', 'Same title'), ('minhash-title', 'Similar title'), ('minhash', 'Similar text')], max_length=32),
        ),
        migrations.AlterField(
            model_name='page',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'French'), ('nl', 'Dutch'), ('de', 'German')], default='en', max_length=8, verbose_name='language'),
        ),
        migrations.AlterField(
            model_name='source',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'French'), ('nl', 'Dutch'), ('de', 'German')], default='en', max_length=8, verbose_name='language'),
        ),
    ]
