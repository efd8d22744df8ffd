"""Every write about youths and their follow-up. Each service checks permission first, runs in
one transaction, and writes its audit entry in the same transaction (STYLE.md)."""

from __future__ import annotations

import datetime
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Model, Q, When
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consent import policy as consent_policy
from consent.policy import Viewer
from core import access, audit
from core.dates import OSLO
from core.models import AuditEvent
from core.validators import REASON_MAX, normalise_national_id
from core.workflow import actions_open, transition_check, transition_to
from org.models import Unit
from org.selectors import staffroles_active

from .models import (
    FOLLOWUP_TRANSITIONS,
    Contact,
    ContactDraft,
    ContactVersion,
    FollowUp,
    FollowUpAssignment,
    JusticeStep,
    Offence,
    OutcomeMeasure,
    ReportingDate,
    Youth,
)
from .policy import registering_units

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


def _require(user: User | AnonymousUser, obj: Model, action: str) -> None:
    if not access.can(user, obj, action):
        raise PermissionDenied


def _full_clean(obj: Model, exclude: Iterable[str] = ()) -> None:
    """Field validation, clean() and the model's constraints, as messages, before the database
    would refuse the row with an IntegrityError."""
    obj.full_clean(exclude=list(exclude))


# --- Youths ------------------------------------------------------------------------------

YOUTH_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "national_id",
    "birth_date",
    "gender",
    "district",
    "school",
    "school_class",
    "address",
    "postal_code",
    "phone",
    "language",
    "needs_interpreter",
    "safety_notes",
)


_DUPLICATE_NATIONAL_ID = gettext_lazy("A youth with this national identity number is already registered in Laget.")
_TOO_MANY_CHECKS = gettext_lazy(
    "You have checked many national identity numbers and names in the last hour. Try again later, "
    "or ask a coordinator who follows the youth."
)

# --- The duplicate check -------------------------------------------------------------------------
# Registering a youth (and changing a national identity number) tells whether a youth with the same
# number, or the same name and date of birth, is already registered anywhere in Laget: a duplicate
# is a duplicate whoever follows it. So that it cannot be used to find out who is followed in other
# districts, each check is audited (one entry per number or name searched, linked to the youth found
# so it shows in that youth's access log), names only youths the person may see (core.access), and
# is throttled per person: at most LAGET_DUPLICATE_CHECKS_PER_HOUR different numbers or names an
# hour. The audit entries are the counter (PostgreSQL, no cache to fail); they carry a keyed hash
# of what was searched, never the number itself.

DUPLICATE_CHECKED = "youth.duplicate_checked"
DUPLICATE_CHECK_REFUSED = "youth.duplicate_check_refused"


@dataclass(frozen=True)
class PossibleDuplicate:
    youth: Youth | None  # None when the person may not see the youth already registered
    same_national_id: bool


def _probe(kind: str, *parts: str) -> str:
    return salted_hmac("laget.cases.duplicate_check", "|".join((kind, *parts))).hexdigest()[:32]


def _probes(national_id: str, first_name: str, last_name: str, birth_date: datetime.date | None) -> list[str]:
    probes = []
    if national_id:
        probes.append(_probe("national_id", national_id))
    if first_name and last_name and birth_date:
        name = unicodedata.normalize("NFKC", f"{first_name.strip()} {last_name.strip()}").casefold()
        probes.append(_probe("name", name, birth_date.isoformat()))
    return probes


def _check_allowed(*, actor: User | AnonymousUser, probes: list[str]) -> bool:
    """Within the hourly allowance? Searching again for what was searched this hour is free."""
    with connection.cursor() as cursor:  # one check at a time per person
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7311, actor.pk])
    since = timezone.now() - datetime.timedelta(hours=1)
    earlier = set(
        AuditEvent.objects.filter(actor=access.signed_in(actor), action=DUPLICATE_CHECKED, at__gte=since).values_list(
            "detail__probe", flat=True
        )
    )
    new = [probe for probe in probes if probe not in earlier]
    return not new or len(earlier) + len(new) <= settings.LAGET_DUPLICATE_CHECKS_PER_HOUR


