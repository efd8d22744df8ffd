"""The team around a youth: exactly one lead (held by the database too), joining grants access
to the youth and leaving takes it away, history kept, audit rows; and the team page's wiring
(outsider 404, a member without the right 403, bad input 400 with what was typed kept, a
constant number of queries)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.models import Guardian, Guardianship, Youth
from core import access
from core.models import AuditEvent
from org.models import StaffRole
from teams import selectors, services
from teams.models import TeamMember

from ..cases.factories import followed_youth
from ..conftest import People
from ..factories import StaffRoleFactory, TOTPDeviceFactory, UnitFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The rules are asserted on the English source messages, whatever the catalogue holds
    (pages are rendered in bokmål by the middleware whatever is active here)."""
    with translation.override("en"):
        yield


Kind = TeamMember.Kind
Role = TeamMember.Role


@pytest.fixture
def youth(people: People) -> Youth:
    return followed_youth(people.unit, lead=people.follower, first_name="Sara", last_name="Berg")


def _guardian(youth: Youth, first_name: str = "Nadia", **fields: Any) -> Guardian:
    guardian = Guardian.objects.create(first_name=first_name, last_name="Berg")
    Guardianship.objects.create(youth=youth, guardian=guardian, relation=Guardianship.Relation.MOTHER, **fields)
    return guardian


def _start(people: People, youth: Youth) -> TeamMember:
    return services.team_member_add(
        actor=people.follower, youth=youth, kind=Kind.STAFF, user=people.follower, unit=people.unit, role=Role.FOLLOWER
    )


def _add_police(people: People, youth: Youth, **more: Any) -> TeamMember:
    return services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=Role.POLICE_CONTACT,
        **more,
    )


def _active(youth: Youth) -> list[TeamMember]:
    return list(TeamMember.objects.filter(youth=youth, ends_on__isnull=True))


