from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0004_notification_calendar")]

    operations = []