def youth_duplicates_check(
    *,
    actor: User | AnonymousUser,
    national_id: str = "",
    first_name: str = "",
    last_name: str = "",
    birth_date: datetime.date | None = None,
    exclude: Youth | None = None,
) -> list[PossibleDuplicate]:
    """Youths already registered with the same national identity number, or the same name and date
    of birth, named only when the person may see them; audited and throttled (see above).

    Runs in a transaction of its own, before any registration, so that a registration refused
    as a duplicate still leaves its audit entry (and counts towards the allowance)."""
    national_id = normalise_national_id(national_id)
    probes = _probes(national_id, first_name, last_name, birth_date)
    if not probes:
        return []
    with transaction.atomic():
        if not _check_allowed(actor=actor, probes=probes):
            audit.record(actor=actor, action=DUPLICATE_CHECK_REFUSED, detail={"probes": probes})
            allowed = False
        else:
            allowed = True
            condition = Q(pk__in=[])
            if national_id:
                condition |= Q(national_id=national_id)
            if first_name and last_name and birth_date:
                condition |= Q(
                    first_name__unaccent__iexact=first_name.strip(),
                    last_name__unaccent__iexact=last_name.strip(),
                    birth_date=birth_date,
                )
            candidates = Youth.objects.filter(condition)
            if exclude is not None:
                candidates = candidates.exclude(pk=exclude.pk)
            found = list(candidates.order_by("pk"))
            by_id = [y for y in found if national_id and y.national_id == national_id]
            by_name = [y for y in found if y not in by_id]
            for probe, matches in zip(probes, [by_id, by_name] if national_id else [by_name], strict=False):
                audit.record(
                    actor=actor,
                    action=DUPLICATE_CHECKED,
                    youth=matches[0].pk if matches else None,
                    detail={"probe": probe, "matches": len(matches)},
                )
    if not allowed:
        raise ValidationError({"national_id": _TOO_MANY_CHECKS}, code="throttled")
    visible = set(
        access.visible(actor, Youth.objects.filter(pk__in=[y.pk for y in found])).values_list("pk", flat=True)
    )
    return [
        PossibleDuplicate(
            youth=youth if youth.pk in visible else None,
            same_national_id=bool(national_id) and youth.national_id == national_id,
        )
        for youth in found
    ]


def _refuse_duplicate_national_id(*, actor: User | AnonymousUser, youth: Youth) -> None:
    """The same number is never registered twice; the check is the audited, throttled one."""
    if not youth.national_id:
        return
    found = youth_duplicates_check(actor=actor, national_id=youth.national_id, exclude=youth if youth.pk else None)
    if any(duplicate.same_national_id for duplicate in found):
        raise ValidationError({"national_id": _DUPLICATE_NATIONAL_ID})


def _save_youth(youth: Youth) -> None:
    """Save; two people registering the same number at the same moment get the same message."""
    try:
        with transaction.atomic():
            youth.save()
    except IntegrityError:
        raise ValidationError({"national_id": _DUPLICATE_NATIONAL_ID}) from None


class DuplicateSuspected(Exception):
    """Registering would add a youth who may already be registered (the same name and date of
    birth): the caller shows the candidates and registers only when the person confirms."""

    def __init__(self, candidates: list[PossibleDuplicate]) -> None:
        super().__init__("possible duplicate")
        self.candidates = candidates


class DuplicateRefused(ValidationError):
    """The same national identity number is registered already: refused, never confirmable (the
    number is unique in the database, too). Carries the candidates so the caller can show them."""

    def __init__(self, candidates: list[PossibleDuplicate]) -> None:
        super().__init__({"national_id": _DUPLICATE_NATIONAL_ID})
        self.candidates = candidates


