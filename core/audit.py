"""The audit trail: the only writer of core.AuditEvent, and its hash chain.

Writing (`record`) hashes the entry's own content and inserts it: no lock, no read of other
entries, so auditing never serialises requests. A periodic task (`seal`, every minute from
Celery beat) puts the new entries in a chain, each link SHA-256(previous link + entry hash),
and writes a checkpoint (AuditSeal). `verify` (manage.py audit_verify) walks the chain and
reports the first entry that was altered or removed. PostgreSQL itself refuses UPDATE,
DELETE and TRUNCATE on the table (migration core 0002), except the sealer's one-time fill-in.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import context
from .models import AuditEvent, AuditSeal

logger = logging.getLogger(__name__)

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
    "intake.proposed": _("Proposed a candidate for the intake queue"),
    "intake.queue_viewed": _("Read a district's intake queue"),
    "intake.candidate_shown": _("Showed an intake candidate on the shared screen"),
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
    actor: Any,
    action: str,
    target: Model | None = None,
    youth: Model | int | None = None,
    detail: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """Append one entry. Call it inside the service's transaction, so the entry and the change
    it describes are written together or not at all."""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
        if youth is None and object_type == "cases.youth":
            youth = target
    youth_id = youth.pk if isinstance(youth, Model) else youth
    user = actor if getattr(actor, "is_authenticated", False) else None
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


def _canonical(event: AuditEvent) -> bytes:
    at: datetime = event.at
    content = {
        "id": None,  # not known before insert; the chain fixes the order instead
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


def entry_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _link(previous: str, entry: str) -> str:
    return hashlib.sha256(f"{previous}{entry}".encode()).hexdigest()


def seal(*, batch_size: int = 5000) -> int:
    """Chain the entries not yet sealed, in the order they are found (by id), and checkpoint.

    Safe to run twice at once (an advisory lock makes the second wait) and safe after a crash
    (nothing is half-sealed: one transaction). An entry whose transaction commits late, with a
    lower id than entries already sealed, is simply chained in the next run.
    Returns how many entries were sealed.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        head = (
            AuditEvent.objects.filter(seal_seq__isnull=False)
            .order_by("-seal_seq")
            .values_list("seal_seq", "chain_hash")
            .first()
        )
        seq, chain = (head[0] or 0, head[1]) if head else (0, GENESIS)
        pending = list(AuditEvent.objects.filter(seal_seq__isnull=True).order_by("id")[:batch_size])
        if not pending:
            return 0
        for event in pending:
            if entry_hash(event) != event.entry_hash:
                # Altered before it was sealed: seal it anyway, so the evidence is kept in the
                # chain, and tell the operators.
                logger.error("audit entry %s does not match its hash before sealing", event.pk)
            seq += 1
            chain = _link(chain, event.entry_hash)
            event.seal_seq = seq
            event.chain_hash = chain
        AuditEvent.objects.bulk_update(pending, ["seal_seq", "chain_hash"], batch_size=1000)
        AuditSeal.objects.create(last_seq=seq, last_event_id=pending[-1].pk, chain_hash=chain, count=len(pending))
        return len(pending)


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


def verify() -> Verification:
    """Walk the whole chain in order and report the first entry altered or removed."""
    checked = 0
    previous_seq, chain = 0, GENESIS
    previous_id: int | None = None
    chain_at: dict[int, str] = {}
    sealed: Iterable[AuditEvent] = (
        AuditEvent.objects.filter(seal_seq__isnull=False).order_by("seal_seq").iterator(chunk_size=2000)
    )
    for event in sealed:
        assert event.seal_seq is not None
        checked += 1
        if event.seal_seq != previous_seq + 1:
            return Verification(
                checked,
                0,
                Problem(
                    event.pk,
                    f"Entries at chain positions {previous_seq + 1}–{event.seal_seq - 1} were removed "
                    f"(between entry {previous_id} and entry {event.pk}).",
                ),
            )
        if entry_hash(event) != event.entry_hash:
            return Verification(checked, 0, Problem(event.pk, f"Entry {event.pk} was altered."))
        chain = _link(chain, event.entry_hash)
        if chain != event.chain_hash:
            return Verification(
                checked,
                0,
                Problem(event.pk, f"Entry {event.pk} was altered (its place in the chain does not match)."),
            )
        chain_at[event.seal_seq] = chain
        previous_seq, previous_id = event.seal_seq, event.pk
    for seal_row in AuditSeal.objects.order_by("last_seq").iterator():
        if chain_at.get(seal_row.last_seq) != seal_row.chain_hash:
            return Verification(
                checked,
                0,
                Problem(
                    seal_row.last_event_id,
                    f"Entries up to entry {seal_row.last_event_id} (chain position {seal_row.last_seq}) "
                    f"were removed or altered after entry {previous_id}.",
                ),
            )
    unsealed = 0
    for event in AuditEvent.objects.filter(seal_seq__isnull=True).order_by("id").iterator(chunk_size=2000):
        unsealed += 1
        if entry_hash(event) != event.entry_hash:
            return Verification(checked, unsealed, Problem(event.pk, f"Entry {event.pk} was altered (not yet sealed)."))
    return Verification(checked, unsealed, None)
