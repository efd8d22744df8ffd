from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_contact_drafts")]

    operations = []
