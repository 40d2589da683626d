# Reserved for one step of the restructuring; filled in by its change.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_share_parts_mask")]
    operations = []
