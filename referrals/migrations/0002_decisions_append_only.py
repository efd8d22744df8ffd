"""Intake decisions are append-only, enforced by PostgreSQL: UPDATE and DELETE are refused, so a
candidate's way through the queue is never rewritten (a new decision is a new row)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION referrals_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER referrals_intakedecision_append_only
    BEFORE UPDATE OR DELETE ON referrals_intakedecision
    FOR EACH ROW EXECUTE FUNCTION referrals_append_only();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS referrals_intakedecision_append_only ON referrals_intakedecision;
DROP FUNCTION IF EXISTS referrals_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_intake_queue")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
