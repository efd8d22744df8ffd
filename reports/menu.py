"""The main menu: what each person's roles can use, decided here and nowhere else.

Each entry asks the same question as the page behind it (the policies and selectors the views
use), so the menu never offers a page that only says "not for you":

- «Log contact» only to those with youths to log for (cases.selectors.loggable_youths, the
  choices of the contact form); caseworkers, police and schools follow no one.
- «Intake» to those who see an intake queue (referrals.intake.policy.may_see_intake).
- Youths, meetings, calendar, concern reports and anonymous discussions to anyone with a
  case-work role in force (referrals.intake.policy.working_roles, discussion_policy.may_propose).
- Administration to superusers (the admin site's own rule).
Someone with no case-work role (an administrator only, or a person waiting for a role) sees
Home, where the page says what to do.

The answers come from one query per request (EXISTS over the policies' own querysets), and only
when a page draws the menu.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from cases import selectors as case_selectors
from core.models import User
from referrals.intake import policy as referral_policy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class MenuRights:
    case_work: bool = False
    log_contacts: bool = False
    intake: bool = False
    admin: bool = False


def menu_rights(*, user: User | AnonymousUser | None) -> MenuRights:
    """What the person may use, by the same predicates as the pages (module docstring)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return MenuRights()
    row = (
        User.objects.filter(pk=user.pk)
        .values(
            case_work=Exists(referral_policy.working_roles(user)),
            log_contacts=Exists(case_selectors.loggable_youths(user=user)),
            intake_meetings=Exists(referral_policy.intake_meeting_districts(user)),
        )
        .get()
    )
    return MenuRights(
        case_work=row["case_work"],
        log_contacts=row["log_contacts"],
        # referrals.intake.policy.may_see_intake, answered from the same querysets.
        intake=row["case_work"] or row["intake_meetings"],
        admin=bool(user.is_staff and user.is_superuser),
    )


# (label, url name, the app or url names that make it the current page, the right it needs)
_ENTRIES: tuple[tuple[Any, str, tuple[str, ...], str | None], ...] = (
    (_("Home"), "reports:home", ("reports:home",), None),
    (_("Youths"), "cases:youth_list", ("cases:youth_list",), "case_work"),
    (_("Log contact"), "cases:contact_create", ("cases:contact_create",), "log_contacts"),
    (_("Meetings"), "meetings:list", ("meetings",), "case_work"),
    (_("Calendar"), "calendar:calendar", ("calendar",), "case_work"),
    (_("Concern reports"), "referrals:concern_index", ("referrals",), "case_work"),
    (_("Intake"), "intake:queue", ("intake",), "intake"),
    (_("Anonymous discussions"), "consent:discussion_list", ("consent:discussion_list",), "case_work"),
    (_("Administration"), "admin:index", ("admin",), "admin"),
)


def _is_current(request: HttpRequest, names: tuple[str, ...]) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return any(name in (match.app_name, match.view_name) for name in names)


def menu_for(*, request: HttpRequest) -> list[MenuItem]:
    rights = menu_rights(user=getattr(request, "user", None))
    return [
        MenuItem(label=str(label), url=reverse(url_name), current=_is_current(request, names))
        for label, url_name, names, right in _ENTRIES
        if right is None or getattr(rights, right)
    ]


def main_menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu, worked out only if a template draws it."""
    return {"main_menu": SimpleLazyObject(lambda: menu_for(request=request))}
