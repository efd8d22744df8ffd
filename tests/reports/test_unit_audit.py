"""The unit's audit trail as its leader reads it (reports.views.unit_audit): names instead of ids,
a youth named only when the leader may see who the youth is, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Youth
from core import audit

from ..cases.factories import ContactFactory, followed_youth
from ..conftest import People, sign_in

pytestmark = pytest.mark.django_db


def _url(people: People) -> str:
    return reverse("reports:unit_audit", args=[people.unit.pk])


def _contact_logged(people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower)
    audit.record(actor=people.follower, action="contact.logged", target=contact, youth=youth)


def test_the_leader_reads_names_of_staff_and_of_youths_the_unit_follows(client: Client, people: People) -> None:
    ours = followed_youth(people.unit, lead=people.follower, first_name="Ali", last_name="Aasen")
    audit.record(actor=people.follower, action="youth.viewed", target=ours)
    _contact_logged(people, ours)
    audit.record(actor=people.leader, action="followup.assigned", target=people.follower)

    page = sign_in(client, people.leader).get(_url(people)).content.decode()

    assert "<td>Alice Follower</td>" in page
    assert people.follower.email not in page
    assert f"Ungdom: {ours.display_name}" in page
    assert f"Kontakt om {ours.display_name}" in page
    assert "Person: Alice Follower" in page
    assert f"Ungdom {ours.pk}" not in page
    assert f"Bruker {people.follower.pk}" not in page


def test_a_youth_the_leader_may_not_see_is_not_named(client: Client, people: People) -> None:
    theirs = followed_youth(people.other_unit, lead=people.outsider, first_name="Hemmelig", last_name="Hansen")
    audit.record(actor=people.follower, action="youth.viewed", target=theirs)
    audit.record(
        actor=people.follower,
        action="contact.viewed",
        target=ContactFactory(followup=theirs.followups.get()),
        youth=theirs,
    )

    page = sign_in(client, people.leader).get(_url(people)).content.decode()

    assert "Hemmelig" not in page
    assert "Hansen" not in page
    assert f"Ungdom {theirs.pk}" not in page
    assert "Ungdom: navnet vises ikke" in page
    assert "Kontakt om en ungdom (navnet vises ikke)" in page


def test_the_audit_page_has_a_fixed_query_budget(
    client: Client, people: People, django_assert_max_num_queries: Any
) -> None:
    sign_in(client, people.leader)
    for number in range(12):
        unit = people.unit if number % 2 else people.other_unit
        lead = people.follower if number % 2 else people.outsider
        youth = followed_youth(unit, lead=lead)
        audit.record(actor=people.follower, action="youth.viewed", target=youth)
        if number % 2:
            _contact_logged(people, youth)
        audit.record(actor=people.teammate, action="followup.assigned", target=people.follower)
    # Session, access, the page of entries with their actors, the youths, the sharing policy's facts
    # and the names: the same number for 2 entries or 50.
    with django_assert_max_num_queries(21):
        page = client.get(_url(people)).content.decode()
    assert page.count("navnet vises ikke") == 6


def test_an_outsider_gets_404_and_a_member_403(client: Client, people: People) -> None:
    assert sign_in(Client(), people.outsider).get(_url(people)).status_code == 404
    assert sign_in(client, people.follower).get(_url(people)).status_code == 403


def test_the_api_names_the_same_people_and_youths_as_the_page(client: Client, people: People) -> None:
    ours = followed_youth(people.unit, lead=people.follower, first_name="Ali", last_name="Aasen")
    theirs = followed_youth(people.other_unit, lead=people.outsider, first_name="Hemmelig", last_name="Hansen")
    audit.record(actor=people.follower, action="youth.viewed", target=ours)
    audit.record(actor=people.follower, action="youth.viewed", target=theirs)

    body = sign_in(client, people.leader).get(f"/api/v1/units/{people.unit.pk}/audit/").json()

    rows = {(row["who"], row["what"]) for row in body["results"] if row["action"] == "youth.viewed"}
    assert rows == {("Alice Follower", f"Ungdom: {ours.display_name}"), ("Alice Follower", "Ungdom: navnet vises ikke")}
    assert "Hemmelig" not in str(body)
