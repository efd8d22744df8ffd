"""The audit trail against whoever can write its tables: the application's role cannot change it at
all, and the tables' owner (who can disable the triggers) is caught by the numbering, the key and the
published checkpoints. Each test is one way of rewriting history."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction

from core import audit
from core.models import AuditCounter, AuditEvent, AuditSeal

from ..conftest import People

pytestmark = pytest.mark.django_db


def _as_owner(*statements: tuple[str, list[Any]]) -> None:
    """The owner's way around the append-only triggers: disable them, change, enable again."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # number what is pending, as a commit would
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE core_auditseal DISABLE TRIGGER USER")
        for sql, params in statements:
            cursor.execute(sql, params)
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE core_auditseal ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _entries(people: People, n: int) -> list[AuditEvent]:
    return [
        audit.record(actor=people.follower, action="test.read", target=people.unit, detail={"n": i}) for i in range(n)
    ]


def _unkeyed_entry(event: AuditEvent) -> str:
    return hashlib.sha256(audit._canonical(event)).hexdigest()


def _unkeyed_link(previous: str, seq: int, entry: str) -> str:
    return hashlib.sha256(f"{previous}{entry}".encode()).hexdigest()


def _guessed_key_entry(event: AuditEvent) -> str:
    return audit.entry_hash(event, key=b"the owner's guess at the key")


def _guessed_key_link(previous: str, seq: int, entry: str) -> str:
    return audit.chain_link(previous, seq, entry, key=b"the owner's guess at the key")


@pytest.mark.parametrize(
    ("hash_entry", "link"),
    [(_unkeyed_entry, _unkeyed_link), (_guessed_key_entry, _guessed_key_link)],
    ids=["unkeyed", "wrong-key"],
)
def test_an_entry_rewritten_with_every_hash_recomputed_is_detected(
    people: People, hash_entry: Callable[[AuditEvent], str], link: Callable[[str, int, str], str]
) -> None:
    events = _entries(people, 5)
    audit.seal()
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.detail = {"n": 99}
    statements: list[tuple[str, list[Any]]] = [
        (
            "UPDATE core_auditevent SET detail = %s, entry_hash = %s WHERE id = %s",
            ['{"n": 99}', hash_entry(forged), forged.pk],
        )
    ]
    # Recompute the chain from the forged entry on, and the seal, as the owner would without the key.
    assert forged.seq is not None
    chain = AuditEvent.objects.get(seq=forged.seq - 1).chain_hash
    for event in AuditEvent.objects.filter(seq__gte=forged.seq).order_by("seq"):
        entry = hash_entry(forged) if event.pk == forged.pk else event.entry_hash
        assert event.seq is not None
        chain = link(chain, event.seq, entry)
        statements.append(("UPDATE core_auditevent SET chain_hash = %s WHERE id = %s", [chain, event.pk]))
    statements.append(("UPDATE core_auditseal SET chain_hash = %s", [chain]))
    _as_owner(*statements)

    result = audit.verify()

    assert result.problem is not None
    assert result.problem.event_id == forged.pk
    assert "altered" in result.problem.message


@pytest.mark.parametrize("which", [1, 2], ids=["in-the-middle", "the-newest"])
def test_a_deleted_entry_not_yet_sealed_is_detected(people: People, which: int) -> None:
    _entries(people, 3)
    audit.seal()
    unsealed = _entries(people, 3)
    _as_owner(("DELETE FROM core_auditevent WHERE id = %s", [unsealed[which].pk]))

    result = audit.verify()

    assert result.problem is not None
    assert "removed" in result.problem.message
    assert AuditEvent.objects.filter(chain_hash="").count() == 2


def test_the_newest_batch_deleted_with_its_seal_is_detected_by_the_counter(people: People) -> None:
    _entries(people, 3)
    audit.seal()
    newest = _entries(people, 3)
    audit.seal()
    _as_owner(
        ("DELETE FROM core_auditevent WHERE id >= %s", [newest[0].pk]),
        ("DELETE FROM core_auditseal WHERE last_event_id = %s", [newest[-1].pk]),
    )

    result = audit.verify()

    assert result.problem is not None
    assert "removed from the end" in result.problem.message


