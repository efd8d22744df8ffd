from django.db import migrations


class Migration(migrations.Migration):
    """Intentionally empty. It was made for a schema change for contact drafts that turned out not
    to be needed, and databases that were migrated while it existed have it recorded, so it stays:
    removing or renumbering a migration breaks `migrate` on those databases."""

    dependencies = [("cases", "0004_record_source_unit")]

    operations = []
