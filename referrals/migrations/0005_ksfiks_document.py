from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_events_append_only")]

    operations = []
