"""The team around a youth (laget rundt ungdommen), mounted under the youth's pages
(/ungdommer/<pk>/lag/, in the cases URL namespace: cases/urls.py gathers these routes).

Everyone who may see the youth sees the team and its history; those who may change it
(teams.policy.may_manage_team: whoever works the youth's follow-up, and the member who holds
lead responsibility) add members, end memberships and pass lead responsibility; anyone else
gets 403 on those. Thin views (STYLE.md): the youth through cases.selectors.youth_get (404 for
anyone who may not see it, the read audited), every write through teams.services, whose
ValidationErrors come back on the form with status 400 and everything typed kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import FollowUpAssignment, Youth
from core.forms import add_service_errors
from org.models import Unit
from teams import selectors, services
from teams.forms import EndForm, ExternalMemberForm, GuardianMemberForm, StaffMemberForm, YouthMemberForm
from teams.models import TeamMember
from teams.policy import may_manage_team


def _to_team(youth: Youth) -> HttpResponse:
    return redirect("teams:team_detail", pk=youth.pk)


# --- The team page -------------------------------------------------------------------------


@dataclass
class TeamPage:
    """What the team page shows; a failed POST replaces one of its forms or adds an error."""

    youth: Youth
    members: list[TeamMember]
    may_manage: bool
    units: Any = None
    staff_form: StaffMemberForm | None = None
    external_form: ExternalMemberForm | None = None
    guardian_form: GuardianMemberForm | None = None
    youth_form: YouthMemberForm | None = None
    start_with: FollowUpAssignment | None = None
    errors: list[str] = field(default_factory=list)
    family: bool = True  # consent.policy: may the person see family information (the guardians)?
    identity: bool = True  # … and the youth's contact details?
    youth_phone: str | None = None  # the youth's phone as the policy shows it (teams.selectors.team_shown)
    guardians_stopped: str = ""  # why the guardians are no longer told (18, no consent), else ""

    @classmethod
    def load(cls, youth: Youth, *, may_manage: bool, family: bool = True, identity: bool = True) -> TeamPage:
        page = cls(youth, selectors.team_for_youth(youth=youth), may_manage, family=family, identity=identity)
        if may_manage:
            page.units = selectors.team_units()
            page.staff_form = page.new_staff_form()
            page.external_form = ExternalMemberForm()
            page.guardian_form = GuardianMemberForm(youth=youth, guardians=selectors.team_guardian_choices(youth=youth))
            page.youth_form = YouthMemberForm()
            if not page.members:
                page.start_with = selectors.team_start_follower(youth=youth)
        return page

    @property
    def lead(self) -> TeamMember | None:
        return selectors.team_lead(members=self.members)

    @property
    def youth_in_team(self) -> bool:
        return any(member.kind == TeamMember.Kind.YOUTH for member in self.members)

    def new_staff_form(self, data: Any = None, initial: dict[str, Any] | None = None) -> StaffMemberForm:
        form = StaffMemberForm(
            data,
            initial=initial,
            units=self.units,
            people=selectors.team_unit_staff(unit=None, youth=self.youth),
            team_started=bool(self.members),
        )
        unit = form.chosen_unit(self.units)
        form.fields["user"].queryset = selectors.team_unit_staff(unit=unit, youth=self.youth)  # type: ignore[attr-defined]
        # With JavaScript, choosing the service lists its people at once (without, a button does).
        form.fields["unit"].widget.attrs.update(
            {
                "hx-get": reverse("teams:team_staff_choices", args=[self.youth.pk]),
                "hx-trigger": "change",
                "hx-target": "#staff-person",
                "hx-swap": "outerHTML",
            }
        )
        return form

    def context(self) -> dict[str, Any]:
        """Guardians in the team are family information: shown only when the consent policy
        opens it to the person's service (the frame — who works with the youth — always)."""
        history = selectors.team_history(youth=self.youth)
        if not self.family:
            history = history.exclude(kind=TeamMember.Kind.GUARDIAN)
        return {
            "youth": self.youth,
            "members": [m for m in self.members if self.family or m.kind != TeamMember.Kind.GUARDIAN],
            "identity": self.identity,
            "youth_phone": self.youth_phone,
            "guardians_withheld": not self.family and any(m.kind == TeamMember.Kind.GUARDIAN for m in self.members),
            "guardians_stopped": self.guardians_stopped,
            "lead": self.lead,
            "may_manage": self.may_manage,
            "staff_form": self.staff_form,
            "external_form": self.external_form,
            "guardian_form": self.guardian_form,
            "youth_form": self.youth_form if not self.youth_in_team else None,
            "start_with": self.start_with,
            "errors": self.errors,
            "history": history,
        }


def _add(request: HttpRequest, page: TeamPage, form: BaseForm) -> HttpResponse | int:
    if not form.is_valid():
        return 400
    try:
        member = services.team_member_add(actor=request.user, youth=page.youth, **form.service_data())  # type: ignore[attr-defined]
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    except IntegrityError:
        form.add_error(None, services.team_conflict())
        return 400
    if member.is_lead:
        messages.success(request, _("%(name)s is in the team and holds lead responsibility.") % {"name": member.name})
    else:
        messages.success(request, _("%(name)s is in the team.") % {"name": member.name})
    return _to_team(page.youth)


def _add_staff(request: HttpRequest, page: TeamPage) -> HttpResponse | int:
    page.staff_form = page.new_staff_form(request.POST)
    return _add(request, page, page.staff_form)


