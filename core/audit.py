"""The audit trail: the only writer of core.AuditEvent, and its keyed hash chain.

Writing (`record`) computes the entry's HMAC-SHA-256 with the audit key (settings.AUDIT_HMAC_KEY,
kept outside the database) and inserts it: no lock, no read of other entries. When the transaction
commits, PostgreSQL numbers its entries 1, 2, 3, … without gaps (a deferred trigger, migration 0007:
the counter row is locked only for the commit itself). A periodic task (`seal`, every minute from
Celery beat) chains the numbered entries, each link HMAC(previous link, number, entry hash), writes a
checkpoint (AuditSeal) and publishes it outside the database (`publish_checkpoint`). `verify`
(manage.py audit_verify) reports the first entry altered, removed or added around the numbering.

PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the tables (migrations 0002 and 0007), and the
application's role may not change them or disable the triggers (core.dbroles). Whoever owns the
tables can, but without the key cannot recompute the hashes, and cannot remove the newest entries
without the counter or a published checkpoint showing it. What verify cannot notice is written in
docs/deployment.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import context
from .models import AuditCounter, AuditEvent, AuditSeal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

logger = logging.getLogger(__name__)
# Each seal's checkpoint, one line per seal, for the log collector to keep outside the database.
checkpoint_logger = logging.getLogger("laget.audit.checkpoint")

GENESIS = "0" * 64

# What each action means, for the people who review the trail. Actions not listed are shown as
# their code.
ACTION_LABELS = {
    "auth.password_ok": _("Password accepted"),
    "auth.otp_verified": _("Signed in (two-factor)"),
    "auth.otp_failed": _("Wrong two-factor code"),
    "auth.otp_enrolled": _("Set up two-factor sign-in"),
    "auth.login_failed": _("Failed sign-in"),
    "auth.locked_out": _("Locked out after failed sign-ins"),
    "auth.otp_refused_locked": _("Two-factor code refused: the account is locked"),
    "auth.logout": _("Signed out"),
    "auth.idle_timeout": _("Signed out after inactivity"),
    "auth.password_reset_requested": _("Asked to reset password"),
    "auth.password_reset_done": _("Reset password"),
    "api_token.issued": _("Issued an API key"),
    "api_token.revoked": _("Revoked an API key"),
    "api_token.refused": _("Was refused the API with an invalid, expired or revoked key"),
    "audit.viewed": _("Reviewed the audit trail"),
    "admin.add": _("Added in the administration"),
    "admin.change": _("Changed in the administration"),
    "admin.delete": _("Deleted in the administration"),
    "youth.registered": _("Registered a youth"),
    "youth.updated": _("Changed a youth's details"),
    "youth.duplicate_checked": _("Checked whether a youth is already registered"),
    "youth.duplicate_check_refused": _("Refused a check for an already registered youth: too many in an hour"),
    "youth.viewed": _("Opened a youth's page"),
    "youth.timeline_viewed": _("Read a youth's timeline"),
    "youth.contacts_viewed": _("Read a youth's contacts"),
    "youth.offences_viewed": _("Read a youth's offences"),
    "youth.printed": _("Printed a youth's page (PDF)"),
    "youth.disclosures_viewed": _("Read who has seen a youth's information"),
    "youth.disclosures_printed": _("Printed who has seen a youth's information (PDF)"),
    "followup.assigned": _("Assigned a follower"),
    "followup.unassigned": _("Ended an assignment"),
    "followup.capacity_override": _("Allowed a follower more youths than the limit"),
    "followup.state": _("Changed the state of a follow-up"),
    "followup.closed": _("Closed a follow-up"),
    "youth.team_viewed": _("Opened a youth's team"),
    "team.member_added": _("Added someone to a youth's team"),
    "team.member_ended": _("Ended a membership of a youth's team"),
    "team.lead_transferred": _("Passed lead responsibility in a youth's team"),
    "calendar.viewed": _("Opened their calendar"),
    "calendar.feed_created": _("Made a secret calendar address"),
    "calendar.feed_revoked": _("Revoked a secret calendar address"),
    "meeting.reminder_sent": _("Sent a meeting reminder"),
    "meeting.change_sent": _("Sent a moved or cancelled meeting's calendar update"),
    "action_item.reminder_sent": _("Sent an action item reminder"),
    "action_item.digest_sent": _("Sent the weekly digest of overdue action items"),
    "discussion.created": _("Brought a case for anonymous discussion"),
    "discussion.viewed": _("Read an anonymous discussion"),
    "discussion.note_added": _("Added a note to an anonymous discussion"),
    "discussion.converted": _("Named an anonymous discussion after consent"),
    "discussion.closed": _("Closed an anonymous discussion"),
    "contact.logged": _("Logged a contact"),
    "contact.viewed": _("Read a contact"),
    "contact.updated": _("Changed a contact"),
    "contact.deleted": _("Deleted a contact"),
    "contact.task_done": _("Marked a task done"),
    "offence.registered": _("Registered an offence"),
    "justice_step.added": _("Registered a criminal-justice step"),
    "reporting_date.recorded": _("Recorded reporting attendance"),
    "outcome.recorded": _("Recorded an outcome measure"),
    "consent.recorded": _("Recorded a consent"),
    "consent.revised": _("Revised a consent"),
    "consent.withdrawn": _("Recorded that a consent was withdrawn"),
    "consent.legal_basis_used": _("Shared information on a legal basis without consent"),
    "consent.document_downloaded": _("Downloaded a signed consent form"),
    "consent.legal_basis_reviewed": _("Reviewed uses of legal bases"),
    "meeting.planned": _("Planned a meeting"),
    "meeting.changed": _("Changed a meeting"),
    "meeting.cancelled": _("Cancelled a meeting"),
    "meeting.viewed": _("Opened a meeting"),
    "meeting.participant_added": _("Invited someone to a meeting"),
    "meeting.presence_recorded": _("Recorded who took part in a meeting"),
    "meeting.rated": _("Recorded how useful a meeting was"),
    "minutes.saved": _("Saved meeting minutes"),
    "minutes.approved": _("Approved meeting minutes"),
    "minutes.printed": _("Printed meeting minutes (PDF)"),
    "minutes.history_viewed": _("Read the versions of meeting minutes"),
    "action_item.added": _("Added an action item"),
    "action_item.status_changed": _("Changed the status of an action item"),
    "plan.created": _("Made a youth's plan"),
    "plan.goal_added": _("Added a goal to a youth's plan"),
    "plan.goal_changed": _("Changed a goal in a youth's plan"),
    "plan.step_added": _("Added a step to a youth's plan"),
    "plan.step_changed": _("Changed a step in a youth's plan"),
    "plan.step_status_changed": _("Changed the status of a step in a youth's plan"),
    "plan.review_set": _("Set the next review of a youth's plan"),
    "plan.acknowledged": _("Recorded that a youth's plan was acknowledged"),
    "plan.viewed": _("Opened a youth's plan"),
    "plan.printed": _("Printed a youth's plan (PDF)"),
    "plan.printed_for_youth": _("Printed a youth's own copy of the plan, Min plan (PDF)"),
    "plan.shared": _("Shared a youth's plan"),
    "plan.shown_in_meeting": _("Showed a youth's plan on the shared screen"),
    "plan.versions_viewed": _("Read the versions of a youth's plan"),
    "plan.versions_compared": _("Compared two versions of a youth's plan"),
    "plan.review_reminder_sent": _("Sent a plan review reminder"),
    "transition.list_viewed": _("Read a unit's list of youths turning 18"),
    "intake.proposed": _("Proposed a candidate for the intake queue"),
    "intake.queue_viewed": _("Read a district's intake queue"),
    "intake.candidate_shown": _("Showed an intake candidate on the shared screen"),
    "intake.summary_shown": _("Showed an intake meeting's decisions on the shared screen"),
    "intake.decided": _("Made an intake decision"),
    "intake.minutes_drafted": _("Drafted intake meeting minutes from the decisions"),
    "list_meeting.viewed": _("Read a list meeting"),
    "list_meeting.entry_added": _("Added a youth to a list meeting"),
    "concern_report.received": _("Received a concern report"),
    "concern_report.closed_uninvestigated": _("Closed a concern report without investigation"),
    "concern_report.investigation_opened": _("Opened an investigation of a concern report"),
    "concern_report.investigation_extended": _("Extended an investigation to 6 months"),
    "concern_report.concluded": _("Concluded the investigation of a concern report"),
    "concern_report.guardians_may_be_told": _("Recorded that the guardians may be told about a concern report"),
    "concern_report.feedback_sent": _("Recorded feedback to the reporter of a concern report"),
    "concern_report.assigned": _("Assigned a caseworker to a concern report"),
    "concern_report.receipt_viewed": _("Read the receipt and feedback of a concern report they sent"),
    "concern_report.viewed": _("Opened a concern report"),
    "concern_report.exported": _("Exported a concern report (KS Fiks)"),
    "concern_report.ksfiks_original_kept": _("Kept the original KS Fiks document of an imported concern report"),
    "concern_report.ksfiks_original_viewed": _("Read the original KS Fiks document of a concern report"),
    "concern_report.ksfiks_original_refused": _("Was refused the original KS Fiks document of a concern report"),
    "concern_report.attachment_viewed": _("Downloaded an attachment of a concern report"),
    "concern_report.attachment_refused": _("Was refused an attachment of a concern report"),
    "concern_report.receipt_printed": _("Printed the receipt of a concern report (PDF)"),
    "concern_report.guardian_letter_printed": _("Printed a letter to the guardians about a concern report (PDF)"),
    "concern_report.guardian_output_refused": _("Was refused a guardian letter about a report of violence or abuse"),
    "concern_report.reminder_sent": _("Sent a concern report deadline reminder"),
    "concern_report.handover_gap_flagged": _("Flagged a child without follow-up after the handover to measures"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


_SEAL_LOCK = 0x1A6E7A  # pg_advisory lock key for the sealer ("laget audit")


def record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: Model | None = None,
    youth: Model | int | None = None,
    detail: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """Append one entry. Call it inside the service's transaction, so the entry and the change
    it describes are written together or not at all. Its number comes at commit (PostgreSQL)."""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
        if youth is None and object_type == "cases.youth":
            youth = target
    youth_id = youth.pk if isinstance(youth, Model) else youth
    user = actor if actor is not None and actor.is_authenticated else None
    ctx = context.current()
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_label=(user.email if user is not None else "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        youth_id=youth_id,
        request_id=ctx.request_id,
        ip=ctx.ip,
        detail=detail or {},
    )
    event.entry_hash = entry_hash(event)
    event.save(force_insert=True)
    return event


def _key() -> bytes:
    key: str = settings.AUDIT_HMAC_KEY
    if not key:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY is not set: the audit trail can be neither written nor checked.")
    return key.encode()


def _canonical(event: AuditEvent) -> bytes:
    at: datetime = event.at
    content = {
        "id": None,  # not known before insert; the number (seq) and the chain fix the order instead
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
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


def entry_hash(event: AuditEvent, *, key: bytes | None = None) -> str:
    """HMAC-SHA-256 of the entry's content with the audit key."""
    return hmac.new(key or _key(), _canonical(event), hashlib.sha256).hexdigest()


