"""Audit entries numbered without gaps, a keyed chain, and the application's own database role.

- seq: PostgreSQL numbers each entry when its transaction commits. A constraint trigger, deferred
  to the commit, takes the next number from the one-row counter (core_auditcounter), so the row
  lock is held only while the transaction commits, numbers follow commit order, and a rolled-back
  entry takes none. The trigger function runs as its owner (SECURITY DEFINER): the application's
  role may read the counter but not write it, and may not set seq itself.
- The append-only trigger of 0002 now allows two fill-ins, each once and changing nothing else:
  the number (only from inside the numbering trigger) and chain_hash (the sealer). seal_seq goes:
  the number is the chain position.
- Entries already written are numbered in their chain order and re-hashed with the audit key
  (settings.AUDIT_HMAC_KEY), after checking them by the old unkeyed rule: a trail that does not
  verify is refused rather than re-hashed, which would hide the damage.
- The application's role (settings.LAGET_DB_APP_ROLE) is created if the migrating user may, and
  granted its rights (core.dbroles).

Schema and data are in one migration here on purpose: the old chain must be checked and re-keyed
between adding seq and removing seal_seq, with the triggers off, in one transaction.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations, models

NUMBERING = """
CREATE FUNCTION core_audit_number() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    n bigint;
BEGIN
    INSERT INTO core_auditcounter (id, last) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET last = core_auditcounter.last + 1
    RETURNING last INTO n;
    UPDATE core_auditevent SET seq = n WHERE id = NEW.id;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION core_audit_number() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER core_auditevent_number
    AFTER INSERT ON core_auditevent
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_audit_number();

CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'core_auditevent' THEN
        -- The numbering trigger gives an entry its number, once.
        IF pg_trigger_depth() > 1 AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
           AND (to_jsonb(NEW) - 'seq') = (to_jsonb(OLD) - 'seq') THEN
            RETURN NEW;
        END IF;
        -- The sealer fills in the chain of a numbered entry, once.
        IF OLD.seq IS NOT NULL AND OLD.chain_hash = '' AND NEW.chain_hash <> ''
           AND (to_jsonb(NEW) - 'chain_hash') = (to_jsonb(OLD) - 'chain_hash') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

NUMBERING_REVERSE = """
DROP TRIGGER IF EXISTS core_auditevent_number ON core_auditevent;
DROP FUNCTION IF EXISTS core_audit_number();
"""

GENESIS = "0" * 64


def _canonical(event):
    content = {
        "id": None,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "youth_id": event.youth_id,
        "request_id": event.request_id,
        "ip": str(event.ip) if event.ip else None,
        "detail": event.detail,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def rekey(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditSeal = apps.get_model("core", "AuditSeal")
    AuditCounter = apps.get_model("core", "AuditCounter")
    if not AuditEvent.objects.exists():
        return
    key = settings.AUDIT_HMAC_KEY.encode()
    if not key:
        raise RuntimeError("Set AUDIT_HMAC_KEY before this migration: it re-hashes the audit trail with the key.")
    events = list(AuditEvent.objects.order_by(models.F("seal_seq").asc(nulls_last=True), "id"))
    old_chain, new_chain = GENESIS, GENESIS
    new_chain_at = {}
    for number, event in enumerate(events, start=1):
        canonical = _canonical(event)
        if hashlib.sha256(canonical).hexdigest() != event.entry_hash:
            raise RuntimeError(f"Audit entry {event.pk} does not match its hash: run audit_verify before migrating.")
        event.entry_hash = hmac.new(key, canonical, hashlib.sha256).hexdigest()
        event.seq = number
        if event.seal_seq is not None:
            old_chain = hashlib.sha256(f"{old_chain}{hashlib.sha256(canonical).hexdigest()}".encode()).hexdigest()
            if event.seal_seq != number or old_chain != event.chain_hash:
                raise RuntimeError(f"Audit entry {event.pk} breaks the chain: run audit_verify before migrating.")
            new_chain = hmac.new(key, f"{new_chain}:{number}:{event.entry_hash}".encode(), hashlib.sha256).hexdigest()
            event.chain_hash = new_chain
            new_chain_at[number] = new_chain
    seals = list(AuditSeal.objects.all())
    for seal in seals:
        if seal.last_seq not in new_chain_at:
            raise RuntimeError(f"Audit seal {seal.last_seq} does not match the chain: run audit_verify first.")
        seal.chain_hash = new_chain_at[seal.last_seq]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE core_auditseal DISABLE TRIGGER USER")
    AuditEvent.objects.bulk_update(events, ["entry_hash", "seq", "chain_hash"], batch_size=1000)
    AuditSeal.objects.bulk_update(seals, ["chain_hash"], batch_size=1000)
    AuditCounter.objects.update_or_create(pk=1, defaults={"last": len(events)})
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE core_auditseal ENABLE TRIGGER USER")


def grant_app_role(apps, schema_editor):
    from core.dbroles import app_role_grant

    app_role_grant(schema_editor.connection, settings.LAGET_DB_APP_ROLE)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_api_token")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.CreateModel(
            name="AuditCounter",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("last", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="auditevent", name="audit_unsealed"),
        migrations.RemoveField(model_name="auditevent", name="seal_seq"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(("chain_hash", "")), fields=["seq"], name="audit_unsealed_seq"),
        ),
        migrations.RunSQL(NUMBERING, NUMBERING_REVERSE),
        migrations.RunPython(grant_app_role, migrations.RunPython.noop),
    ]
