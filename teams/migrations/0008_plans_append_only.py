"""A plan's versions and their acknowledgements are append-only, enforced by PostgreSQL: UPDATE
and DELETE are refused, so what the youth agreed to is never rewritten (a change is a new
version; teams.plans). And an action item marked as coming from a plan is one step's action
item, checked at commit (a deferred constraint trigger), as a meeting's items have a meeting."""

from django.db import migrations

SQL = """
CREATE TRIGGER teams_planversion_append_only
    BEFORE UPDATE OR DELETE ON teams_planversion
    FOR EACH ROW EXECUTE FUNCTION teams_append_only();
CREATE TRIGGER teams_planacknowledgement_append_only
    BEFORE UPDATE OR DELETE ON teams_planacknowledgement
    FOR EACH ROW EXECUTE FUNCTION teams_append_only();

CREATE OR REPLACE FUNCTION teams_actionitem_has_plan_step() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM teams_planstep WHERE action_item_id = NEW.id) THEN
        RAISE EXCEPTION 'action item % comes from a plan but is no step''s', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER teams_actionitem_from_plan_has_step
    AFTER INSERT OR UPDATE ON teams_actionitem
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.from_plan) EXECUTE FUNCTION teams_actionitem_has_plan_step();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS teams_actionitem_from_plan_has_step ON teams_actionitem;
DROP FUNCTION IF EXISTS teams_actionitem_has_plan_step();
DROP TRIGGER IF EXISTS teams_planacknowledgement_append_only ON teams_planacknowledgement;
DROP TRIGGER IF EXISTS teams_planversion_append_only ON teams_planversion;
"""


class Migration(migrations.Migration):
    dependencies = [("teams", "0007_plans")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
