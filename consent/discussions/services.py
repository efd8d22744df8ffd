"""Every write about an anonymous discussion case (DOMAIN.md): bringing it to an intake or list
meeting, its notes, and its end, as a named case after consent or closed (STYLE.md: actor first,
permission first, one transaction, the audit entry in the same transaction).

What a case may say is checked by consent.discussions.checks, who may do what by
consent.discussions.policy. The audit rows name the kinds of warning confirmed, never the words
found: the audit trail cannot be changed or deleted, and what the author typed must be
removable with the case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Youth
from consent.discussions import checks as discussion
from consent.discussions.policy import working_roles
from consent.models import AGE_BAND_RANGES, DiscussionCase, DiscussionNote
from consent.services import youth_consent_in_force
from core import access, audit
from core.dates import today_in_oslo
from org.models import District, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


def discussion_warnings_confirmed(found: list[discussion.Finding], confirmed_warnings: Iterable[str]) -> list[str]:
    """The keys of every warning, when the author has confirmed them all; else refuse, showing
    every warning (those confirmed before, and the new ones). Asked by discussion_case_create and
    discussion_note_add, and by the demo data before its bulk save."""
    if discussion.unconfirmed(found, confirmed_warnings):
        raise discussion.UnconfirmedWarnings(found)
    return [f.key for f in found]


def _kinds(keys: Iterable[str]) -> list[str]:
    return sorted({discussion.finding_from_key(key).kind for key in keys})


def _open_locked(case: DiscussionCase) -> DiscussionCase:
    """The case, locked for this transaction, refused unless still open."""
    locked = DiscussionCase.objects.select_for_update().get(pk=case.pk)
    if locked.state == DiscussionCase.State.CONVERTED:
        raise ValidationError(
            _("This case is now a named case. Write in the youth's record instead; the discussion is kept as it was.")
        )
    if locked.state == DiscussionCase.State.CLOSED:
        raise ValidationError(_("This case is closed. Its notes are kept as they were."))
    return locked


@transaction.atomic
def discussion_case_create(
    *,
    actor: User | AnonymousUser,
    unit: Unit,
    alias: str,
    age_band: str,
    district: District,
    summary: str,
    confirmed_warnings: Iterable[str] = (),
) -> DiscussionCase:
    """Bring a case to an intake or list meeting without identifying the youth.

    The actor brings it for a unit they work in (a role in force, not administration). A
    national identity number in the alias or the summary is refused outright; every warning
    that the details could identify the youth (a name, phone number, address, school, exact age,
    or fewer than five registered youths who fit) must be confirmed by the author, and the
    confirmed warnings are kept with the case."""
    if not working_roles(actor).filter(unit=unit).exists():
        raise PermissionDenied
    alias, summary = alias.strip(), summary.strip()
    errors = {}
    if not alias:
        errors["alias"] = _("Give the case an alias the meeting can use, for example «Gutt A».")
    if age_band not in AGE_BAND_RANGES:
        errors["age_band"] = _("Choose an age band.")
    if not summary:
        errors["summary"] = _("Describe the concern.")
    if errors:
        raise ValidationError(errors)
    discussion.refuse_identity_numbers({"alias": alias, "summary": summary})
    found = discussion.findings(texts=[alias, summary], district=district, age_band=age_band, today=today_in_oslo())
    keys = discussion_warnings_confirmed(found, confirmed_warnings)
    case = DiscussionCase.objects.create(
        alias=alias,
        age_band=age_band,
        district=district,
        summary=summary,
        unit=unit,
        created_by=access.signed_in(actor),
        confirmed_warnings=keys,
    )
    audit.record(
        actor=actor,
        action="discussion.created",
        target=case,
        detail={
            "unit": unit.pk,
            "district": district.pk,
            "age_band": age_band,
            "confirmed_warnings": _kinds(keys),
        },
    )
    return case


@transaction.atomic
def discussion_note_add(
    *,
    actor: User | AnonymousUser,
    case: DiscussionCase,
    text: str,
    confirmed_warnings: Iterable[str] = (),
    at: datetime.datetime | None = None,
) -> DiscussionNote:
    """Write down what the meeting said about an open anonymous case: its history, kept when it
    becomes a named case. Those who may sit in the meeting write (discussion_policy). The text is
    checked as the summary was; a school it names is counted against the case's age band and
    district (the whole district was counted, and its warning confirmed, when the case was made)."""
    if not (access.can(actor, case) and access.can(actor, case, "add_note")):
        raise PermissionDenied
    case = _open_locked(case)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what was discussed.")})
    discussion.refuse_identity_numbers({"text": text})
    found = discussion.findings(
        texts=[text], district=case.district, age_band=case.age_band, today=today_in_oslo(), whole_district=False
    )
    keys = discussion_warnings_confirmed(found, confirmed_warnings)
    now = timezone.now()
    at = at or now
    if at > now:
        raise ValidationError({"at": _("A note cannot be dated in the future.")})
    note = DiscussionNote.objects.create(
        case=case, author=access.signed_in(actor), text=text, at=at, confirmed_warnings=keys
    )
    audit.record(
        actor=actor,
        action="discussion.note_added",
        target=case,
        detail={"note": note.pk, "confirmed_warnings": _kinds(keys)},
    )
    return note


def discussion_case_convert_check(
    *, actor: User | AnonymousUser, case: DiscussionCase, youth: Youth, on: datetime.date | None = None
) -> None:
    """Who may name an open anonymous case, as whom, and when: staff of the unit that brought
    it (discussion_policy's "convert"), as a youth they may see (core.access), with a consent
    in force on the day (`on`, today by default): an anonymous case becomes a named case only
    with consent (DOMAIN.md). Asked by discussion_case_convert, and by the demo data of its
    named case before the bulk save."""
    if not access.can(actor, case, "convert"):
        raise PermissionDenied
    if not access.can(actor, youth):
        raise ValidationError({"youth": _("Choose a youth you work with. You can only name the case as such a youth.")})
    if not youth_consent_in_force(youth, on):
        raise ValidationError(
            {
                "youth": _(
                    "%(name)s has no consent in force. Record the consent first: an anonymous case becomes a "
                    "named case only with consent."
                )
                % {"name": youth.display_name}
            }
        )


@transaction.atomic
def discussion_case_convert(*, actor: User | AnonymousUser, case: DiscussionCase, youth: Youth) -> DiscussionCase:
    """After consent, the anonymous case becomes the named youth's case and keeps its notes.

    The unit that brought it converts it (discussion_policy); the youth must be one the actor may
    see (core.access) and must have a consent in force: an anonymous case becomes a named case
    only with consent (DOMAIN.md). From then on only those who may see the youth see the case."""
    if not (access.can(actor, case) and access.can(actor, case, "convert")):
        raise PermissionDenied
    case = _open_locked(case)
    discussion_case_convert_check(actor=actor, case=case, youth=youth)
    case.state = DiscussionCase.State.CONVERTED
    case.youth = youth
    case.converted_at = timezone.now()
    case.converted_by = access.signed_in(actor)
    case.save(update_fields=["state", "youth", "converted_at", "converted_by"])
    audit.record(
        actor=actor,
        action="discussion.converted",
        target=case,
        youth=youth,
        detail={"notes": case.notes.count()},
    )
    return case


def discussion_case_close_check(*, actor: User | AnonymousUser, case: DiscussionCase, reason: str) -> None:
    """Who may close an open anonymous case, and why: staff of the unit that brought it
    (discussion_policy's "close"), with one of the closing reasons. Asked by
    discussion_case_close, and by the demo data of its closed cases before the bulk save."""
    if not access.can(actor, case, "close"):
        raise PermissionDenied
    if reason not in DiscussionCase.ClosingReason.values:
        raise ValidationError({"reason": _("Choose why the case is closed.")})


@transaction.atomic
def discussion_case_close(*, actor: User | AnonymousUser, case: DiscussionCase, reason: str) -> DiscussionCase:
    """Close an anonymous case that will not become a named case, saying why. The unit that
    brought it closes it; the case and its notes are kept, read-only."""
    if not (access.can(actor, case) and access.can(actor, case, "close")):
        raise PermissionDenied
    case = _open_locked(case)
    discussion_case_close_check(actor=actor, case=case, reason=reason)
    case.state = DiscussionCase.State.CLOSED
    case.closing_reason = reason
    case.closed_at = timezone.now()
    case.closed_by = access.signed_in(actor)
    case.save(update_fields=["state", "closing_reason", "closed_at", "closed_by"])
    audit.record(actor=actor, action="discussion.closed", target=case, detail={"reason": reason})
    return case
