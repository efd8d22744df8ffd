"""A concern report's events are append-only, enforced by PostgreSQL (the function comes from
0002): the history of a report's way through review, investigation and measures is never rewritten."""

from django.db import migrations

SQL = """
CREATE TRIGGER referrals_concernreportevent_append_only
    BEFORE UPDATE OR DELETE ON referrals_concernreportevent
    FOR EACH ROW EXECUTE FUNCTION referrals_append_only();
"""

REVERSE_SQL = "DROP TRIGGER IF EXISTS referrals_concernreportevent_append_only ON referrals_concernreportevent;"


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_concern_reports")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