def test_the_newest_batch_deleted_with_its_seal_and_the_counter_set_back_is_detected_by_the_published_checkpoint(
    people: People,
    settings: Any,  # pytest-django's settings fixture
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    published = tmp_path / "audit-checkpoints.jsonl"
    settings.LAGET_AUDIT_CHECKPOINT_FILE = str(published)
    with django_capture_on_commit_callbacks(execute=True):
        _entries(people, 3)
        audit.seal()
        newest = _entries(people, 3)
        audit.seal()
    assert len(published.read_text().splitlines()) == 2
    kept = AuditEvent.objects.filter(pk__lt=newest[0].pk).count()
    _as_owner(
        ("DELETE FROM core_auditevent WHERE id >= %s", [newest[0].pk]),
        ("DELETE FROM core_auditseal WHERE last_event_id = %s", [newest[-1].pk]),
        ("UPDATE core_auditcounter SET last = %s", [kept]),
    )

    result = audit.verify()

    assert result.problem is not None
    assert "published in a checkpoint" in result.problem.message


def test_without_a_published_checkpoint_the_owner_can_cut_off_the_end_unnoticed(people: People) -> None:
    """The limit written in docs/deployment.md: the database alone cannot prove its own end."""
    _entries(people, 3)
    audit.seal()
    newest = _entries(people, 3)
    audit.seal()
    kept = AuditEvent.objects.filter(pk__lt=newest[0].pk).count()
    _as_owner(
        ("DELETE FROM core_auditevent WHERE id >= %s", [newest[0].pk]),
        ("DELETE FROM core_auditseal WHERE last_event_id = %s", [newest[-1].pk]),
        ("UPDATE core_auditcounter SET last = %s", [kept]),
    )
    assert settings.LAGET_AUDIT_CHECKPOINT_FILE == ""
    assert audit.verify().ok


def test_a_checkpoint_published_in_the_log_is_read_back(people: People) -> None:
    _entries(people, 2)
    audit.seal()
    seal = AuditSeal.objects.get()
    line = (
        "2026-12-07 12:00:00 INFO laget.audit.checkpoint [-] audit checkpoint "
        f'{{"seq":{seal.last_seq},"chain":"{seal.chain_hash}"}}'
    )
    checkpoints = audit.read_checkpoints(["noise", line])
    assert checkpoints == [(seal.last_seq, seal.chain_hash)]
    assert audit.verify(checkpoints=checkpoints).ok
    assert not audit.verify(checkpoints=[(seal.last_seq, "0" * 64)]).ok


def test_an_entry_inserted_around_the_numbering_is_detected(people: People) -> None:
    event = _entries(people, 1)[0]
    forged = AuditEvent(at=event.at, actor=people.follower, actor_label="x", action="test.forged", detail={})
    forged.entry_hash = audit.entry_hash(forged)  # even with the key: it has no number
    _as_owner(
        (
            "INSERT INTO core_auditevent (at, actor_label, action, object_type, object_id, request_id, detail, "
            "entry_hash, chain_hash) VALUES (%s, 'x', 'test.forged', '', '', '', '{}', %s, '')",
            [event.at, forged.entry_hash],
        )
    )
    result = audit.verify()
    assert result.problem is not None
    assert "no number" in result.problem.message


@pytest.mark.django_db(transaction=True)
def test_entries_are_numbered_at_commit_without_gaps_and_a_rollback_takes_no_number(people: People) -> None:
    audit.record(actor=people.follower, action="test.one", target=people.unit)
    with transaction.atomic():
        audit.record(actor=people.follower, action="test.rolled_back", target=people.unit)
        transaction.set_rollback(True)
    with transaction.atomic():
        audit.record(actor=people.follower, action="test.two", target=people.unit)
        audit.record(actor=people.follower, action="test.three", target=people.unit)
    numbers = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert AuditCounter.objects.get().last == len(numbers)
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()
    assert audit.seal() == len(numbers)
    assert audit.verify().ok


def _app_role_connection() -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        dbname=params["NAME"],
        user=settings.LAGET_DB_APP_ROLE,
        autocommit=True,
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET action = 'innocent'",
        "UPDATE core_auditevent SET seq = seq + 1",
        "DELETE FROM core_auditevent",
        "TRUNCATE core_auditevent",
        "DELETE FROM core_auditseal",
        "UPDATE core_auditseal SET chain_hash = 'x'",
        "UPDATE core_auditcounter SET last = 0",
        "ALTER TABLE core_auditevent DISABLE TRIGGER USER",
        "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only",
        "ALTER TABLE core_auditseal DISABLE TRIGGER ALL",
        "DROP TRIGGER core_auditevent_number ON core_auditevent",
        "SET session_replication_role = replica",
    ],
)
def test_the_application_role_cannot_change_the_audit_trail_or_disable_its_triggers(statement: str) -> None:
    with _app_role_connection() as app, pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute(statement)


def test_the_application_role_owns_nothing_and_may_do_its_work() -> None:
    with _app_role_connection() as app:
        owned = app.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = current_user"
        ).fetchone()
        assert owned == (0,)
        flags = app.execute("SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user")
        assert flags.fetchone() == (False, False, False)
        with app.transaction(force_rollback=True):
            app.execute("SELECT count(*) FROM core_auditevent").fetchone()
            app.execute("UPDATE core_user SET phone = phone WHERE false")
            app.execute(
                "INSERT INTO core_auditevent (at, actor_label, action, object_type, object_id, request_id, detail, "
                "entry_hash, chain_hash) VALUES (now(), 'system', 'test.app_role', '', '', '', '{}', 'x', '')"
            )
            # The numbering runs as the owner at commit, so the role needs no right on the counter.
            app.execute("SET CONSTRAINTS core_auditevent_number IMMEDIATE")
            number = app.execute("SELECT seq FROM core_auditevent WHERE action = 'test.app_role'").fetchone()
            assert number is not None
            assert number[0] is not None
            # The sealer's one fill-in is allowed, once.
            app.execute("UPDATE core_auditevent SET chain_hash = 'sealed' WHERE action = 'test.app_role'")
