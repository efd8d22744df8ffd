"""The audit trail of a unit's staff, as its leaders review it (/enheter/<id>/logg/ and
GET /api/v1/units/<id>/audit/): who did what, with names only where the reader may see them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.models import Youth
from consent import policy as consent_policy
from consent.models import Category, Disclosure
from consent.services import disclosures_record_for_list
from core import access, audit
from core.models import AuditEvent, User
from org.models import StaffRole, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# Audit entries about a unit; entries written before the organisation moved to the org app
# (issue 12) name it by its old label.
UNIT_TYPES = ("org.unit", "teams.unit")


def unit_audit_people(*, unit: Unit) -> QuerySet[User]:
    """Everyone who has held a role in the unit: whose actions its leaders may review."""
    return User.objects.filter(roles__unit=unit).distinct().order_by("full_name")


def unit_audit_events(
    *, user: User | AnonymousUser, unit: Unit, actor_id: int | None = None, detail: dict[str, Any] | None = None
) -> QuerySet[AuditEvent]:
    """Audit entries of everyone who has held a role in the unit (or one of them), newest first.
    Reviewing them is itself audited (audit.viewed), here, for the page and the API alike."""
    audit.record(actor=user, action="audit.viewed", target=unit, detail={"person": actor_id, **(detail or {})})
    staff = StaffRole.objects.filter(unit=unit).values("user_id")
    events = AuditEvent.objects.filter(actor_id__in=staff).select_related("actor")
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    return events.order_by("-at", "-id")


@dataclass(frozen=True)
class AuditRow:
    """One entry of a unit's audit trail as its leader reads it: who, and the object in words."""

    event: AuditEvent
    who: str
    what: str


def _kind(object_type: str) -> str:
    try:
        kind = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = object_type
    return f"{kind[:1].upper()}{kind[1:]}"


def unit_audit_rows(*, user: User | AnonymousUser, events: Iterable[AuditEvent]) -> list[AuditRow]:
    """The entries of one page of the audit trail with names instead of ids, in a fixed number
    of queries however many entries (the actor comes with the entry, see unit_audit_events).

    - The actor: the staff member's name (a leader reviews the unit's own staff).
    - A youth is named only when the leader may open the youth (core.access) and the sharing
      policy opens the youth's identity to the leader's service (consent.policy); otherwise a
      neutral label that is the same for every youth. A name shown across a service boundary
      is logged as a disclosure, as lists do (consent.services.disclosures_record_for_list).
    - Staff and units the entry is about by name; other objects by their kind, and the youth
      they concern."""
    events = list(events)
    youth_ids = {e.youth_id for e in events if e.youth_id is not None}
    youth_ids |= {int(e.object_id) for e in events if e.object_type == "cases.youth" and e.object_id.isdigit()}
    user_ids = {int(e.object_id) for e in events if e.object_type == "core.user" and e.object_id.isdigit()}
    unit_ids = {int(e.object_id) for e in events if e.object_type in UNIT_TYPES and e.object_id.isdigit()}

    youths = list(access.visible(user, Youth.objects.filter(pk__in=youth_ids))) if youth_ids else []
    viewers = consent_policy.viewers(user, youths) if youths else {}
    names = {
        pk: viewer.youth.display_name for pk, viewer in viewers.items() if viewer.show_record(Category.IDENTITY_CONTACT)
    }
    disclosures_record_for_list(user=user, viewers=viewers.values(), channel=Disclosure.Channel.VIEW)
    people = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "full_name")) if user_ids else {}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    hidden = _("a youth (name not shown)")

    def youth_label(pk: int) -> str:
        return names.get(pk) or hidden

    rows = []
    for event in events:
        if event.actor is not None:
            who = event.actor.full_name or event.actor_label
        else:
            who = str(_("System")) if event.actor_label in ("", "system") else event.actor_label
        object_id = int(event.object_id) if event.object_id.isdigit() else None
        what = ""
        if event.object_type == "cases.youth" and object_id is not None:
            what = _("Youth: %(name)s") % {"name": names.get(object_id) or _("name not shown")}
        elif event.object_type == "core.user" and object_id in people:
            what = _("Person: %(name)s") % {"name": people[object_id]}
        elif event.object_type in UNIT_TYPES and object_id in units:
            what = _("Unit: %(name)s") % {"name": units[object_id]}
        elif event.object_type:
            what = _kind(event.object_type)
            if event.youth_id is not None:
                what = _("%(kind)s about %(youth)s") % {"kind": what, "youth": youth_label(event.youth_id)}
        rows.append(AuditRow(event=event, who=who, what=what))
    return rows