def youth_register(
    *, actor: User | AnonymousUser, unit: Unit, data: Mapping[str, Any], confirm_duplicate: bool = False
) -> Youth:
    """Register a youth and open a follow-up in intake in the unit (a follow-up team).

    Only the unit's coordinators and leaders register youths: the youth becomes visible to them
    through the new follow-up, and to a follower once one is assigned. Before registering, the
    audited and throttled duplicate check runs once: the same national identity number is
    refused (DuplicateRefused); the same name and date of birth is a possible duplicate that the
    person must confirm (DuplicateSuspected unless `confirm_duplicate`). The page and the API both
    meet this rule here.
    """
    units = registering_units(actor)
    if not units.exists():
        raise PermissionDenied
    if not units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Choose a follow-up team you work in.")})
    youth = Youth(**{field: data[field] for field in YOUTH_FIELDS if field in data})
    youth.national_id = normalise_national_id(youth.national_id)
    found = youth_duplicates_check(
        actor=actor,
        national_id=youth.national_id,
        first_name=youth.first_name,
        last_name=youth.last_name,
        birth_date=youth.birth_date if isinstance(youth.birth_date, datetime.date) else None,
    )
    if any(duplicate.same_national_id for duplicate in found):
        raise DuplicateRefused(found)
    if found and not confirm_duplicate:
        raise DuplicateSuspected(found)
    return _youth_register(actor=actor, unit=unit, youth=youth)


@transaction.atomic
def _youth_register(*, actor: User | AnonymousUser, unit: Unit, youth: Youth) -> Youth:
    _full_clean(youth)
    _save_youth(youth)
    followup = FollowUp.objects.create(youth=youth, unit=unit, state=FollowUp.State.INTAKE)
    audit.record(actor=actor, action="youth.registered", target=youth, detail={"followup": followup.pk})
    return youth


def youth_edit_viewer(*, actor: User | AnonymousUser, youth: Youth) -> Viewer:
    """Who may change a youth's details: a person who manages the follow-up or logs contacts on
    it (core.access), and whose service sees the whole record the details belong to: identity and
    contact information, and the school when one is recorded (consent.policy: the record is kept
    by the service that holds the follow-up). An outreach worker assigned as coordinator logs
    contacts but may not rewrite a record their service may not read. PermissionDenied otherwise,
    whichever the caller (page, API, demo). Returns the viewer; asking it is no disclosure (a
    caller that shows the record gets it from cases.selectors.youth_record, which logs)."""
    if not (access.can(actor, youth, "manage_followup") or access.can(actor, youth, "log_contact")):
        raise PermissionDenied
    viewer = consent_policy.viewer(actor, youth)
    if viewer.fields(youth, YOUTH_FIELDS).withheld:
        raise PermissionDenied
    return viewer


def youth_update(*, actor: User | AnonymousUser, youth: Youth, data: Mapping[str, Any]) -> Youth:
    """Change a youth's details (the rule of youth_edit_viewer). Restricted fields only by those
    who may see them; a new national identity number goes through the audited and throttled
    duplicate check."""
    restricted = {"national_id", "address", "postal_code"}
    if restricted & set(data) and not access.can(actor, youth, "view_restricted"):
        raise PermissionDenied
    youth_edit_viewer(actor=actor, youth=youth)
    if "national_id" in data:
        new_id = normalise_national_id(data["national_id"])
        if new_id != normalise_national_id(youth.national_id):
            _refuse_duplicate_national_id(actor=actor, youth=Youth(pk=youth.pk, national_id=new_id))
    return _youth_update(actor=actor, youth=youth, data=data)


@transaction.atomic
def _youth_update(*, actor: User | AnonymousUser, youth: Youth, data: Mapping[str, Any]) -> Youth:
    changed = []
    for field in YOUTH_FIELDS:
        if field in data and getattr(youth, field) != data[field]:
            setattr(youth, field, data[field])
            changed.append(field)
    youth.national_id = normalise_national_id(youth.national_id)
    _full_clean(youth)
    _save_youth(youth)
    audit.record(actor=actor, action="youth.updated", target=youth, detail={"fields": changed})
    return youth


# --- Follow-up ---------------------------------------------------------------------------


# The code of followup_assign's capacity refusal: a caller offers a leader the override with it.
OVER_CAPACITY = "over_capacity"


def follower_load(*, user: User) -> int:
    """How many youths the person follows as lead, in follow-ups not closed."""
    return (
        FollowUpAssignment.objects.filter(user=user, role=FollowUpAssignment.Role.LEAD, ends_on__isnull=True)
        .exclude(followup__state=FollowUp.State.CLOSED)
        .count()
    )


