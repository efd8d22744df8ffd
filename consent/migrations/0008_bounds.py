from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consent", "0007_legal_basis_forvaltningsloven_13b")]

    operations = []