def chain_link(previous: str, seq: int, entry: str, *, key: bytes | None = None) -> str:
    """The chain's link for entry number `seq`: HMAC(previous link, number, entry hash)."""
    return hmac.new(key or _key(), f"{previous}:{seq}:{entry}".encode(), hashlib.sha256).hexdigest()


def _number_pending() -> None:
    """Entries recorded in the current transaction get their numbers when it commits; number them
    now, so that a caller who records and then seals or verifies in one transaction (a test, a
    management shell) sees them. Outside a transaction there is nothing pending."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS core_auditevent_number IMMEDIATE")
            cursor.execute("SET CONSTRAINTS core_auditevent_number DEFERRED")


def seal(*, batch_size: int = 5000) -> int:
    """Chain the numbered entries not yet sealed, in the order of their numbers, and checkpoint.

    Safe to run twice at once (an advisory lock makes the second wait) and safe after a crash
    (nothing is half-sealed: one transaction). Numbers follow the order of commits, so every
    number below a committed one is committed too: a gap means entries were removed. The sealer
    says so in the log and chains across it, so the gap stays in the evidence for verify.
    Returns how many entries were sealed.
    """
    key = _key()
    with transaction.atomic():
        _number_pending()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        head = AuditEvent.objects.exclude(chain_hash="").order_by("-seq").values_list("seq", "chain_hash").first()
        seq, chain = (head[0] or 0, head[1]) if head else (0, GENESIS)
        pending = list(AuditEvent.objects.filter(chain_hash="", seq__gt=seq).order_by("seq")[:batch_size])
        if not pending:
            return 0
        for event in pending:
            assert event.seq is not None
            if event.seq != seq + 1:
                logger.error(
                    "audit entries numbered %s–%s are missing (before entry %s)", seq + 1, event.seq - 1, event.pk
                )
            if entry_hash(event, key=key) != event.entry_hash:
                # Altered before it was sealed: seal it anyway, so the evidence is kept in the
                # chain, and tell the operators.
                logger.error("audit entry %s does not match its hash before sealing", event.pk)
            seq = event.seq
            chain = chain_link(chain, seq, event.entry_hash, key=key)
            event.chain_hash = chain
        AuditEvent.objects.bulk_update(pending, ["chain_hash"], batch_size=1000)
        checkpoint = AuditSeal.objects.create(
            last_seq=seq, last_event_id=pending[-1].pk, chain_hash=chain, count=len(pending)
        )
        transaction.on_commit(partial(publish_checkpoint, checkpoint))
        return len(pending)


def publish_checkpoint(checkpoint: AuditSeal) -> None:
    """Put a committed seal outside the database: one line in the log (`laget.audit.checkpoint`,
    which the log collector keeps) and, when LAGET_AUDIT_CHECKPOINT_FILE is set, in that file.
    Whoever can rewrite the tables cannot reach these, so verify notices the newest entries
    removed together with their seal and the counter set back."""
    line = json.dumps(
        {
            "seq": checkpoint.last_seq,
            "chain": checkpoint.chain_hash,
            "event": checkpoint.last_event_id,
            "sealed_at": checkpoint.sealed_at.astimezone(UTC).isoformat(timespec="seconds"),
        },
        separators=(",", ":"),
    )
    checkpoint_logger.info("audit checkpoint %s", line)
    path = settings.LAGET_AUDIT_CHECKPOINT_FILE
    if path:
        try:
            with Path(path).open("a", encoding="utf-8") as published:
                published.write(line + "\n")
        except OSError:
            logger.exception("could not publish the audit checkpoint to %s", path)


def read_checkpoints(lines: Iterable[str]) -> list[tuple[int, str]]:
    """The checkpoints in a file of published lines (the checkpoint file, or log lines that
    contain `audit checkpoint {...}`); other lines are skipped."""
    found = []
    for line in lines:
        start = line.find("{")
        if start < 0:
            continue
        try:
            data = json.loads(line[start:])
            found.append((int(data["seq"]), str(data["chain"])))
        except (ValueError, KeyError, TypeError):
            continue
    return found


def _published_checkpoints() -> list[tuple[int, str]]:
    path = settings.LAGET_AUDIT_CHECKPOINT_FILE
    if not path or not Path(path).exists():
        return []
    with Path(path).open(encoding="utf-8") as published:
        return read_checkpoints(published)


@dataclass(frozen=True)
class Problem:
    event_id: int | None
    message: str


@dataclass(frozen=True)
class Verification:
    checked: int
    unsealed: int
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(*, checkpoints: Iterable[tuple[int, str]] | None = None) -> Verification:
    """Walk every entry in the order of its number and report the first one altered or removed.

    Checks: each entry's HMAC; numbers 1, 2, 3, … without a gap; each sealed entry's link; every
    seal and every published checkpoint (LAGET_AUDIT_CHECKPOINT_FILE, or `checkpoints`) against
    the chain; the counter against the last number (entries removed from the end); and that no
    entry was written around the numbering.
    """
    key = _key()
    _number_pending()
    # Counter and seals first: entries committed after these reads only come later in the walk.
    counter = AuditCounter.objects.filter(pk=1).values_list("last", flat=True).first() or 0
    seals = list(AuditSeal.objects.order_by("last_seq").values_list("last_seq", "last_event_id", "chain_hash"))
    published = list(checkpoints) if checkpoints is not None else _published_checkpoints()
    wanted = {row[0] for row in seals} | {seq for seq, _chain in published}
    chain_at: dict[int, str] = {}
    checked = unsealed = 0
    previous_seq, chain = 0, GENESIS
    previous_id: int | None = None
    events: Iterable[AuditEvent] = (
        AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)
    )
    for event in events:
        assert event.seq is not None
        if event.seq != previous_seq + 1:
            return Verification(
                checked,
                unsealed,
                Problem(
                    event.pk,
                    f"Entries numbered {previous_seq + 1}–{event.seq - 1} were removed "
                    f"(between entry {previous_id} and entry {event.pk}).",
                ),
            )
        if entry_hash(event, key=key) != event.entry_hash:
            state = "" if event.chain_hash else " (not yet sealed)"
            return Verification(checked, unsealed, Problem(event.pk, f"Entry {event.pk} was altered{state}."))
        if event.chain_hash:
            if unsealed:
                return Verification(
                    checked, unsealed, Problem(event.pk, f"Entry {event.pk} is sealed after entries that are not.")
                )
            checked += 1
            chain = chain_link(chain, event.seq, event.entry_hash, key=key)
            if chain != event.chain_hash:
                return Verification(
                    checked,
                    unsealed,
                    Problem(event.pk, f"Entry {event.pk} was altered (its place in the chain does not match)."),
                )
            if event.seq in wanted:
                chain_at[event.seq] = chain
        else:
            unsealed += 1
        previous_seq, previous_id = event.seq, event.pk
    if counter > previous_seq:
        return Verification(
            checked,
            unsealed,
            Problem(
                None,
                f"Entries numbered {previous_seq + 1}–{counter} were removed from the end (after entry {previous_id}).",
            ),
        )
    for last_seq, last_event_id, seal_chain in seals:
        if chain_at.get(last_seq) != seal_chain:
            return Verification(
                checked,
                unsealed,
                Problem(
                    last_event_id,
                    f"Entries up to entry {last_event_id} (number {last_seq}) were removed or altered "
                    f"after entry {previous_id}.",
                ),
            )
    for seq, published_chain in published:
        if chain_at.get(seq) != published_chain:
            return Verification(
                checked,
                unsealed,
                Problem(
                    None,
                    f"Entries up to number {seq}, published in a checkpoint, were removed or altered "
                    f"after entry {previous_id}.",
                ),
            )
    stray = AuditEvent.objects.filter(seq__isnull=True).order_by("id").values_list("pk", flat=True).first()
    if stray is not None:
        return Verification(
            checked, unsealed, Problem(stray, f"Entry {stray} has no number: it was written around the numbering.")
        )
    return Verification(checked, unsealed, None)
