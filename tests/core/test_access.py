"""core.access: 404 for what a person may not see, 403 for what they see but may not do."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from guardian.shortcuts import assign_perm, remove_perm

from cases.models import Contact, Youth
from core import access
from org.models import StaffRole, Unit

from ..cases.factories import ContactFactory, followed_youth
from ..conftest import People
from ..factories import StaffRoleFactory, YouthFactory

pytestmark = pytest.mark.django_db


def test_member_sees_their_unit(people: People) -> None:
    assert access.get(people.follower, Unit, pk=people.unit.pk) == people.unit


def test_outsider_gets_404_for_a_unit_that_exists(people: People) -> None:
    with pytest.raises(Http404):
        access.get(people.outsider, Unit, pk=people.unit.pk)


def test_missing_and_forbidden_look_the_same(people: People) -> None:
    with pytest.raises(Http404):
        access.get(people.outsider, Unit, pk=999_999)


def test_member_without_the_right_gets_403(people: People) -> None:
    with pytest.raises(PermissionDenied):
        access.get(people.follower, Unit, pk=people.unit.pk, action="view_audit")


def test_leader_may_review_the_unit(people: People) -> None:
    assert access.get(people.leader, Unit, pk=people.unit.pk, action="view_audit") == people.unit


def test_superuser_gets_nothing_extra(people: People) -> None:
    with pytest.raises(Http404):
        access.get(people.admin, Unit, pk=people.other_unit.pk)


def test_ended_role_no_longer_gives_access(people: People) -> None:
    import datetime

    StaffRole.objects.filter(user=people.follower).update(ends_on=datetime.date(2025, 1, 1))
    with pytest.raises(Http404):
        access.get(people.follower, Unit, pk=people.unit.pk)


def test_list_is_filtered_in_one_query(people: People, django_assert_num_queries: object) -> None:
    for _ in range(5):
        StaffRoleFactory(user=people.follower)
    # django-guardian looks up the model's content type once per process (ContentType's cache);
    # warm it, so the count is the list's own and does not depend on which test ran first.
    list(access.visible(people.teammate, Unit.objects.all()))
    with django_assert_num_queries(1):  # type: ignore[operator]
        units = list(access.visible(people.follower, Unit.objects.all()))
    assert people.unit in units
    assert people.other_unit not in units
    assert len(units) == 6


def test_guardian_grant_gives_access_and_revoking_takes_it_away(people: People) -> None:
    youth = YouthFactory()
    with pytest.raises(Http404):
        access.get(people.follower, Youth, pk=youth.pk)
    assign_perm("cases.view_youth", people.follower, youth)
    assert access.get(people.follower, Youth, pk=youth.pk) == youth
    assert list(access.visible(people.teammate, Youth.objects.all())) == []
    remove_perm("cases.view_youth", people.follower, youth)
    with pytest.raises(Http404):
        access.get(people.follower, Youth, pk=youth.pk)


def test_anonymous_sees_nothing(people: People) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert list(access.visible(AnonymousUser(), Unit.objects.all())) == []


def test_an_undeclared_action_is_a_programming_error(people: People) -> None:
    with pytest.raises(LookupError):
        access.get(people.leader, Unit, pk=people.unit.pk, action="delete_everything")


# The same through the pages and the API.


def test_outsider_gets_404_on_unit_pages_and_api(as_user: object, people: People) -> None:
    client: Client = as_user(people.outsider)  # type: ignore[operator]
    for url in (
        f"/enheter/{people.unit.pk}/",
        f"/enheter/{people.unit.pk}/logg/",
        f"/api/v1/units/{people.unit.pk}/",
        f"/api/v1/units/{people.unit.pk}/audit/",
    ):
        assert client.get(url).status_code == 404, url


def test_member_gets_403_on_the_leaders_audit_page(as_user: object, people: People) -> None:
    client: Client = as_user(people.follower)  # type: ignore[operator]
    assert client.get(f"/enheter/{people.unit.pk}/").status_code == 200
    assert client.get(f"/enheter/{people.unit.pk}/logg/").status_code == 403
    response = client.get(f"/api/v1/units/{people.unit.pk}/audit/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_leader_reviews_the_audit_trail_and_the_review_is_audited(as_user: object, people: People) -> None:
    client: Client = as_user(people.leader)  # type: ignore[operator]
    page = client.get(f"/enheter/{people.unit.pk}/logg/")
    assert page.status_code == 200
    assert "Logget inn (tofaktor)" in page.content.decode()
    api = client.get(f"/api/v1/units/{people.unit.pk}/audit/")
    assert api.status_code == 200
    assert api.json()["count"] >= 1
    from core.models import AuditEvent

    assert AuditEvent.objects.filter(action="audit.viewed", actor=people.leader).count() == 2


def test_leader_filters_the_audit_trail_by_person_with_htmx(as_user: object, people: People) -> None:
    from core import audit

    audit.record(actor=people.follower, action="auth.logout", target=people.follower)
    client: Client = as_user(people.leader)  # type: ignore[operator]
    url = f"/enheter/{people.unit.pk}/logg/?person={people.follower.pk}"
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body
    assert "Logget ut" in body
    assert people.leader.email not in body
    full = client.get(url).content.decode()
    assert "<html" in full


def test_leader_cannot_filter_by_someone_outside_the_unit(as_user: object, people: People) -> None:
    client: Client = as_user(people.leader)  # type: ignore[operator]
    response = client.get(f"/enheter/{people.unit.pk}/logg/?person={people.outsider.pk}")
    assert response.status_code == 200
    assert people.outsider.email not in response.content.decode()


# --- Child objects: access through the parent ------------------------------------------------


def _contact_of_followed_youth(people: People) -> Contact:
    youth = followed_youth(people.unit, lead=people.follower)
    return ContactFactory(followup=youth.followups.get(), author=people.follower)


def test_a_child_of_an_invisible_parent_is_404_and_absent_from_lists(people: People) -> None:
    contact = _contact_of_followed_youth(people)
    assert access.get(people.follower, Contact, pk=contact.pk) == contact
    assert list(access.visible(people.follower, Contact.objects.all())) == [contact]
    with pytest.raises(Http404):
        access.get(people.outsider, Contact, pk=contact.pk)
    assert list(access.visible(people.outsider, Contact.objects.all())) == []
    assert not access.can(people.outsider, contact, "delete")


def test_a_child_action_is_refused_when_the_parents_action_is(people: People) -> None:
    contact = _contact_of_followed_youth(people)
    assign_perm("cases.view_youth", people.teammate, contact.youth)
    assert access.get(people.teammate, Contact, pk=contact.pk) == contact
    for action in ("delete", "mark_done", "edit"):  # the youth's delete_contact, log_contact; the author
        with pytest.raises(PermissionDenied):
            access.get(people.teammate, Contact, action=action, pk=contact.pk)
    with pytest.raises(PermissionDenied):  # a follower logs contacts but only a leader deletes them
        access.get(people.follower, Contact, action="delete", pk=contact.pk)
    assert access.get(people.follower, Contact, action="mark_done", pk=contact.pk) == contact
    assert access.get(people.leader, Contact, action="delete", pk=contact.pk) == contact


def test_an_undeclared_child_action_is_a_programming_error(people: People) -> None:
    with pytest.raises(LookupError):
        access.get(people.follower, Contact, action="approve", pk=1)


def test_the_child_models_registered_and_their_parents() -> None:
    """Every child object is protected through its parent; a new one is added here on purpose."""
    registered = {model._meta.label: policy.parent for model, policy in access.children().items()}
    assert registered == {
        "cases.Contact": "youth",
        "cases.Offence": "youth",
        "cases.JusticeStep": "youth",
        "cases.ReportingDate": "step__youth",
        "cases.OutcomeMeasure": "followup__youth",
        "consent.Consent": "youth",
        "consent.ConsentVersion": "consent__youth",
        "teams.Minutes": "meeting",
        "teams.MinutesRevision": "minutes__meeting",
        "teams.TeamMember": "youth",
        "teams.MeetingParticipant": "meeting",
        "teams.Plan": "youth",
        "teams.PlanGoal": "plan__youth",
        "teams.PlanStep": "goal__plan__youth",
        "teams.PlanVersion": "plan__youth",
        "teams.PlanAcknowledgement": "version__plan__youth",
        "teams.TransitionItem": "youth",
    }
    for model, policy in access.children().items():
        assert access.parent_model(model, policy.parent) in access._policies