def capacity_for(*, unit: Unit) -> int:
    return unit.district.max_youths_per_follower if unit.district else 5


def followup_assignee_check(*, user: User, unit: Unit) -> None:
    """A follow-up is given to someone with a role in force in its unit. Asked by
    followup_assign, and by the demo data of every assignment before its bulk save."""
    if not staffroles_active(user=user).filter(unit=unit).exists():
        raise ValidationError({"user": _("%(name)s has no role in %(unit)s.") % {"name": user, "unit": unit}})


def followup_capacity_check(*, user: User, unit: Unit, adding: int = 1) -> None:
    """The Oslo standard: a follower holds at most `capacity_for(unit)` youths as lead (a setting
    per district, 5 by default). ValidationError (code OVER_CAPACITY) when `adding` more would
    pass it. followup_assign asks it before a new lead (a leader may override); the demo data
    asks it of every follower after its bulk save (adding=0)."""
    limit = capacity_for(unit=unit)
    load = follower_load(user=user)
    if load + adding > limit:
        raise ValidationError(
            _(
                "%(name)s already follows %(load)d youths, and the limit is %(limit)d. "
                "A leader can allow one more with a written reason."
            )
            % {"name": user, "load": load, "limit": limit},
            code=OVER_CAPACITY,
        )


@transaction.atomic
def followup_assign(
    *,
    actor: User | AnonymousUser,
    followup: FollowUp,
    user: User,
    role: str = FollowUpAssignment.Role.LEAD,
    override_reason: str = "",
) -> FollowUpAssignment:
    """Give the follow-up a follower (or family follower, coordinator), ending the one before.

    The Oslo standard: a follower has at most 5 active youths (a setting per district). Assigning
    one more is refused unless a leader of the unit overrides with a written reason, which is
    kept on the assignment and audited.
    """
    youth = followup.youth
    _require(actor, youth, "manage_followup")
    if not followup.is_open:
        raise ValidationError(_("The follow-up is closed."))
    followup_assignee_check(user=user, unit=followup.unit)
    override_reason = override_reason.strip()
    FollowUp.objects.select_for_update().filter(pk=followup.pk).first()  # one assignment change at a time
    current = followup.assignments.filter(role=role, ends_on__isnull=True).first()
    if current is not None and current.user_id == user.pk:
        return current
    if role == FollowUpAssignment.Role.LEAD:
        # Serialise capacity checks for this follower, so two coordinators cannot both give
        # them their fifth youth at the same moment.
        type(user).objects.select_for_update().filter(pk=user.pk).first()
        try:
            followup_capacity_check(user=user, unit=followup.unit)
        except ValidationError:
            if not override_reason:
                raise
            _require(actor, youth, "override_capacity")
            load, limit = follower_load(user=user), capacity_for(unit=followup.unit)
            audit.record(
                actor=actor,
                action="followup.capacity_override",
                target=followup,
                youth=youth,
                detail={"follower": user.pk, "load": load, "limit": limit, "reason": override_reason},
            )
        else:
            override_reason = ""  # no exception was needed; do not keep a reason for one
    today = timezone.localdate()
    if current is not None:
        current.ends_on = today
        current.save(update_fields=["ends_on"])
    assignment = FollowUpAssignment.objects.create(
        followup=followup,
        user=user,
        role=role,
        starts_on=today,
        assigned_by=access.signed_in(actor),
        override_reason=override_reason,
    )
    audit.record(
        actor=actor,
        action="followup.assigned",
        target=followup,
        youth=youth,
        detail={"user": user.pk, "role": role, "previous": current.user_id if current else None},
    )
    return assignment


@transaction.atomic
def followup_unassign(*, actor: User | AnonymousUser, assignment: FollowUpAssignment) -> None:
    _require(actor, assignment.followup.youth, "manage_followup")
    if assignment.ends_on is None:
        assignment.ends_on = timezone.localdate()
        assignment.save(update_fields=["ends_on"])
        audit.record(
            actor=actor,
            action="followup.unassigned",
            target=assignment.followup,
            youth=assignment.followup.youth_id,
            detail={"user": assignment.user_id, "role": assignment.role},
        )


