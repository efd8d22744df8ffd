"""Name search tolerant of accents and typos: pg_trgm and unaccent, and a trigram index on the
unaccented, lower-cased full name (through an IMMUTABLE wrapper, as index expressions need)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION laget_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
CREATE INDEX youth_name_trgm ON cases_youth
    USING gin (laget_unaccent(lower(first_name || ' ' || preferred_name || ' ' || last_name)) gin_trgm_ops);
"""
REVERSE = """
DROP INDEX IF EXISTS youth_name_trgm;
DROP FUNCTION IF EXISTS laget_unaccent(text);
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_followup_contacts_offences_outcomes")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(SQL, REVERSE),
    ]
