from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_ksfiks_document")]

    operations = []