def _choose_unit(request: HttpRequest, page: TeamPage) -> HttpResponse | int:
    """Without JavaScript: list the people of the service chosen, keeping what was typed."""
    keep = {name: request.POST.get(f"staff-{name}", "") for name in ("unit", "role", "note")}
    page.staff_form = page.new_staff_form(initial={**keep, "is_lead": bool(request.POST.get("staff-is_lead"))})
    return 200


def _add_external(request: HttpRequest, page: TeamPage) -> HttpResponse | int:
    page.external_form = ExternalMemberForm(request.POST)
    return _add(request, page, page.external_form)


def _add_guardian(request: HttpRequest, page: TeamPage) -> HttpResponse | int:
    page.guardian_form = GuardianMemberForm(
        request.POST, youth=page.youth, guardians=selectors.team_guardian_choices(youth=page.youth)
    )
    return _add(request, page, page.guardian_form)


def _add_youth(request: HttpRequest, page: TeamPage) -> HttpResponse | int:
    page.youth_form = YouthMemberForm(request.POST)
    return _add(request, page, page.youth_form)


def _start(request: HttpRequest, page: TeamPage) -> HttpResponse | int:
    try:
        member = services.team_start(actor=request.user, youth=page.youth)
    except ValidationError as error:
        page.errors.extend(error.messages)
        return 400
    except IntegrityError:
        page.errors.append(services.team_conflict())
        return 400
    messages.success(request, _("The team is started: %(name)s holds lead responsibility.") % {"name": member.name})
    return _to_team(page.youth)


ACTIONS = {
    "staff": _add_staff,
    "staff_unit": _choose_unit,
    "external": _add_external,
    "guardian": _add_guardian,
    "youth": _add_youth,
    "start": _start,
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The team now (lead first), its history, and the forms to add members."""
    youth = selectors.team_youth_get(user=request.user, pk=pk)
    page = TeamPage.load(youth, may_manage=may_manage_team(request.user, youth))
    status = 200
    if request.method == "POST":
        if not page.may_manage:
            raise PermissionDenied
        handler = ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            page.errors.append(_("Unknown action."))
            status = 400
        else:
            result = handler(request, page)
            if isinstance(result, HttpResponse):
                return result
            status = result
    # Asked (and logged as a disclosure) only when the page is shown, not before a redirect.
    shown = selectors.team_shown(user=request.user, youth=youth, channel="view")
    page.family, page.identity, page.youth_phone = shown.family, shown.identity, shown.youth_phone
    page.guardians_stopped = shown.guardians_stopped
    return render(request, "teams/team_detail.html", page.context(), status=status)


@login_required
@require_GET
def team_staff_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """The people of the service chosen in the staff form (htmx swaps the person field)."""
    youth = selectors.team_youth_get(user=request.user, pk=pk, manage=True)
    units = selectors.team_units()
    form = StaffMemberForm(
        initial={"unit": request.GET.get("staff-unit", "")},
        units=units,
        people=selectors.team_unit_staff(unit=None, youth=youth),
    )
    unit: Unit | None = form.chosen_unit(units)
    form.fields["user"].queryset = selectors.team_unit_staff(unit=unit, youth=youth)  # type: ignore[attr-defined]
    return render(request, "teams/partials/team_staff_person.html", {"staff_form": form})


# --- End a membership, pass lead responsibility ----------------------------------------------


def _render_form(request: HttpRequest, template: str, context: dict[str, Any], *, failed: bool) -> HttpResponse:
    return render(request, template, context, status=400 if failed else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    youth = selectors.team_youth_get(user=request.user, pk=pk, manage=True)
    member = selectors.team_member_get(user=request.user, youth=youth, pk=member_pk)
    members = selectors.team_for_youth(youth=youth)
    form = EndForm(request.POST or None)
    failed = False
    if request.method == "POST":
        failed = True
        if form.is_valid():
            try:
                services.team_member_end(actor=request.user, member=member, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            except IntegrityError:
                form.add_error(None, services.team_conflict())
            else:
                messages.success(request, _("%(name)s has left the team.") % {"name": member.name})
                return _to_team(youth)
    return _render_form(
        request,
        "teams/team_end.html",
        {
            "youth": youth,
            "member": member,
            # The lead leaves last, or after passing lead responsibility on.
            "lead_must_pass_on": member.is_lead and len(members) > 1,
            "form": form,
        },
        failed=failed,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_lead_transfer(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    youth = selectors.team_youth_get(user=request.user, pk=pk, manage=True)
    member = selectors.team_member_get(user=request.user, youth=youth, pk=member_pk)
    lead = selectors.team_lead(members=selectors.team_for_youth(youth=youth))
    errors: list[str] = []
    if request.method == "POST":
        try:
            new_lead = services.team_lead_transfer(actor=request.user, member=member)
        except ValidationError as error:
            errors = error.messages
        except IntegrityError:
            errors = [services.team_conflict()]
        else:
            messages.success(request, _("%(name)s now holds lead responsibility.") % {"name": new_lead.name})
            return _to_team(youth)
    return _render_form(
        request,
        "teams/team_lead.html",
        {"youth": youth, "member": member, "lead": lead, "errors": errors},
        failed=bool(errors),
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/lag/", team_detail, name="team_detail"),
    path("<int:pk>/lag/personer/", team_staff_choices, name="team_staff_choices"),
    path("<int:pk>/lag/<int:member_pk>/avslutt/", team_member_end, name="team_member_end"),
    path("<int:pk>/lag/<int:member_pk>/hovedansvar/", team_lead_transfer, name="team_lead_transfer"),
]
