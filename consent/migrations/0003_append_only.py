"""Consent versions, their answers and the disclosure log are append-only, enforced by
PostgreSQL itself: UPDATE and DELETE are refused (history is never rewritten; consent.models).
Deleting a youth's data after the retention period will need its own, audited exception here."""

from django.db import migrations

TABLES = ["consent_consentversion", "consent_consentanswer", "consent_disclosure"]

SQL = """
CREATE OR REPLACE FUNCTION consent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION consent_append_only();
"""
    for table in TABLES
)

REVERSE_SQL = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS consent_append_only();\n"
)


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_legal_basis_catalogue")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
