"""The audit trail: append-only in PostgreSQL, sealed in a hash chain, verified by a command."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from core import audit
from core.models import AuditEvent, AuditSeal

from ..conftest import People

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list[int | str | None]) -> None:
    """What the tables' owner can do (the application's role cannot): disable the triggers."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # number what is pending, as a commit would
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE core_auditseal DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE core_auditseal ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _entries(people: People, n: int = 5) -> list[AuditEvent]:
    return [
        audit.record(actor=people.follower, action="test.read", target=people.unit, detail={"n": i}) for i in range(n)
    ]


def test_record_writes_who_what_and_when(people: People) -> None:
    event = audit.record(actor=people.follower, action="unit.viewed", target=people.unit, detail={"æøå": "ÆØÅ"})
    event.refresh_from_db()
    assert event.actor == people.follower
    assert event.actor_label == people.follower.email
    assert event.object_type == "org.unit"
    assert event.object_id == str(people.unit.pk)
    assert event.detail == {"æøå": "ÆØÅ"}
    assert event.entry_hash == audit.entry_hash(event)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET action = 'innocent' WHERE id = %s",
        "UPDATE core_auditevent SET chain_hash = 'x', action = 'x' WHERE id = %s",
        "UPDATE core_auditevent SET seq = 999999 WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_changes_to_the_audit_trail(people: People, statement: str) -> None:
    event = _entries(people, 1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])


def test_postgresql_refuses_truncate(people: People) -> None:
    _entries(people, 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE core_auditevent")


def test_seals_cannot_be_changed(people: People) -> None:
    _entries(people, 2)
    audit.seal()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditseal")


def test_a_sealed_entry_cannot_be_resealed(people: People) -> None:
    event = _entries(people, 1)[0]
    audit.seal()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET chain_hash = 'forged' WHERE id = %s", [event.pk])


def test_seal_chains_every_entry_once_and_checkpoints(people: People) -> None:
    before = AuditEvent.objects.count()
    _entries(people, 5)
    assert audit.seal() == before + 5
    assert audit.seal() == 0
    assert AuditEvent.objects.filter(chain_hash="").count() == 0
    assert sorted(s for s in AuditEvent.objects.values_list("seq", flat=True) if s is not None) == list(
        range(1, before + 6)
    )
    seal = AuditSeal.objects.get()
    assert seal.last_seq == before + 5
    assert audit.verify().ok


def test_verify_reports_the_first_altered_entry(people: People) -> None:
    events = _entries(people, 5)
    audit.seal()
    _tamper("UPDATE core_auditevent SET action = 'nothing.to.see' WHERE id = %s", [events[2].pk])
    _tamper("UPDATE core_auditevent SET action = 'nothing.either' WHERE id = %s", [events[3].pk])
    result = audit.verify()
    assert result.problem is not None
    assert result.problem.event_id == events[2].pk
    assert "altered" in result.problem.message


def test_verify_notices_an_entry_rewritten_with_a_fresh_hash(people: People) -> None:
    events = _entries(people, 3)
    audit.seal()
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.detail = {"n": 99}
    _tamper(
        "UPDATE core_auditevent SET detail = %s, entry_hash = %s WHERE id = %s",
        ['{"n": 99}', audit.entry_hash(forged), events[1].pk],
    )
    result = audit.verify()
    assert result.problem is not None
    assert result.problem.event_id == events[1].pk


def test_verify_reports_a_removed_entry(people: People) -> None:
    events = _entries(people, 5)
    audit.seal()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    result = audit.verify()
    assert result.problem is not None
    assert "removed" in result.problem.message
    assert str(events[0].pk) in result.problem.message
    assert result.problem.event_id == events[2].pk


def test_verify_reports_entries_removed_from_the_end(people: People) -> None:
    events = _entries(people, 5)
    audit.seal()
    _tamper("DELETE FROM core_auditevent WHERE id >= %s", [events[3].pk])
    result = audit.verify()
    assert result.problem is not None
    assert "removed" in result.problem.message


def test_verify_checks_entries_not_yet_sealed(people: People) -> None:
    events = _entries(people, 2)
    _tamper("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [events[0].pk])
    result = audit.verify()
    assert result.problem is not None
    assert result.problem.event_id == events[0].pk


def test_audit_verify_command_passes_on_an_intact_trail(people: People) -> None:
    from io import StringIO

    _entries(people, 3)
    out = StringIO()
    call_command("audit_verify", "--seal", stdout=out)
    assert "intact" in out.getvalue()


def test_audit_verify_command_fails_on_a_broken_trail(people: People) -> None:
    events = _entries(people, 3)
    audit.seal()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match="removed"):
        call_command("audit_verify")


def test_a_rolled_back_change_leaves_no_audit_entry(people: People) -> None:
    before = AuditEvent.objects.count()

    def failing_change() -> None:
        with transaction.atomic():
            audit.record(actor=people.follower, action="test.change", target=people.unit)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert AuditEvent.objects.count() == before


def test_the_seal_task_runs_through_celery(people: People) -> None:
    from core.tasks import audit_seal, audit_verify

    _entries(people, 3)
    assert audit_seal.delay().get() >= 3
    assert audit_verify.delay().get() is True


def test_request_id_and_address_are_recorded(client: object, people: People) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    client.post("/logg-inn/", {"username": people.follower.email, "password": "wrong"}, HTTP_X_REQUEST_ID="req-123")
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.request_id == "req-123"
    assert event.ip == "127.0.0.1"
