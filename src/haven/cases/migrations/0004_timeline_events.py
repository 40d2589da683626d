# Reserved for one step of the restructuring; filled in by its change.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_facts")]
    operations = []
