from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_minutes_append_only")]

    operations = []