def followup_available_actions(followup: FollowUp) -> list[str]:
    """The actions FOLLOWUP_TRANSITIONS opens from the follow-up's state now (start, pause,
    resume, close): what the follow-up page offers and the API lists. Whether a person may take
    them is core.access's word ("manage_followup")."""
    return actions_open(FOLLOWUP_TRANSITIONS, followup.state)


def followup_lead_check(*, followup: FollowUp) -> None:
    """A follow-up is started only with a lead follower in force. Asked by followup_set_state,
    and by the demo data of every active or paused follow-up after its bulk save."""
    if not followup.assignments.filter(role=FollowUpAssignment.Role.LEAD, ends_on__isnull=True).exists():
        raise ValidationError(_("Assign a follower before the follow-up starts."))


def followup_close_check(*, reason: str, summary: str) -> None:
    """A follow-up is closed with a reason from the list and a summary. Asked by followup_close,
    and by the demo data of every closed follow-up before its bulk save."""
    errors = {}
    if reason not in FollowUp.ClosingReason.values:
        errors["reason"] = _("Choose a reason for closing.")
    if not summary.strip():
        errors["summary"] = _("Write a closing summary.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def followup_set_state(*, actor: User | AnonymousUser, followup: FollowUp, state: str) -> FollowUp:
    """Start, pause or resume a follow-up. Starting needs a lead follower."""
    _require(actor, followup.youth, "manage_followup")
    action = transition_to(FOLLOWUP_TRANSITIONS, followup.state, state)
    if action is None or action == "close":  # closing has its own service, with a reason
        raise ValidationError(
            str(FOLLOWUP_TRANSITIONS["start"].refused)
            % {"old": followup.get_state_display(), "new": FollowUp.State(state).label}
        )
    if state == FollowUp.State.ACTIVE:
        followup_lead_check(followup=followup)
    old = followup.state
    followup.state = state
    if state == FollowUp.State.ACTIVE and followup.started_on is None:
        followup.started_on = timezone.localdate()
    followup.save(update_fields=["state", "started_on"])
    audit.record(
        actor=actor,
        action="followup.state",
        target=followup,
        youth=followup.youth_id,
        detail={"from": old, "to": state},
    )
    return followup


# What apps above cases do when a follow-up closes, in the same transaction: teams moves the
# youth's team to the service that takes over at 18 (teams.transition.services). cases sits below
# teams, so teams registers it when ready (teams.apps), as it registers the youth page's sections.
FollowUpClosedHook = Callable[..., Any]
_followup_closed_hooks: list[FollowUpClosedHook] = []


def register_followup_closed(hook: FollowUpClosedHook) -> None:
    """Call `hook(actor=..., followup=...)` after every follow-up closes (from an AppConfig.ready)."""
    if hook not in _followup_closed_hooks:
        _followup_closed_hooks.append(hook)


@transaction.atomic
def followup_close(*, actor: User | AnonymousUser, followup: FollowUp, reason: str, summary: str) -> FollowUp:
    """Close a follow-up: a reason from the list and a summary are required. Every assignment
    in force ends, and with it the followers' access to the youth. What other apps do then
    (register_followup_closed) happens in the same transaction: if it is refused, nothing closes."""
    _require(actor, followup.youth, "manage_followup")
    followup_close_check(reason=reason, summary=summary)
    followup.state = transition_check(FOLLOWUP_TRANSITIONS, "close", followup.state) or followup.state
    today = timezone.localdate()
    followup.assignments.filter(ends_on__isnull=True).update(ends_on=today)
    followup.closing_reason = reason
    followup.closing_summary = summary.strip()
    followup.ended_on = today
    followup.save(update_fields=["state", "closing_reason", "closing_summary", "ended_on"])
    audit.record(
        actor=actor, action="followup.closed", target=followup, youth=followup.youth_id, detail={"reason": reason}
    )
    for hook in _followup_closed_hooks:
        hook(actor=actor, followup=followup)
    return followup


# --- Contacts ----------------------------------------------------------------------------

CONTACT_FIELDS = (
    "occurred_at",
    "duration_minutes",
    "kind",
    "place",
    "participants",
    "life_areas",
    "text",
    "task",
    "task_due_on",
)


def is_evening_or_weekend(moment: datetime.datetime) -> bool:
    """Evening (17–08) or Saturday/Sunday, in Oslo time."""
    local = moment.astimezone(OSLO)
    return local.weekday() >= 5 or local.hour >= 17 or local.hour < 8


def contact_time_check(*, occurred_at: datetime.datetime, now: datetime.datetime | None = None) -> None:
    """A contact is logged after it happened: never in the future (five minutes' grace for a
    clock that is a little off). Asked by contact_log and contact_update, and by the demo data
    of every contact before its bulk save (with the demo's day as `now`)."""
    if occurred_at > (now or timezone.now()) + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("The contact cannot be in the future.")})