def _actions(youth: Youth) -> list[str]:
    return list(
        AuditEvent.objects.filter(youth_id=youth.pk, action__startswith="team.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Lead responsibility ------------------------------------------------------------------------


def test_the_first_member_takes_lead_responsibility_and_the_addition_is_audited(people: People, youth: Youth) -> None:
    member = _start(people, youth)

    assert member.is_lead
    assert member.added_by == people.follower
    event = AuditEvent.objects.get(action="team.member_added")
    assert (event.actor, event.youth_id, event.object_id) == (people.follower, youth.pk, str(member.pk))
    assert event.detail["is_lead"] is True


def test_the_team_starts_with_a_staff_member_not_a_guardian(people: People, youth: Youth) -> None:
    guardian = _guardian(youth)

    with pytest.raises(ValidationError, match="starts with the staff member"):
        services.team_member_add(actor=people.follower, youth=youth, kind=Kind.GUARDIAN, guardian=guardian)

    assert not TeamMember.objects.exists()
    assert not _actions(youth)


def test_the_database_refuses_a_second_lead(people: People, youth: Youth) -> None:
    _start(people, youth)

    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(
            youth=youth,
            kind=Kind.STAFF,
            user=people.teammate,
            unit=people.unit,
            role=Role.FAMILY_FOLLOWER,
            is_lead=True,
        )
    assert [m.user for m in _active(youth)] == [people.follower]


def test_the_database_refuses_a_guardian_with_lead_responsibility(people: People, youth: Youth) -> None:
    guardian = _guardian(youth)

    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(youth=youth, kind=Kind.GUARDIAN, guardian=guardian, role=Role.GUARDIAN, is_lead=True)


def test_the_database_refuses_a_staff_row_without_a_service(people: People, youth: Youth) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(youth=youth, kind=Kind.STAFF, user=people.teammate, role=Role.OTHER, is_lead=True)


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_at_commit_a_team_with_members_but_no_lead(people: People) -> None:
    youth = followed_youth(people.unit, lead=people.follower)

    with pytest.raises(IntegrityError, match="no one with lead responsibility"), transaction.atomic():
        TeamMember.objects.create(youth=youth, kind=Kind.STAFF, user=people.follower, unit=people.unit, role=Role.OTHER)
    assert not TeamMember.objects.exists()

    lead = TeamMember.objects.create(
        youth=youth, kind=Kind.STAFF, user=people.follower, unit=people.unit, role=Role.FOLLOWER, is_lead=True
    )
    TeamMember.objects.create(youth=youth, kind=Kind.YOUTH, role=Role.YOUTH)
    with pytest.raises(IntegrityError, match="no one with lead responsibility"), transaction.atomic():
        TeamMember.objects.filter(pk=lead.pk).update(ends_on=datetime.date.today(), end_reason="Sluttet")
    assert TeamMember.objects.get(pk=lead.pk).ends_on is None

    # Within one transaction the lead may be missing for a moment: only the end state counts.
    with transaction.atomic():
        TeamMember.objects.filter(pk=lead.pk).update(is_lead=False)
        TeamMember.objects.create(
            youth=youth, kind=Kind.STAFF, user=people.teammate, unit=people.unit, role=Role.OTHER, is_lead=True
        )
    assert TeamMember.objects.get(is_lead=True, ends_on__isnull=True).user == people.teammate


@pytest.mark.django_db(transaction=True)
def test_the_services_keep_exactly_one_lead_through_commits(people: People) -> None:
    youth = followed_youth(people.unit, lead=people.follower)

    _start(people, youth)
    police = _add_police(people, youth)
    services.team_lead_transfer(actor=people.follower, member=police)
    old = TeamMember.objects.get(youth=youth, user=people.follower, ends_on__isnull=True)
    services.team_member_end(actor=people.police, member=old, reason="Oppfølgingen er avsluttet")

    assert [(m.user, m.is_lead) for m in _active(youth)] == [(people.police, True)]


def test_the_lead_cannot_leave_before_passing_lead_responsibility_on(people: People, youth: Youth) -> None:
    lead = _start(people, youth)
    _add_police(people, youth)

    with pytest.raises(ValidationError, match="holds lead responsibility"):
        services.team_member_end(actor=people.follower, member=lead, reason="Bytter jobb")

    lead.refresh_from_db()
    assert lead.ends_on is None
    assert "team.member_ended" not in _actions(youth)


def test_the_lead_may_leave_last_and_the_team_is_then_empty(people: People, youth: Youth) -> None:
    lead = _start(people, youth)

    services.team_member_end(actor=people.follower, member=lead, reason="Oppfølgingen er avsluttet")

    assert _active(youth) == []
    assert TeamMember.objects.get(pk=lead.pk).ends_on == datetime.date.today()


def test_passing_lead_responsibility_keeps_both_in_the_team_and_the_history(people: People, youth: Youth) -> None:
    first = _start(people, youth)
    police = _add_police(people, youth)

    new_lead = services.team_lead_transfer(actor=people.follower, member=police)

    assert (new_lead.user, new_lead.is_lead, new_lead.unit) == (people.police, True, people.police_unit)
    active = {m.user: m.is_lead for m in _active(youth)}
    assert active == {people.follower: False, people.police: True}
    first.refresh_from_db()
    police.refresh_from_db()
    assert first.ends_on == police.ends_on == datetime.date.today()
    assert police.user is not None
    assert police.user.full_name in first.end_reason
    assert TeamMember.objects.filter(youth=youth).count() == 4, "two ended rows and two new ones"
    assert access.has_grant(people.police, youth, "view")
    event = AuditEvent.objects.get(action="team.lead_transferred")
    assert (event.detail["from_user"], event.detail["to_user"]) == (people.follower.pk, people.police.pk)


def test_adding_someone_with_lead_responsibility_hands_it_over(people: People, youth: Youth) -> None:
    _start(people, youth)

    police = _add_police(people, youth, is_lead=True)

    assert police.is_lead
    assert {m.user: m.is_lead for m in _active(youth)} == {people.follower: False, people.police: True}


def test_only_a_staff_member_is_given_lead_responsibility(people: People, youth: Youth) -> None:
    _start(people, youth)
    member = services.team_member_add(actor=people.follower, youth=youth, kind=Kind.YOUTH)

    with pytest.raises(ValidationError, match="Only a staff member"):
        services.team_lead_transfer(actor=people.follower, member=member)
    with pytest.raises(ValidationError, match="Only a staff member"):
        services.team_member_add(
            actor=people.follower,
            youth=youth,
            kind=Kind.EXTERNAL,
            external_name="Per Trener",
            role=Role.COACH,
            is_lead=True,
        )


# --- Who can be in the team ----------------------------------------------------------------------


def test_a_staff_member_takes_part_for_a_service_where_they_hold_a_role(people: People, youth: Youth) -> None:
    _start(people, youth)

    with pytest.raises(ValidationError) as refused:
        services.team_member_add(
            actor=people.follower, youth=youth, kind=Kind.STAFF, user=people.police, unit=people.unit, role=Role.OTHER
        )
    assert "no role in force" in str(refused.value.message_dict["user"])


def test_a_role_that_has_ended_does_not_count(people: People, youth: Youth) -> None:
    _start(people, youth)
    school = UnitFactory(name="Linderud skole", district=people.unit.district)
    former = StaffRoleFactory(unit=school, role=StaffRole.Role.SCHOOL_CONTACT, ends_on=datetime.date(2025, 6, 30)).user

    with pytest.raises(ValidationError, match="no role in force"):
        services.team_member_add(
            actor=people.follower, youth=youth, kind=Kind.STAFF, user=former, unit=school, role=Role.CONTACT_TEACHER
        )


def test_a_guardian_must_be_one_of_the_youths_guardians(people: People, youth: Youth) -> None:
    _start(people, youth)
    stranger = _guardian(YouthFactory(), first_name="Kari")

    with pytest.raises(ValidationError) as refused:
        services.team_member_add(actor=people.follower, youth=youth, kind=Kind.GUARDIAN, guardian=stranger)
    assert "not registered as a guardian" in str(refused.value.message_dict["guardian"])

    mother = services.team_member_add(actor=people.follower, youth=youth, kind=Kind.GUARDIAN, guardian=_guardian(youth))
    assert (mother.role, mother.name) == (Role.GUARDIAN, "Nadia Berg")


def test_nobody_is_in_the_team_twice_at_once(people: People, youth: Youth) -> None:
    _start(people, youth)
    services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=Kind.EXTERNAL,
        external_name="Per Trener",
        external_organisation="Linderud IL",
        role=Role.COACH,
    )

    with pytest.raises(ValidationError, match="already in the team"):
        services.team_member_add(
            actor=people.follower, youth=youth, kind=Kind.STAFF, user=people.follower, unit=people.unit, role=Role.OTHER
        )
    with pytest.raises(ValidationError, match="already in the team"):
        services.team_member_add(
            actor=people.follower,
            youth=youth,
            kind=Kind.EXTERNAL,
            external_name="per trener",
            external_organisation="LINDERUD IL",
            role=Role.COACH,
        )
    assert len(_active(youth)) == 2


def test_someone_who_left_can_join_again(people: People, youth: Youth) -> None:
    _start(people, youth)
    police = _add_police(people, youth)
    services.team_member_end(actor=people.follower, member=police, reason="Saken er avsluttet hos politiet")

    again = _add_police(people, youth)

    assert again.pk != police.pk
    assert TeamMember.objects.filter(youth=youth, user=people.police).count() == 2


# --- Access --------------------------------------------------------------------------------------


def test_joining_grants_access_to_the_youth_and_leaving_takes_it_away(as_user, people: People, youth: Youth) -> None:
    client = as_user(people.police)
    assert client.get(f"/ungdommer/{youth.pk}/").status_code == 404

    _start(people, youth)
    police = _add_police(people, youth)
    assert client.get(f"/ungdommer/{youth.pk}/").status_code == 200

    services.team_member_end(actor=people.follower, member=police, reason="Politiet er ikke lenger involvert")
    assert client.get(f"/ungdommer/{youth.pk}/").status_code == 404

    police.refresh_from_db()
    assert (police.ends_on, police.ended_by, police.end_reason) == (
        datetime.date.today(),
        people.follower,
        "Politiet er ikke lenger involvert",
    )
    assert _actions(youth) == ["team.member_added", "team.member_added", "team.member_ended"]


def test_a_member_without_the_right_cannot_change_the_team(people: People, youth: Youth) -> None:
    _start(people, youth)
    _add_police(people, youth)

    with pytest.raises(PermissionDenied):
        services.team_member_add(actor=people.police, youth=youth, kind=Kind.YOUTH)
    with pytest.raises(PermissionDenied):
        services.team_member_add(actor=people.outsider, youth=youth, kind=Kind.YOUTH)
    assert len(_active(youth)) == 2


def test_the_lead_from_another_service_may_manage_the_team(people: People, youth: Youth) -> None:
    _start(people, youth)
    services.team_lead_transfer(actor=people.follower, member=_add_police(people, youth))

    member = services.team_member_add(actor=people.police, youth=youth, kind=Kind.YOUTH)

    assert member.added_by == people.police


def test_team_start_adds_the_follower_of_the_open_follow_up_as_lead_once(people: People, youth: Youth) -> None:
    lead = services.team_start(actor=people.leader, youth=youth)

    assert (lead.user, lead.unit, lead.role, lead.is_lead) == (people.follower, people.unit, Role.FOLLOWER, True)
    assert services.team_start(actor=people.leader, youth=youth) == lead
    assert TeamMember.objects.count() == 1


def test_team_start_needs_a_follower(people: People) -> None:
    youth = followed_youth(people.unit)

    with pytest.raises(ValidationError, match="no open follow-up with a follower"):
        services.team_start(actor=people.leader, youth=youth)


def test_teams_for_user_lists_the_persons_current_teams(people: People, youth: Youth) -> None:
    other = followed_youth(people.unit, lead=people.follower)
    _start(people, youth)
    services.team_member_end(actor=people.follower, member=_start(people, other), reason="Flyttet")

    assert [m.youth for m in selectors.teams_for_user(user=people.follower)] == [youth]


# --- The team page -------------------------------------------------------------------------------


def _pages(youth: Youth, member: TeamMember) -> list[str]:
    return [
        f"/ungdommer/{youth.pk}/lag/",
        f"/ungdommer/{youth.pk}/lag/personer/",
        f"/ungdommer/{youth.pk}/lag/{member.pk}/avslutt/",
        f"/ungdommer/{youth.pk}/lag/{member.pk}/hovedansvar/",
    ]


def test_an_outsider_gets_404_on_every_team_page(as_user, people: People, youth: Youth) -> None:
    member = _start(people, youth)
    client = as_user(people.outsider)

    for url in _pages(youth, member):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "youth", "reason": "Nei"}).status_code in (404, 405), url
    assert client.get("/ungdommer/999999/lag/").status_code == 404
    assert len(_active(youth)) == 1


