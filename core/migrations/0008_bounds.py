from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0007_audit_numbering")]

    operations = []
