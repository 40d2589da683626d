from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jurisdictions", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="jurisdiction",
            name="profile_digest",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="profile digest"),
        ),
    ]