def _open_followup(youth: Youth) -> FollowUp:
    followup = youth.followups.exclude(state=FollowUp.State.CLOSED).first()
    if followup is None:
        raise ValidationError(_("%(youth)s has no open follow-up.") % {"youth": youth})
    return followup


@transaction.atomic
def contact_log_permitted(*, actor: User | AnonymousUser, youths: Iterable[Youth]) -> None:
    """May the person log a contact with each of these youths? PermissionDenied otherwise (an
    assignment in force on the youth's open follow-up: cases.policy's "log_contact")."""
    for youth in youths:
        _require(actor, youth, "log_contact")


def contact_authors_check(*, contacts: Iterable[Contact]) -> None:
    """Who may log a contact, asked of contacts dated in the past (the demo data's six months of
    history, before its bulk save): cases.policy's "log_contact" (an assignment in force on the
    youth's open follow-up), which contact_log asks of today through contact_log_permitted,
    asked of the day each contact happened. The author held an assignment on the contact's
    follow-up that day (begun by then, not ended before; an assignment ends on the day its
    successor begins, and either may have logged that day), the follow-up was not closed
    before it, and it is the youth's. One query for any number of contacts. PermissionDenied,
    with the reason, otherwise."""
    contacts = list(contacts)
    held: dict[tuple[int, int], list[FollowUpAssignment]] = {}
    for assignment in FollowUpAssignment.objects.filter(
        followup_id__in={contact.followup_id for contact in contacts}
    ).order_by("starts_on", "id"):
        held.setdefault((assignment.followup_id, assignment.user_id), []).append(assignment)
    for contact in contacts:
        followup, day = contact.followup, contact.occurred_at.astimezone(OSLO).date()
        if followup.youth_id != contact.youth_id:
            raise PermissionDenied(_("The contact belongs to another youth's follow-up."))
        if followup.ended_on is not None and day > followup.ended_on:
            raise PermissionDenied(_("%(youth)s has no open follow-up.") % {"youth": contact.youth})
        if not any(
            assignment.starts_on <= day and (assignment.ends_on is None or day <= assignment.ends_on)
            for assignment in held.get((followup.pk, contact.author_id), [])
        ):
            raise PermissionDenied(
                _("%(name)s did not follow %(youth)s on %(day)s, so could not log the contact.")
                % {"name": contact.author, "youth": contact.youth, "day": day.strftime("%d.%m.%Y")}
            )


def contact_log(
    *,
    actor: User | AnonymousUser,
    youths: list[Youth],
    fields: Mapping[str, Any],
    texts: Mapping[int, str] | None = None,
    draft_key: uuid.UUID | None = None,
) -> list[Contact]:
    """Log a contact. With several youths (a group activity) one contact is recorded for each,
    sharing the time, type and place, each with only its own text."""
    if not youths:
        raise ValidationError({"youths": _("Choose the youth the contact was with.")})
    contact_log_permitted(actor=actor, youths=youths)
    occurred_at = fields["occurred_at"]
    contact_time_check(occurred_at=occurred_at)
    group_id = uuid.uuid4() if len(youths) > 1 else None
    contacts = []
    for youth in youths:
        data = {field: fields[field] for field in CONTACT_FIELDS if field in fields}
        if texts is not None:
            data["text"] = texts.get(youth.pk, "")
        contact = Contact(
            youth=youth,
            followup=_open_followup(youth),
            author=access.signed_in(actor),
            group_id=group_id,
            evening_or_weekend=is_evening_or_weekend(occurred_at),
            **data,
        )
        _full_clean(contact)
        contact.save()
        audit.record(
            actor=actor,
            action="contact.logged",
            target=contact,
            youth=youth,
            detail={"group": str(group_id) if group_id else None},
        )
        contacts.append(contact)
    if draft_key is not None:
        ContactDraft.objects.filter(owner=access.signed_in(actor), key=draft_key).delete()
    return contacts


