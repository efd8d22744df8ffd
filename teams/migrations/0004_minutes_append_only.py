"""Minutes revisions are append-only, enforced by PostgreSQL: UPDATE and DELETE are refused, so
the text of a saved revision, and of approved minutes above all, is never rewritten (a change is
a new revision; teams.models.Minutes)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION teams_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER teams_minutesrevision_append_only
    BEFORE UPDATE OR DELETE ON teams_minutesrevision
    FOR EACH ROW EXECUTE FUNCTION teams_append_only();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS teams_minutesrevision_append_only ON teams_minutesrevision;
DROP FUNCTION IF EXISTS teams_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_meetings")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
