"""Code lists as choices: timeline events, parts, screening readings and the case's coded columns.

The check first: a row holding a value outside its new code list stops the migration, naming it."""

from django.db import migrations, models

from haven.core.codes import CodeListValidator, refuse_unknown_codes

PARTS = ["summary", "identity", "documents", "facts", "statements", "psychosocial", "shelter", "justice"]
FORMS = ["sexual", "labour", "begging", "criminal", "organs", "marriage", "other"]
EVENTS = ["signal", "screening", "transition", "document", "referral", "referral_accepted", "referral_declined",
          "referral_revoked", "status", "service", "service_updated", "reopened"]

check_codes = refuse_unknown_codes("cases", {
    ("case", "sector"): ["", *"ABCDEFGHIJKLMNOPQRSTU"],
    ("case", "trafficking_status"): ["", "presumed", "identified"],
    ("case", "exploitation_forms"): FORMS,
    ("deadline", "part"): PARTS,
    ("screening", "exploitation_form"): FORMS,
    ("screening", "age_group"): ["adults", "children"],
    ("screening", "reading"): ["likely", "possible", "insufficient"],
    ("screening", "legal_test"): ["act_purpose", "act_means_purpose"],
    ("timelineentry", "event"): EVENTS,
    ("timelineentry", "part"): PARTS,
}, lists={("case", "exploitation_forms")})


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_facts")]

    operations = [
        migrations.RunPython(check_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='case',
            name='exploitation_forms',
            field=models.CharField(blank=True, default=',', help_text='Stored as ,form,form, (see form_set).', max_length=200, validators=[CodeListValidator(['sexual', 'labour', 'begging', 'criminal', 'organs', 'marriage', 'other'])], verbose_name='forms of exploitation'),
        ),
        migrations.AlterField(
            model_name='case',
            name='sector',
            field=models.CharField(blank=True, choices=[('A', 'Agriculture, forestry and fishing'), ('B', 'Mining and quarrying'), ('C', 'Manufacturing'), ('D', 'Electricity, gas, steam and air conditioning supply'), ('E', 'Water supply, sewerage and waste management'), ('F', 'Construction'), ('G', 'Wholesale and retail trade, repair of vehicles'), ('H', 'Transportation and storage'), ('I', 'Accommodation and food service activities'), ('J', 'Information and communication'), ('K', 'Financial and insurance activities'), ('L', 'Real estate activities'), ('M', 'Professional, scientific and technical activities'), ('N', 'Administrative and support service activities'), ('O', 'Public administration and defence'), ('P', 'Education'), ('Q', 'Human health and social work activities'), ('R', 'Arts, entertainment and recreation'), ('S', 'Other service activities'), ('T', 'Activities of households as employers'), ('U', 'Activities of extraterritorial organisations')], max_length=1, verbose_name='sector (ISIC section)'),
        ),
        migrations.AlterField(
            model_name='case',
            name='trafficking_status',
            field=models.CharField(blank=True, choices=[('presumed', 'Presumed victim (PossibleVictimOfTrafficking)'), ('identified', 'Identified victim (ActualVictimOfTrafficking)')], max_length=16, verbose_name='trafficking status'),
        ),
        migrations.AlterField(
            model_name='deadline',
            name='part',
            field=models.CharField(choices=[('summary', 'Case summary (reference, state, dates, owner)'), ('identity', 'Identity (identity vault: names, birth date, citizenships, contact, identity documents)'), ('documents', 'Residence documents and the victim-status procedure'), ('facts', 'Facts: signal, forms of exploitation, screening'), ('statements', 'Statements and hearings'), ('psychosocial', 'Psychosocial guidance notes and services'), ('shelter', 'Shelter address'), ('justice', 'Justice chain: investigations, prosecutions, judgments')], default='documents', max_length=16),
        ),
        migrations.AlterField(
            model_name='historicalcase',
            name='exploitation_forms',
            field=models.CharField(blank=True, default=',', help_text='Stored as ,form,form, (see form_set).', max_length=200, validators=[CodeListValidator(['sexual', 'labour', 'begging', 'criminal', 'organs', 'marriage', 'other'])], verbose_name='forms of exploitation'),
        ),
        migrations.AlterField(
            model_name='historicalcase',
            name='sector',
            field=models.CharField(blank=True, choices=[('A', 'Agriculture, forestry and fishing'), ('B', 'Mining and quarrying'), ('C', 'Manufacturing'), ('D', 'Electricity, gas, steam and air conditioning supply'), ('E', 'Water supply, sewerage and waste management'), ('F', 'Construction'), ('G', 'Wholesale and retail trade, repair of vehicles'), ('H', 'Transportation and storage'), ('I', 'Accommodation and food service activities'), ('J', 'Information and communication'), ('K', 'Financial and insurance activities'), ('L', 'Real estate activities'), ('M', 'Professional, scientific and technical activities'), ('N', 'Administrative and support service activities'), ('O', 'Public administration and defence'), ('P', 'Education'), ('Q', 'Human health and social work activities'), ('R', 'Arts, entertainment and recreation'), ('S', 'Other service activities'), ('T', 'Activities of households as employers'), ('U', 'Activities of extraterritorial organisations')], max_length=1, verbose_name='sector (ISIC section)'),
        ),
        migrations.AlterField(
            model_name='historicalcase',
            name='trafficking_status',
            field=models.CharField(blank=True, choices=[('presumed', 'Presumed victim (PossibleVictimOfTrafficking)'), ('identified', 'Identified victim (ActualVictimOfTrafficking)')], max_length=16, verbose_name='trafficking status'),
        ),
        migrations.AlterField(
            model_name='historicalscreening',
            name='age_group',
            field=models.CharField(choices=[('adults', 'Adults'), ('children', 'Children')], max_length=8, verbose_name='age group'),
        ),
        migrations.AlterField(
            model_name='historicalscreening',
            name='exploitation_form',
            field=models.CharField(choices=[('sexual', 'Sexual exploitation'), ('labour', 'Labour exploitation'), ('begging', 'Exploitation of begging'), ('criminal', 'Forced criminal activity'), ('organs', 'Organ removal'), ('marriage', 'Forced marriage'), ('other', 'Other exploitation')], max_length=16, verbose_name='form of exploitation'),
        ),
        migrations.AlterField(
            model_name='historicalscreening',
            name='legal_test',
            field=models.CharField(choices=[('act_purpose', 'Act and purpose (means are aggravating circumstances)'), ('act_means_purpose', 'Act, means and purpose (means waived for children)')], max_length=32, verbose_name='legal test'),
        ),
        migrations.AlterField(
            model_name='historicalscreening',
            name='reading',
            field=models.CharField(choices=[('likely', 'likely victim'), ('possible', 'possible victim'), ('insufficient', 'insufficient indications')], max_length=16, verbose_name='reading'),
        ),
        migrations.AlterField(
            model_name='screening',
            name='age_group',
            field=models.CharField(choices=[('adults', 'Adults'), ('children', 'Children')], max_length=8, verbose_name='age group'),
        ),
        migrations.AlterField(
            model_name='screening',
            name='exploitation_form',
            field=models.CharField(choices=[('sexual', 'Sexual exploitation'), ('labour', 'Labour exploitation'), ('begging', 'Exploitation of begging'), ('criminal', 'Forced criminal activity'), ('organs', 'Organ removal'), ('marriage', 'Forced marriage'), ('other', 'Other exploitation')], max_length=16, verbose_name='form of exploitation'),
        ),
        migrations.AlterField(
            model_name='screening',
            name='legal_test',
            field=models.CharField(choices=[('act_purpose', 'Act and purpose (means are aggravating circumstances)'), ('act_means_purpose', 'Act, means and purpose (means waived for children)')], max_length=32, verbose_name='legal test'),
        ),
        migrations.AlterField(
            model_name='screening',
            name='reading',
            field=models.CharField(choices=[('likely', 'likely victim'), ('possible', 'possible victim'), ('insufficient', 'insufficient indications')], max_length=16, verbose_name='reading'),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='event',
            field=models.CharField(choices=[('signal', 'Signal recorded'), ('screening', 'Screening'), ('transition', 'Procedure step'), ('document', 'Residence document'), ('referral', 'Referral'), ('referral_accepted', 'Referral accepted'), ('referral_declined', 'Referral declined'), ('referral_revoked', 'Referral revoked'), ('status', 'Trafficking status'), ('service', 'Support service added'), ('service_updated', 'Support service updated'), ('reopened', 'Case reopened')], max_length=40),
        ),
        migrations.AlterField(
            model_name='timelineentry',
            name='part',
            field=models.CharField(choices=[('summary', 'Case summary (reference, state, dates, owner)'), ('identity', 'Identity (identity vault: names, birth date, citizenships, contact, identity documents)'), ('documents', 'Residence documents and the victim-status procedure'), ('facts', 'Facts: signal, forms of exploitation, screening'), ('statements', 'Statements and hearings'), ('psychosocial', 'Psychosocial guidance notes and services'), ('shelter', 'Shelter address'), ('justice', 'Justice chain: investigations, prosecutions, judgments')], default='summary', max_length=16),
        ),
    ]
