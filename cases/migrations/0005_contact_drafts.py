from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_record_source_unit")]

    operations = []