def test_a_member_without_the_right_sees_the_team_but_gets_403_on_changes(
    as_user, people: People, youth: Youth
) -> None:
    lead = _start(people, youth)
    _add_police(people, youth)
    client = as_user(people.police)

    page = client.get(f"/ungdommer/{youth.pk}/lag/")
    assert page.status_code == 200
    assert page.context["may_manage"] is False
    assert page.context["staff_form"] is None
    assert client.post(f"/ungdommer/{youth.pk}/lag/", {"action": "youth"}).status_code == 403
    for url in _pages(youth, lead)[1:]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/ungdommer/{youth.pk}/lag/{lead.pk}/avslutt/", {"reason": "Nei"}).status_code == 403
    assert len(_active(youth)) == 2


def test_the_team_page_shows_the_lead_first_and_the_history(as_user, people: People, youth: Youth) -> None:
    _start(people, youth)
    police = _add_police(people, youth)
    services.team_member_end(actor=people.follower, member=police, reason="Saken er henlagt")
    services.team_member_add(actor=people.follower, youth=youth, kind=Kind.YOUTH)

    response = as_user(people.follower).get(f"/ungdommer/{youth.pk}/lag/")

    assert response.status_code == 200
    assert "teams/team_detail.html" in [t.name for t in response.templates]
    assert [m.kind for m in response.context["members"]] == [Kind.STAFF, Kind.YOUTH]
    assert response.context["members"][0].is_lead
    assert len(response.context["history"]) == 3
    assert "Saken er henlagt" in response.content.decode()
    assert AuditEvent.objects.filter(action="youth.team_viewed", youth_id=youth.pk, actor=people.follower).exists()