def _snapshot(contact: Contact) -> dict[str, Any]:
    data = model_to_dict(contact, fields=CONTACT_FIELDS)
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data.items()}


@transaction.atomic
def contact_update(*, actor: User | AnonymousUser, contact: Contact, fields: Mapping[str, Any]) -> Contact:
    """Change a contact. The version before the change is kept: who, when, what changed."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.deleted_at is not None:
        raise ValidationError(_("The contact is deleted."))
    _require(actor, contact, "edit")
    before = _snapshot(contact)
    changed = [field for field in CONTACT_FIELDS if field in fields and getattr(contact, field) != fields[field]]
    if not changed:
        return contact
    for field in changed:
        setattr(contact, field, fields[field])
    contact_time_check(occurred_at=contact.occurred_at)
    contact.evening_or_weekend = is_evening_or_weekend(contact.occurred_at)
    _full_clean(contact)
    ContactVersion.objects.create(
        contact=contact,
        version=contact.version,
        changed_by=access.signed_in(actor),
        changed_fields=changed,
        data=before,
    )
    contact.version += 1
    contact.save()
    audit.record(
        actor=actor,
        action="contact.updated",
        target=contact,
        youth=contact.youth_id,
        detail={"fields": changed, "version": contact.version},
    )
    return contact


@transaction.atomic
def contact_delete(*, actor: User | AnonymousUser, contact: Contact, reason: str) -> Contact:
    """Only a leader deletes a contact, with a reason. The contact is hidden, not erased."""
    _require(actor, contact, "delete")
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the contact is deleted.")})
    try:
        MaxLengthValidator(REASON_MAX)(reason.strip())
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from error
    if contact.deleted_at is None:
        contact.deleted_at = timezone.now()
        contact.deleted_by = access.signed_in(actor)
        contact.delete_reason = reason.strip()
        contact.save(update_fields=["deleted_at", "deleted_by", "delete_reason"])
        audit.record(
            actor=actor,
            action="contact.deleted",
            target=contact,
            youth=contact.youth_id,
            detail={"reason": reason.strip()},
        )
    return contact


@transaction.atomic
def contact_task_done(*, actor: User, contact: Contact) -> Contact:
    _require(actor, contact, "mark_done")
    if contact.task and contact.task_done_at is None:
        contact.task_done_at = timezone.now()
        contact.save(update_fields=["task_done_at"])
        audit.record(actor=actor, action="contact.task_done", target=contact, youth=contact.youth_id)
    return contact


# --- Drafts ------------------------------------------------------------------------------


def draft_save(*, actor: User, key: uuid.UUID, data: Mapping[str, Any], youth: Youth | None = None) -> ContactDraft:
    """Keep what the person has typed. Only for youths they may log contacts for."""
    if youth is not None and not access.can(actor, youth, "log_contact"):
        youth = None
    clean = {str(k)[:60]: v for k, v in data.items() if k not in {"csrfmiddlewaretoken"}}
    draft, _created = ContactDraft.objects.update_or_create(
        owner=actor, key=key, defaults={"data": clean, "youth": youth}
    )
    return draft


def draft_discard(*, actor: User, key: uuid.UUID) -> bool:
    deleted, _ = ContactDraft.objects.filter(owner=actor, key=key).delete()
    return bool(deleted)


def drafts_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for longer than LAGET_DRAFT_TTL (default 7 days)."""
    cutoff = (now or timezone.now()) - settings.LAGET_DRAFT_TTL
    deleted, _ = ContactDraft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted


