"""History is never rewritten, also where migration 0003 did not reach, enforced by PostgreSQL:

- consent_consentversion_units, the receiving services of each version: a version's units are
  written once, with the version (consent.services._write_version and the withdrawal add them
  to a new version only; Django's M2M .set() on a new version only INSERTs). Changing or
  removing them would change what a version said after the fact.
- consent_legalbasisuse: a use of a legal basis is written once (consent.services
  .legal_basis_use) and never changed by any service; its end is fixed when it is written.
  The reason, the categories and the period are what the leader reviews and what the
  right-to-know report tells the youth.
- consent_consent: a consent holds only its youth and its purpose (consent.models), which no
  service changes: what was agreed changes by a new version, and another purpose is another
  consent.

UPDATE and DELETE are refused with the function of migration 0003.
"""

from django.db import migrations

TABLES = ["consent_consentversion_units", "consent_legalbasisuse", "consent_consent"]

SQL = "".join(
    f"""
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION consent_append_only();
"""
    for table in TABLES
)

REVERSE_SQL = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [("consent", "0005_outreach_notes_to_police")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