def test_the_follower_adds_a_staff_member_through_the_page(as_user, people: People, youth: Youth) -> None:
    _start(people, youth)
    client = as_user(people.follower)

    response = client.post(
        f"/ungdommer/{youth.pk}/lag/",
        {
            "action": "staff",
            "staff-unit": people.police_unit.pk,
            "staff-user": people.police.pk,
            "staff-role": Role.POLICE_CONTACT,
            "staff-note": "Forebyggende",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/ungdommer/{youth.pk}/lag/"
    member = TeamMember.objects.get(youth=youth, user=people.police)
    assert (member.unit, member.role, member.note, member.is_lead) == (
        people.police_unit,
        Role.POLICE_CONTACT,
        "Forebyggende",
        False,
    )
    assert access.can(people.police, youth)


def test_the_people_of_the_service_chosen_are_listed_with_and_without_javascript(
    as_user, people: People, youth: Youth
) -> None:
    _start(people, youth)
    client = as_user(people.follower)

    fragment = client.get(
        f"/ungdommer/{youth.pk}/lag/personer/", {"staff-unit": people.unit.pk}, HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    listed = list(fragment.context["staff_form"].fields["user"].queryset)
    assert people.teammate in listed
    assert people.leader in listed
    assert people.follower not in listed, "already in the team"
    assert people.police not in listed

    page = client.post(
        f"/ungdommer/{youth.pk}/lag/",
        {
            "action": "staff_unit",
            "staff-unit": people.police_unit.pk,
            "staff-role": Role.POLICE_CONTACT,
            "staff-note": "Forebyggende",
        },
    )
    assert page.status_code == 200
    form = page.context["staff_form"]
    assert list(form.fields["user"].queryset) == [people.police]
    assert (form["role"].value(), form["note"].value()) == (Role.POLICE_CONTACT, "Forebyggende")
    assert len(_active(youth)) == 1


def test_bad_input_gives_the_form_back_with_400_and_what_was_typed(as_user, people: People, youth: Youth) -> None:
    _start(people, youth)
    client = as_user(people.follower)

    response = client.post(
        f"/ungdommer/{youth.pk}/lag/",
        {
            "action": "external",
            "external-external_organisation": "Linderud IL",
            "external-external_phone": "987 65 432",
            "external-external_email": "ikke-en-adresse",
            "external-role": Role.COACH,
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    for typed in ("Linderud IL", "987 65 432", "ikke-en-adresse"):
        assert typed in page
    assert set(response.context["external_form"].errors) == {"external_name", "external_email"}
    assert len(_active(youth)) == 1


def test_a_broken_rule_gives_the_form_back_with_400_and_the_services_message(
    as_user, people: People, youth: Youth
) -> None:
    guardian = _guardian(youth)
    client = as_user(people.follower)

    response = client.post(
        f"/ungdommer/{youth.pk}/lag/", {"action": "guardian", "guardian-guardian": guardian.pk, "guardian-note": "Mor"}
    )

    assert response.status_code == 400
    errors = " ".join(response.context["guardian_form"].non_field_errors())
    assert "Det starter med den ansatte som har hovedansvaret" in errors
    assert response.context["guardian_form"]["note"].value() == "Mor"
    assert not TeamMember.objects.exists()


def test_the_team_is_started_with_the_follower_from_the_page(as_user, people: People, youth: Youth) -> None:
    client = as_user(people.leader)
    assert client.get(f"/ungdommer/{youth.pk}/lag/").context["start_with"].user == people.follower

    response = client.post(f"/ungdommer/{youth.pk}/lag/", {"action": "start"})

    assert response.status_code == 302
    assert [(m.user, m.is_lead) for m in _active(youth)] == [(people.follower, True)]


def test_ending_a_membership_needs_a_reason_and_keeps_the_row(as_user, people: People, youth: Youth) -> None:
    _start(people, youth)
    police = _add_police(people, youth)
    client = as_user(people.follower)
    url = f"/ungdommer/{youth.pk}/lag/{police.pk}/avslutt/"

    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "  "}).status_code == 400
    response = client.post(url, {"reason": "Saken er henlagt"})

    assert response.status_code == 302
    police.refresh_from_db()
    assert (police.ends_on, police.end_reason) == (datetime.date.today(), "Saken er henlagt")
    assert client.get(url).status_code == 404, "no longer a current member"


def test_the_lead_is_told_to_pass_lead_responsibility_on_before_leaving(as_user, people: People, youth: Youth) -> None:
    lead = _start(people, youth)
    _add_police(people, youth)
    client = as_user(people.follower)
    url = f"/ungdommer/{youth.pk}/lag/{lead.pk}/avslutt/"

    page = client.get(url)
    assert page.context["lead_must_pass_on"]
    response = client.post(url, {"reason": "Bytter jobb"})

    assert response.status_code == 400
    assert "har hovedansvaret. Gi det videre" in " ".join(response.context["form"].non_field_errors())
    assert response.context["form"]["reason"].value() == "Bytter jobb"
    lead.refresh_from_db()
    assert lead.ends_on is None


def test_lead_responsibility_is_passed_on_from_the_page(as_user, people: People, youth: Youth) -> None:
    _start(people, youth)
    police = _add_police(people, youth)
    client = as_user(people.follower)
    url = f"/ungdommer/{youth.pk}/lag/{police.pk}/hovedansvar/"

    assert client.get(url).context["lead"].user == people.follower
    response = client.post(url)

    assert response.status_code == 302
    assert TeamMember.objects.get(youth=youth, is_lead=True, ends_on__isnull=True).user == people.police


def test_the_team_page_makes_as_many_queries_for_a_large_team_as_for_a_small_one(
    as_user, people: People, youth: Youth, django_assert_max_num_queries
) -> None:
    _start(people, youth)
    _guardian(youth)
    client = as_user(people.follower)
    url = f"/ungdommer/{youth.pk}/lag/"
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    school = UnitFactory(name="Veitvet skole", district=people.unit.district)
    for n in range(6):
        user = StaffRoleFactory(unit=school, role=StaffRole.Role.SCHOOL_CONTACT, user__full_name=f"Lærer {n}").user
        services.team_member_add(
            actor=people.follower, youth=youth, kind=Kind.STAFF, user=user, unit=school, role=Role.CONTACT_TEACHER
        )
        services.team_member_add(
            actor=people.follower, youth=youth, kind=Kind.EXTERNAL, external_name=f"Frivillig {n}", role=Role.OTHER
        )
    services.team_member_add(actor=people.follower, youth=youth, kind=Kind.YOUTH)
    for guardian in Guardian.objects.filter(guardianships__youth=youth):
        services.team_member_add(actor=people.follower, youth=youth, kind=Kind.GUARDIAN, guardian=guardian)
    services.team_member_end(actor=people.follower, member=_active(youth)[-1], reason="Flyttet")

    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert len(response.context["members"]) == 14


def test_the_youth_team_partial_shows_the_team_compactly_lead_first(people: People, youth: Youth) -> None:
    _start(people, youth)
    services.team_member_add(actor=people.follower, youth=youth, kind=Kind.GUARDIAN, guardian=_guardian(youth))
    _add_police(people, youth, is_lead=True)

    team = selectors.team_for_youth(youth=youth)
    html = render_to_string("teams/partials/youth_team.html", {"youth": youth, "youth_team": team})

    assert [m.user for m in team[:1]] == [people.police]
    assert html.index(people.police.full_name) < html.index("Alice Follower") < html.index("Nadia Berg")
    assert people.police_unit.name in html
    assert f"/ungdommer/{youth.pk}/lag/" in html


def test_a_new_user_with_no_role_sees_nothing_of_the_team(as_user, people: People, youth: Youth) -> None:
    member = _start(people, youth)
    nobody = UserFactory()
    TOTPDeviceFactory(user=nobody)
    client = as_user(nobody)

    for url in _pages(youth, member):
        assert client.get(url).status_code == 404, url