# --- Offences, justice steps, outcomes ---------------------------------------------------


def _recording_unit(youth: Youth) -> Unit | None:
    """Offences and steps are registered by the youth's follow-up team (only its people may):
    the unit of the open follow-up, else of the latest one. consent.policy lets the recording
    service see its own records."""
    followup = youth.followups.order_by(
        Case(When(state=FollowUp.State.CLOSED, then=1), default=0), "-created_at", "-id"
    ).first()
    return followup.unit if followup is not None else None


def past_date_check(*, field: str, day: datetime.date, today: datetime.date | None = None) -> None:
    """What has happened is dated today or before (an offence committed, an outcome measured).
    Asked by offence_register and outcome_record, and by the demo data with its own day."""
    if day > (today or timezone.localdate()):
        raise ValidationError({field: _("The date cannot be in the future.")})


def reporting_dates_check(*, step: JusticeStep, count: int) -> None:
    """Reporting dates belong to a reporting duty (meldeplikt). Asked by justice_step_add, and by
    the demo data."""
    if count and step.kind != JusticeStep.Kind.REPORTING_DUTY:
        raise ValidationError({"reporting_dates": _("Reporting dates belong to a reporting duty.")})


@transaction.atomic
def offence_register(*, actor: User | AnonymousUser, youth: Youth, data: Mapping[str, Any]) -> Offence:
    if not (access.can(actor, youth, "log_contact") or access.can(actor, youth, "manage_followup")):
        raise PermissionDenied
    offence = Offence(youth=youth, registered_by=access.signed_in(actor), unit=_recording_unit(youth), **data)
    _full_clean(offence)
    past_date_check(field="committed_on", day=offence.committed_on)
    offence.save()
    audit.record(actor=actor, action="offence.registered", target=offence, youth=youth)
    return offence


@transaction.atomic
def justice_step_add(
    *,
    actor: User | AnonymousUser,
    youth: Youth,
    data: Mapping[str, Any],
    reporting_dates: Iterable[datetime.datetime] = (),
    place: str = "",
) -> JusticeStep:
    if not (access.can(actor, youth, "log_contact") or access.can(actor, youth, "manage_followup")):
        raise PermissionDenied
    step = JusticeStep(youth=youth, registered_by=access.signed_in(actor), unit=_recording_unit(youth), **data)
    _full_clean(step)
    step.save()
    dates = [ReportingDate(step=step, due_at=due, place=place) for due in reporting_dates]
    reporting_dates_check(step=step, count=len(dates))
    ReportingDate.objects.bulk_create(dates)
    audit.record(
        actor=actor, action="justice_step.added", target=step, youth=youth, detail={"reporting_dates": len(dates)}
    )
    return step


@transaction.atomic
def reporting_date_attended(
    *, actor: User | AnonymousUser, reporting_date: ReportingDate, attended: bool
) -> ReportingDate:
    youth = reporting_date.step.youth
    _require(actor, youth, "log_contact")
    reporting_date.attended = attended
    reporting_date.save(update_fields=["attended"])
    audit.record(
        actor=actor, action="reporting_date.recorded", target=reporting_date, youth=youth, detail={"attended": attended}
    )
    return reporting_date


@transaction.atomic
def outcome_record(*, actor: User | AnonymousUser, youth: Youth, data: Mapping[str, Any]) -> OutcomeMeasure:
    """Record an outcome measure on the youth's open follow-up (a closed follow-up is read-only:
    ValidationError when none is open), by those who log contacts or manage the follow-up."""
    if not (access.can(actor, youth, "log_contact") or access.can(actor, youth, "manage_followup")):
        raise PermissionDenied
    followup = _open_followup(youth)
    measure = OutcomeMeasure(followup=followup, recorded_by=access.signed_in(actor), **data)
    _full_clean(measure)
    past_date_check(field="measured_on", day=measure.measured_on)
    measure.save()
    audit.record(
        actor=actor, action="outcome.recorded", target=measure, youth=followup.youth_id, detail={"phase": measure.phase}
    )
    return measure
