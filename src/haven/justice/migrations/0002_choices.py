"""The coded lists of investigations and prosecutions validate against their code lists.

The check first: a row holding a code outside its list stops the migration, naming it."""

from django.db import migrations, models

from haven.core.codes import CodeListValidator, refuse_unknown_codes

FORMS = ["sexual", "labour", "begging", "criminal", "organs", "marriage", "other"]
CHARGES = ["thb", "smuggling", "slum_landlord", "criminal_organisation", "laundering", "social_law", "other"]

check_codes = refuse_unknown_codes("justice", {("investigation", "forms"): FORMS, ("prosecution", "charges"): CHARGES},
                                   lists={("investigation", "forms"), ("prosecution", "charges")})


class Migration(migrations.Migration):
    dependencies = [("justice", "0001_initial")]

    operations = [
        migrations.RunPython(check_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='historicalinvestigation',
            name='forms',
            field=models.CharField(blank=True, max_length=200, validators=[CodeListValidator(['sexual', 'labour', 'begging', 'criminal', 'organs', 'marriage', 'other'])], verbose_name='forms of exploitation'),
        ),
        migrations.AlterField(
            model_name='historicalprosecution',
            name='charges',
            field=models.CharField(max_length=200, validators=[CodeListValidator(['thb', 'smuggling', 'slum_landlord', 'criminal_organisation', 'laundering', 'social_law', 'other'])], verbose_name='charges'),
        ),
        migrations.AlterField(
            model_name='investigation',
            name='forms',
            field=models.CharField(blank=True, max_length=200, validators=[CodeListValidator(['sexual', 'labour', 'begging', 'criminal', 'organs', 'marriage', 'other'])], verbose_name='forms of exploitation'),
        ),
        migrations.AlterField(
            model_name='prosecution',
            name='charges',
            field=models.CharField(max_length=200, validators=[CodeListValidator(['thb', 'smuggling', 'slum_landlord', 'criminal_organisation', 'laundering', 'social_law', 'other'])], verbose_name='charges'),
        ),
    ]
