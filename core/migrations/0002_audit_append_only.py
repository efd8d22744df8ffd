"""The audit trail is append-only, enforced by PostgreSQL itself.

UPDATE, DELETE and TRUNCATE are refused on core_auditevent and core_auditseal. The single
exception: the sealer may fill in seal_seq and chain_hash of an entry once, changing
nothing else (checked by comparing the whole row without those two columns).
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'core_auditevent' THEN
        IF OLD.seal_seq IS NULL AND NEW.seal_seq IS NOT NULL AND NEW.chain_hash <> ''
           AND (to_jsonb(NEW) - 'seal_seq' - 'chain_hash') = (to_jsonb(OLD) - 'seal_seq' - 'chain_hash') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only();
CREATE TRIGGER core_auditseal_append_only
    BEFORE UPDATE OR DELETE ON core_auditseal
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
CREATE TRIGGER core_auditseal_no_truncate
    BEFORE TRUNCATE ON core_auditseal
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS core_auditseal_no_truncate ON core_auditseal;
DROP TRIGGER IF EXISTS core_auditseal_append_only ON core_auditseal;
DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
