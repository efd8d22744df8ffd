"""Follow-up management: assign and reassign, capacity and the leader's override, start, pause,
resume, close. The rules are the services'; these tests check the wiring and the permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cases.models import FollowUp, FollowUpAssignment, Youth
from core.models import AuditEvent, User

from ..conftest import People, sign_in
from .helpers_youths import coordinator_of, youth_in

pytestmark = pytest.mark.django_db


def _url(youth: Youth) -> str:
    return f"/ungdommer/{youth.pk}/oppfolging/"


def _assign(client: Client, youth: Youth, user: User, role: str = "lead", reason: str = "") -> Any:
    data = {"action": "assign", "role": role, f"{role}-user": user.pk}
    if reason:
        data[f"{role}-override_reason"] = reason
    return client.post(_url(youth), data)


def _fill_capacity(people: People) -> None:
    for _ in range(5):
        youth_in(people.unit, lead=people.follower)


@pytest.fixture
def coordinator(people: People) -> User:
    return coordinator_of(people.unit)


# --- Access ----------------------------------------------------------------------------------------


def test_outsider_gets_404(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    client = as_user(people.outsider)
    assert client.get(_url(youth)).status_code == 404
    assert _assign(client, youth, people.outsider).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"action": "assign", "role": "lead", "lead-user": "{teammate}"},
        {"action": "state", "state": "paused"},
        {"action": "close", "reason": "moved", "summary": "Flyttet til Bergen."},
    ],
)
def test_teammate_without_the_right_gets_403(as_user: Any, people: People, data: dict[str, str]) -> None:
    youth = youth_in(people.unit, lead=people.follower, family_follower=people.teammate)
    client = as_user(people.teammate)
    assert client.get(_url(youth)).status_code == 403
    data = {k: (str(people.teammate.pk) if v == "{teammate}" else v) for k, v in data.items()}
    assert client.post(_url(youth), data).status_code == 403
    followup = youth.followups.get()
    assert followup.state == FollowUp.State.ACTIVE
    assert followup.assignments.get(role="lead").user == people.follower


def test_the_lead_follower_cannot_manage_the_follow_up_either(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    assert as_user(people.follower).get(_url(youth)).status_code == 403


# --- Assign ----------------------------------------------------------------------------------------


def test_coordinator_assigns_a_follower_seeing_each_load(as_user: Any, people: People, coordinator: User) -> None:
    youth_in(people.unit, lead=people.follower)
    youth = youth_in(people.unit, state=FollowUp.State.INTAKE)
    client = as_user(coordinator)
    page = client.get(_url(youth))
    assert page.status_code == 200
    lead_form = page.context["assign_forms"][0]
    labels = dict(lead_form.fields["user"].choices)
    assert any("1" in str(label) and "5" in str(label) for label in labels.values())  # "Alice Follower (1 of 5)"
    assert people.outsider.pk not in [getattr(v, "value", v) for v in labels]

    response = _assign(client, youth, people.follower)
    assert response.status_code == 302
    assignment = youth.followups.get().assignments.get(ends_on__isnull=True, role="lead")
    assert assignment.user == people.follower
    assert assignment.assigned_by == coordinator
    assert AuditEvent.objects.filter(action="followup.assigned", youth_id=youth.pk, actor=coordinator).exists()


def test_reassigning_keeps_the_history(as_user: Any, people: People, coordinator: User) -> None:
    youth = youth_in(people.unit, lead=people.follower, family_follower=people.teammate)
    client = as_user(coordinator)
    from ..factories import StaffRoleFactory

    other = StaffRoleFactory(unit=people.unit, role="follower", user__full_name="Nora Ny").user
    assert _assign(client, youth, other).status_code == 302
    history = list(client.get(_url(youth)).context["history"])
    leads = [(a.user, a.ends_on is None) for a in history if a.role == "lead"]
    assert (other, True) in leads
    assert (people.follower, False) in leads


def test_a_person_without_a_role_in_the_unit_cannot_be_chosen(as_user: Any, people: People, coordinator: User) -> None:
    youth = youth_in(people.unit, state=FollowUp.State.INTAKE)
    response = _assign(as_user(coordinator), youth, people.outsider)
    assert response.status_code == 400
    assert not FollowUpAssignment.objects.filter(user=people.outsider).exists()


def test_ending_a_family_followers_role(as_user: Any, people: People, coordinator: User) -> None:
    youth = youth_in(people.unit, lead=people.follower, family_follower=people.teammate)
    assignment = youth.followups.get().assignments.get(role="family")
    response = as_user(coordinator).post(_url(youth), {"action": "unassign", "assignment": assignment.pk})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on is not None


# --- Capacity ----------------------------------------------------------------------------------------


def test_sixth_lead_is_refused_with_the_services_message(as_user: Any, people: People, coordinator: User) -> None:
    _fill_capacity(people)
    youth = youth_in(people.unit, state=FollowUp.State.INTAKE)
    response = _assign(as_user(coordinator), youth, people.follower)
    assert response.status_code == 400
    form = response.context["assign_forms"][0]
    assert form.capacity_refused is True
    assert any("5" in error for error in form.non_field_errors())
    assert response.context["may_override"] is False
    assert 'name="lead-override_reason"' not in response.content.decode()  # no override field for a coordinator
    assert not youth.followups.get().assignments.exists()


def test_coordinator_cannot_override_capacity(as_user: Any, people: People, coordinator: User) -> None:
    _fill_capacity(people)
    youth = youth_in(people.unit, state=FollowUp.State.INTAKE)
    response = _assign(as_user(coordinator), youth, people.follower, reason="Bror av en annen ungdom hun følger.")
    assert response.status_code == 403
    assert not youth.followups.get().assignments.exists()
    assert not AuditEvent.objects.filter(action="followup.capacity_override").exists()


def test_leader_overrides_capacity_with_a_reason(as_user: Any, people: People) -> None:
    _fill_capacity(people)
    youth = youth_in(people.unit, state=FollowUp.State.INTAKE)
    client = as_user(people.leader)
    refused = _assign(client, youth, people.follower)
    assert refused.status_code == 400
    assert refused.context["may_override"] is True
    assert 'name="lead-override_reason"' in refused.content.decode()

    reason = "Bror av en annen ungdom hun følger; samme familie."
    response = _assign(client, youth, people.follower, reason=reason)
    assert response.status_code == 302
    assignment = youth.followups.get().assignments.get(role="lead")
    assert assignment.override_reason == reason
    event = AuditEvent.objects.get(action="followup.capacity_override")
    assert event.actor == people.leader
    assert event.detail["reason"] == reason


# --- State and closing ---------------------------------------------------------------------------------


def test_start_needs_a_follower(as_user: Any, people: People, coordinator: User) -> None:
    youth = youth_in(people.unit, state=FollowUp.State.INTAKE)
    client = as_user(coordinator)
    response = client.post(_url(youth), {"action": "state", "state": "active"})
    assert response.status_code == 400
    assert response.context["errors"]
    assert youth.followups.get().state == FollowUp.State.INTAKE

    assert _assign(client, youth, people.follower).status_code == 302
    assert client.post(_url(youth), {"action": "state", "state": "active"}).status_code == 302
    followup = youth.followups.get()
    assert followup.state == FollowUp.State.ACTIVE
    assert followup.started_on is not None


def test_pause_and_resume(as_user: Any, people: People, coordinator: User) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    client = as_user(coordinator)
    assert client.post(_url(youth), {"action": "state", "state": "paused"}).status_code == 302
    assert youth.followups.get().state == FollowUp.State.PAUSED
    assert client.post(_url(youth), {"action": "state", "state": "active"}).status_code == 302
    assert youth.followups.get().state == FollowUp.State.ACTIVE
    assert AuditEvent.objects.filter(action="followup.state", youth_id=youth.pk).count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "", "summary": "Målene er nådd."},
        {"reason": "goals_reached", "summary": "   "},
        {"reason": "not-a-reason", "summary": "Målene er nådd."},
    ],
)
def test_close_needs_a_reason_and_a_summary(
    as_user: Any, people: People, coordinator: User, data: dict[str, str]
) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    response = as_user(coordinator).post(_url(youth), {"action": "close", **data})
    assert response.status_code == 400
    assert response.context["close_form"].errors
    assert data["summary"] in response.content.decode()  # what was typed is kept
    assert youth.followups.get().state == FollowUp.State.ACTIVE


def test_closing_ends_the_followers_access(as_user: Any, people: People, coordinator: User) -> None:
    youth = youth_in(people.unit, lead=people.follower, family_follower=people.teammate)
    follower = sign_in(Client(), people.follower)
    assert follower.get(f"/ungdommer/{youth.pk}/").status_code == 200
    client = as_user(coordinator)
    response = client.post(
        _url(youth), {"action": "close", "reason": "goals_reached", "summary": "Går på skolen hver dag nå."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/ungdommer/{youth.pk}/"
    followup = youth.followups.get()
    assert followup.state == FollowUp.State.CLOSED
    assert not followup.assignments.filter(ends_on__isnull=True).exists()
    assert AuditEvent.objects.filter(action="followup.closed", youth_id=youth.pk).exists()
    # The coordinator still sees the youth (the unit had the follow-up), with the history.
    page = client.get(_url(youth))
    assert page.status_code == 200
    assert page.context["followup"] is None
    assert list(page.context["closed_followups"]) == [followup]
    assert follower.get(f"/ungdommer/{youth.pk}/").status_code == 404
    assert follower.get(f"/ungdommer/{youth.pk}/endre/").status_code == 404


def test_unknown_action_is_a_400_not_a_500(as_user: Any, people: People, coordinator: User) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    client = as_user(coordinator)
    assert client.post(_url(youth), {"action": "explode"}).status_code == 400
    assert client.post(_url(youth), {"action": "assign", "role": "boss"}).status_code == 400
    assert client.post(_url(youth), {"action": "state", "state": "closed"}).status_code == 400
    assert client.post(_url(youth), {"action": "unassign", "assignment": "x"}).status_code == 404
