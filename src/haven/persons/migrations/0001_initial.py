# Persons were born in the cases app (cases 0001 created their tables): this migration takes the
# models over in Django's state only, on the same tables, and cases 0006 lets go of them. No row moves.

import django.db.models.deletion
import haven.access.fields
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # Where the tables come from; the persons code itself imports nothing of cases.
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Person',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('family_name', haven.access.fields.EncryptedTextField(blank=True, null=True, verbose_name='family name')),
                        ('given_names', haven.access.fields.EncryptedTextField(blank=True, null=True, verbose_name='given names')),
                        ('aliases', haven.access.fields.EncryptedJSONField(blank=True, default=list, null=True, verbose_name='aliases')),
                        ('birth_date', haven.access.fields.EncryptedDateField(blank=True, null=True, verbose_name='birth date')),
                        ('citizenships', haven.access.fields.EncryptedJSONField(blank=True, default=list, help_text='ISO 3166-1 alpha-2 codes', null=True, verbose_name='citizenships')),
                        ('languages', haven.access.fields.EncryptedJSONField(blank=True, default=list, help_text='ISO 639-1 codes', null=True, verbose_name='languages')),
                        ('contact', haven.access.fields.EncryptedJSONField(blank=True, default=dict, help_text='{"phone": …, "email": …, "address": …}', null=True, verbose_name='contact details')),
                        ('identity_documents', haven.access.fields.EncryptedJSONField(blank=True, default=list, help_text='[{"kind": "passport", "number": …, "country": …, "expires": …}]', null=True, verbose_name='identity documents')),
                        ('person_key', models.CharField(db_index=True, editable=False, help_text='Keyed digest of name and birth date: counts a person once.', max_length=64, verbose_name='person key')),
                        ('sex', models.CharField(choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other'), ('unknown', 'Unknown')], default='unknown', max_length=8, verbose_name='sex')),
                        ('birth_year', models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='birth year')),
                        ('citizenship', models.CharField(blank=True, editable=False, max_length=2, verbose_name='main citizenship')),
                        ('erased_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='identity erased')),
                        ('created', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ],
                    options={
                        'verbose_name': 'person',
                        'verbose_name_plural': 'persons',
                        'db_table': 'cases_person',
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalPerson',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('family_name', haven.access.fields.EncryptedTextField(blank=True, null=True, verbose_name='family name')),
                        ('given_names', haven.access.fields.EncryptedTextField(blank=True, null=True, verbose_name='given names')),
                        ('aliases', haven.access.fields.EncryptedJSONField(blank=True, default=list, null=True, verbose_name='aliases')),
                        ('birth_date', haven.access.fields.EncryptedDateField(blank=True, null=True, verbose_name='birth date')),
                        ('citizenships', haven.access.fields.EncryptedJSONField(blank=True, default=list, help_text='ISO 3166-1 alpha-2 codes', null=True, verbose_name='citizenships')),
                        ('languages', haven.access.fields.EncryptedJSONField(blank=True, default=list, help_text='ISO 639-1 codes', null=True, verbose_name='languages')),
                        ('contact', haven.access.fields.EncryptedJSONField(blank=True, default=dict, help_text='{"phone": …, "email": …, "address": …}', null=True, verbose_name='contact details')),
                        ('identity_documents', haven.access.fields.EncryptedJSONField(blank=True, default=list, help_text='[{"kind": "passport", "number": …, "country": …, "expires": …}]', null=True, verbose_name='identity documents')),
                        ('person_key', models.CharField(db_index=True, editable=False, help_text='Keyed digest of name and birth date: counts a person once.', max_length=64, verbose_name='person key')),
                        ('sex', models.CharField(choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other'), ('unknown', 'Unknown')], default='unknown', max_length=8, verbose_name='sex')),
                        ('birth_year', models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='birth year')),
                        ('citizenship', models.CharField(blank=True, editable=False, max_length=2, verbose_name='main citizenship')),
                        ('erased_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='identity erased')),
                        ('created', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical person',
                        'verbose_name_plural': 'historical persons',
                        'db_table': 'cases_historicalperson',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PersonNameIndex',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('digest', models.CharField(db_index=True, max_length=32)),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='name_index', to='persons.person')),
                    ],
                    options={
                        'db_table': 'cases_personnameindex',
                        'constraints': [models.UniqueConstraint(fields=('person', 'digest'), name='person_name_index_unique')],
                    },
                ),
            ],
        ),
    ]
