"""The youth pages: list and search, register, the youth page and editing. Wiring: status codes,
templates, permissions, and what reaches the page (STYLE.md)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from cases.models import FollowUp, Youth
from core.models import AuditEvent
from org.models import Unit

from ..conftest import People, sign_in
from ..factories import UnitFactory, YouthFactory
from .helpers_youths import contact, coordinator_of, national_id, youth_in

pytestmark = pytest.mark.django_db

BORN = datetime.date(2011, 5, 17)


def _register_data(unit: Unit, **overrides: Any) -> dict[str, Any]:
    data = {
        "unit": unit.pk,
        "first_name": "Jørgen",
        "last_name": "Hansen",
        "preferred_name": "",
        "national_id": "",
        "birth_date": BORN.isoformat(),
        "gender": "male",
        "district": unit.district_id,
        "school": "",
        "school_class": "9B",
        "address": "Trondheimsveien 1",
        "postal_code": "0560",
        "phone": "",
        "language": "norsk",
        "safety_notes": "",
    }
    data.update(overrides)
    return data


# --- Outsiders and members without the right ---------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "endre/", "oppfolging/"])
def test_outsider_gets_404_on_every_youth_page(as_user: Any, people: People, suffix: str) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    client = as_user(people.outsider)
    assert client.get(f"/ungdommer/{youth.pk}/{suffix}").status_code == 404
    if suffix:  # the youth page itself only answers GET
        assert client.post(f"/ungdommer/{youth.pk}/{suffix}", {"action": "close"}).status_code == 404


def test_unknown_youth_is_a_404_like_a_forbidden_one(as_user: Any, people: People) -> None:
    assert as_user(people.follower).get("/ungdommer/999999/").status_code == 404


def test_pages_need_sign_in(client: Client, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower)
    for url in ("/ungdommer/", "/ungdommer/ny/", f"/ungdommer/{youth.pk}/", f"/ungdommer/{youth.pk}/endre/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/logg-inn/" in response["Location"]


def test_outsider_does_not_see_the_youth_in_the_list(as_user: Any, people: People) -> None:
    youth_in(people.unit, lead=people.follower, first_name="Synnøve")
    response = as_user(people.outsider).get("/ungdommer/")
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_a_follower_may_not_register_youths(as_user: Any, people: People) -> None:
    client = as_user(people.follower)
    assert client.get("/ungdommer/ny/").status_code == 403
    assert client.post("/ungdommer/ny/", _register_data(people.unit)).status_code == 403
    assert not Youth.objects.exists()


# --- The youth page ------------------------------------------------------------------------------


def test_youth_page_shows_the_team_flags_and_timeline(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    youth = youth_in(
        people.unit,
        lead=people.follower,
        family_follower=people.teammate,
        coordinator=coordinator,
        safety_notes="Unngå Furuset senter.",
    )
    logged = contact(youth, people.follower, days_ago=20, text="Fotballtrening")
    response = as_user(people.follower).get(f"/ungdommer/{youth.pk}/")
    assert response.status_code == 200
    assert "cases/youth_detail.html" in [t.name for t in response.templates]
    team = response.context["team"]
    assert team.lead.user == people.follower
    assert [a.user for a in team.family] == [people.teammate]
    assert [a.user for a in team.coordinators] == [coordinator]
    assert response.context["flags"].no_contact is True
    items = [item.obj for month in response.context["months"] for item in month.items]
    assert logged in items
    page = response.content.decode()
    assert "Unngå Furuset senter." in page
    assert f"/ungdommer/kontakter/{logged.pk}/" in page
    assert f"/ungdommer/{youth.pk}/kontakt/ny/" in page  # Log contact
    assert AuditEvent.objects.filter(action="youth.viewed", youth_id=youth.pk, actor=people.follower).exists()


def test_youth_page_shows_outcome_measures_over_time(as_user: Any, people: People) -> None:
    from cases.models import OutcomeMeasure

    youth = youth_in(people.unit, lead=people.follower)
    followup = youth.followups.get()
    for day, attendance in ((datetime.date(2026, 1, 10), 40), (datetime.date(2026, 4, 10), 75)):
        OutcomeMeasure.objects.create(
            followup=followup,
            measured_on=day,
            phase="start" if attendance == 40 else "quarterly",
            school_attendance=attendance,
            substance_use="some",
            occupation="school",
            recorded_by=people.follower,
        )
    response = as_user(people.follower).get(f"/ungdommer/{youth.pk}/")
    rows = response.context["outcome_rows"]
    assert rows[0].values == ["40", "75"]
    assert rows[0].change == "+35"


def test_restricted_fields_are_masked_for_a_coordinator(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    nid = national_id(BORN)
    youth = youth_in(people.unit, lead=people.follower, national_id=nid, birth_date=BORN, address="Tvetenveien 9")
    response = as_user(coordinator).get(f"/ungdommer/{youth.pk}/")
    assert response.status_code == 200
    assert response.context["restricted"].visible is False
    page = response.content.decode()
    assert nid not in page
    assert "Tvetenveien 9" not in page
    assert nid[:6] in page  # the masked value is shown, with its note
    assert "laget-hidden-note" in page


def test_restricted_fields_are_masked_for_a_police_contact_on_the_team(as_user: Any, people: People) -> None:
    nid = national_id(BORN)
    youth = youth_in(people.unit, lead=people.follower, national_id=nid, birth_date=BORN, address="Tvetenveien 9")
    assign_perm("cases.view_youth", people.police, youth)
    response = as_user(people.police).get(f"/ungdommer/{youth.pk}/")
    assert response.status_code == 200
    assert response.context["restricted"].visible is False
    assert nid not in response.content.decode()
    assert response.context["may_edit"] is False
    assert as_user(people.police).get(f"/ungdommer/{youth.pk}/endre/").status_code == 403


@pytest.mark.parametrize("who", ["follower", "leader"])
def test_restricted_fields_are_shown_to_the_follower_and_the_leader(as_user: Any, people: People, who: str) -> None:
    nid = national_id(BORN)
    youth = youth_in(people.unit, lead=people.follower, national_id=nid, birth_date=BORN, address="Tvetenveien 9")
    page = as_user(getattr(people, who)).get(f"/ungdommer/{youth.pk}/").content.decode()
    assert nid in page
    assert "Tvetenveien 9" in page


# --- Register --------------------------------------------------------------------------------------


def test_coordinator_registers_a_youth(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    nid = national_id(BORN)
    response = as_user(coordinator).post("/ungdommer/ny/", _register_data(people.unit, national_id=nid))
    youth = Youth.objects.get(national_id=nid)
    assert response.status_code == 302
    assert response["Location"] == f"/ungdommer/{youth.pk}/"
    followup = youth.followups.get()
    assert followup.unit == people.unit
    assert followup.state == FollowUp.State.INTAKE
    assert AuditEvent.objects.filter(action="youth.registered", youth_id=youth.pk, actor=coordinator).exists()
    assert as_user(coordinator).get(response["Location"]).status_code == 200


def test_register_form_offers_only_the_units_the_person_coordinates_or_leads(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    response = as_user(coordinator).get("/ungdommer/ny/")
    assert response.status_code == 200
    assert list(response.context["form"].fields["unit"].queryset) == [people.unit]
    other = as_user(coordinator).post("/ungdommer/ny/", _register_data(people.other_unit))
    assert other.status_code == 400
    assert "unit" in other.context["form"].errors


def test_invalid_national_id_is_refused_and_nothing_typed_is_lost(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    response = as_user(coordinator).post(
        "/ungdommer/ny/", _register_data(people.unit, national_id="17051150001", safety_notes="Trusler på skolen")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "national_id" in form.errors
    page = response.content.decode()
    assert 'value="Jørgen"' in page
    assert "Trusler på skolen" in page
    assert "Trondheimsveien 1" in page
    assert not Youth.objects.exists()


def test_same_name_and_birth_date_warns_before_registering(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    existing = youth_in(people.unit, first_name="Jørgen", last_name="Hansen", birth_date=BORN)
    client = as_user(coordinator)
    response = client.post("/ungdommer/ny/", _register_data(people.unit, first_name="Jorgen"))
    assert response.status_code == 400
    assert [d.youth for d in response.context["duplicates"]] == [existing]
    assert f"/ungdommer/{existing.pk}/" in response.content.decode()
    assert Youth.objects.count() == 1

    response = client.post("/ungdommer/ny/", _register_data(people.unit, first_name="Jorgen", register_anyway="on"))
    assert response.status_code == 302
    assert Youth.objects.count() == 2


def test_a_duplicate_the_person_may_not_see_is_named_without_details(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    hidden = youth_in(people.other_unit, first_name="Jørgen", last_name="Hansen", birth_date=BORN)
    response = as_user(coordinator).post("/ungdommer/ny/", _register_data(people.unit))
    assert response.status_code == 400
    duplicates = response.context["duplicates"]
    assert len(duplicates) == 1
    assert duplicates[0].youth is None
    assert f"/ungdommer/{hidden.pk}/" not in response.content.decode()


def test_same_national_id_is_always_refused(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    nid = national_id(BORN)
    youth_in(people.other_unit, first_name="Per", last_name="Olsen", birth_date=BORN, national_id=nid)
    response = as_user(coordinator).post(
        "/ungdommer/ny/", _register_data(people.unit, national_id=nid, register_anyway="on")
    )
    assert response.status_code == 400
    assert "national_id" in response.context["form"].errors
    assert response.context["duplicates"][0].same_national_id is True
    assert Youth.objects.count() == 1


# --- Edit ------------------------------------------------------------------------------------------


def test_lead_follower_edits_details(as_user: Any, people: People) -> None:
    nid = national_id(BORN)
    youth = youth_in(people.unit, lead=people.follower, national_id=nid, birth_date=BORN)
    client = as_user(people.follower)
    form = client.get(f"/ungdommer/{youth.pk}/endre/").context["form"]
    assert "national_id" in form.fields
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"phone": "99887766", "birth_date": BORN.isoformat(), "needs_interpreter": ""})
    response = client.post(f"/ungdommer/{youth.pk}/endre/", data)
    assert response.status_code == 302, response.context["form"].errors
    youth.refresh_from_db()
    assert youth.phone == "99887766"
    assert youth.national_id == nid
    assert AuditEvent.objects.filter(action="youth.updated", youth_id=youth.pk).exists()


def test_coordinator_edits_without_seeing_restricted_fields(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    nid = national_id(BORN)
    youth = youth_in(people.unit, lead=people.follower, national_id=nid, birth_date=BORN, address="Tvetenveien 9")
    client = as_user(coordinator)
    response = client.get(f"/ungdommer/{youth.pk}/endre/")
    assert response.status_code == 200
    form = response.context["form"]
    assert "national_id" not in form.fields
    assert "address" not in form.fields
    assert nid not in response.content.decode()
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"school_class": "10A", "birth_date": BORN.isoformat(), "needs_interpreter": ""})
    response = client.post(f"/ungdommer/{youth.pk}/endre/", {**data, "national_id": "", "address": ""})
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.school_class == "10A"
    assert youth.national_id == nid  # untouched: the field was never part of the form
    assert youth.address == "Tvetenveien 9"


def test_edit_errors_keep_what_was_typed(as_user: Any, people: People) -> None:
    nid = national_id(BORN)
    youth = youth_in(people.unit, lead=people.follower, national_id=nid, birth_date=BORN)
    client = as_user(people.follower)
    form = client.get(f"/ungdommer/{youth.pk}/endre/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    # A date of birth that does not match the national identity number: the model's rule.
    data.update({"birth_date": "2011-05-18", "phone": "12345678", "needs_interpreter": ""})
    response = client.post(f"/ungdommer/{youth.pk}/endre/", data)
    assert response.status_code == 400
    assert "birth_date" in response.context["form"].errors
    assert 'value="12345678"' in response.content.decode()
    youth.refresh_from_db()
    assert youth.birth_date == BORN


# --- List and search ------------------------------------------------------------------------------


def test_list_shows_lead_follower_last_contact_and_flag(as_user: Any, people: People) -> None:
    recent = youth_in(people.unit, lead=people.follower, first_name="Aksel")
    quiet = youth_in(people.unit, lead=people.follower, first_name="Birk")
    contact(recent, people.follower, days_ago=2)
    contact(quiet, people.follower, days_ago=15)
    response = as_user(people.leader).get("/ungdommer/")
    assert response.status_code == 200
    rows = {row.youth: row for row in response.context["rows"]}
    assert rows[recent].lead == people.follower
    assert rows[recent].days_since_contact == 2
    assert rows[recent].no_contact is False
    assert rows[quiet].days_since_contact == 15
    assert rows[quiet].no_contact is True


def _search(client: Client, query: str) -> list[Youth]:
    response = client.get("/ungdommer/", {"q": query})
    assert response.status_code == 200
    return [row.youth for row in response.context["rows"]]


def test_search_by_name_without_accents(as_user: Any, people: People) -> None:
    jorgen = youth_in(people.unit, lead=people.follower, first_name="Jørgen", last_name="Ødegård")
    youth_in(people.unit, lead=people.follower, first_name="Mari", last_name="Berg")
    client = as_user(people.follower)
    assert _search(client, "jorgen") == [jorgen]
    assert _search(client, "odegard") == [jorgen]


def test_search_by_name_with_a_typo(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower, first_name="Kristoffer", last_name="Johansen")
    youth_in(people.unit, lead=people.follower, first_name="Mari", last_name="Berg")
    assert _search(as_user(people.follower), "Kristofer Johannsen") == [youth]


def test_search_by_national_id(as_user: Any, people: People) -> None:
    nid = national_id(BORN)
    youth = youth_in(people.unit, lead=people.follower, birth_date=BORN, national_id=nid)
    youth_in(people.unit, lead=people.follower, birth_date=BORN)
    client = as_user(people.follower)
    assert _search(client, nid) == [youth]
    assert _search(client, f"{nid[:6]} {nid[6:]}") == [youth]


def test_search_by_school(as_user: Any, people: People) -> None:
    school = UnitFactory(name="Tokerud skole", kind=Unit.Kind.SCHOOL, district=people.unit.district)
    youth = youth_in(people.unit, lead=people.follower, school=school)
    youth_in(people.unit, lead=people.follower)
    assert _search(as_user(people.follower), "Tokerud") == [youth]


def test_search_never_shows_youths_the_person_may_not_see(as_user: Any, people: People) -> None:
    youth_in(people.other_unit, first_name="Jørgen")
    assert _search(as_user(people.follower), "jorgen") == []


def test_live_search_returns_only_the_results(as_user: Any, people: People) -> None:
    youth = youth_in(people.unit, lead=people.follower, first_name="Jørgen")
    response = as_user(people.follower).get("/ungdommer/", {"q": "jorgen"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "cases/partials/youth_results.html"
    page = response.content.decode()
    assert "<html" not in page
    assert f"/ungdommer/{youth.pk}/" in page
    assert "HX-Request" in response["Vary"]
    assert 'hx-swap-oob="true"' in page  # the result count, announced by screen readers


def test_back_button_after_live_search_gets_the_whole_page(as_user: Any, people: People) -> None:
    youth_in(people.unit, lead=people.follower, first_name="Jørgen")
    response = as_user(people.follower).get(
        "/ungdommer/", {"q": "jorgen"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_search_works_without_javascript(as_user: Any, people: People) -> None:
    youth_in(people.unit, lead=people.follower, first_name="Jørgen")
    response = as_user(people.follower).get("/ungdommer/?q=jorgen")
    page = response.content.decode()
    assert "<html" in page
    assert 'hx-trigger="keyup changed delay:300ms, search"' in page
    assert 'method="get"' in page


def test_list_is_paginated_by_50(as_user: Any, people: People) -> None:
    for _ in range(51):
        youth_in(people.unit, state=FollowUp.State.INTAKE)
    client = as_user(people.leader)
    assert len(client.get("/ungdommer/").context["rows"]) == 50
    assert len(client.get("/ungdommer/?side=2").context["rows"]) == 1


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ungdommer/").status_code == 200
    return len(queries)


def test_list_has_a_fixed_query_count(as_user: Any, people: People, django_assert_max_num_queries: Any) -> None:
    client = as_user(people.leader)
    school = UnitFactory(name="Vahl skole", kind=Unit.Kind.SCHOOL, district=people.unit.district)
    for _ in range(3):
        youth = youth_in(people.unit, lead=people.follower, family_follower=people.teammate, school=school)
        contact(youth, people.follower, days_ago=3, task="Ringe skolen", task_due_on=datetime.date(2026, 1, 1))
    baseline = _list_queries(client)
    for _ in range(12):
        youth = youth_in(people.unit, lead=people.follower, family_follower=people.teammate, school=school)
        contact(youth, people.follower, days_ago=20)
    with django_assert_max_num_queries(baseline):
        response = client.get("/ungdommer/")
    assert len(response.context["rows"]) == 15


def test_register_link_only_for_those_who_may_register(as_user: Any, people: People) -> None:
    assert as_user(people.follower).get("/ungdommer/").context["may_register"] is False
    coordinator = coordinator_of(people.unit)
    assert as_user(coordinator).get("/ungdommer/").context["may_register"] is True


def test_siblings_and_turning_18_are_flagged_on_the_youth_page(as_user: Any, people: People) -> None:
    from cases.models import Family

    family = Family.objects.create(name="Familien Berg", district=people.district)
    today = datetime.date.today()
    older = youth_in(
        people.unit,
        lead=people.follower,
        family=family,
        birth_date=today.replace(year=today.year - 18) + datetime.timedelta(days=40),
    )
    younger = YouthFactory(family=family, district=people.unit.district, birth_date=datetime.date(2015, 3, 3))
    response = as_user(people.follower).get(f"/ungdommer/{older.pk}/")
    flags = response.context["flags"]
    assert flags.siblings_at_risk == [younger]
    assert flags.turns_18_on is not None
    assert response.context["turns_18_soon"] is True


# --- The duplicate check is no oracle ------------------------------------------------------------


def test_a_duplicate_number_in_another_district_is_refused_naming_nobody_and_audited(
    as_user: Any, people: People
) -> None:
    coordinator = coordinator_of(people.unit)
    nid = national_id(BORN)
    hidden = youth_in(people.other_unit, first_name="Per", last_name="Olsen", birth_date=BORN, national_id=nid)
    response = as_user(coordinator).post(
        "/ungdommer/ny/", _register_data(people.unit, national_id=nid, register_anyway="on")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Olsen" not in page
    assert f"/ungdommer/{hidden.pk}/" not in page
    assert [d.youth for d in response.context["duplicates"]] == [None]
    events = AuditEvent.objects.filter(actor=coordinator, action="youth.duplicate_checked", youth_id=hidden.pk)
    assert events.exists()
    assert all(event.detail["matches"] == 1 for event in events)
    assert all(nid not in str(event.detail) for event in events)  # a keyed hash, never the number


def test_the_api_refuses_a_duplicate_number_naming_nobody_and_audits_it(people: People) -> None:
    coordinator = coordinator_of(people.unit)
    nid = national_id(BORN)
    hidden = youth_in(people.other_unit, first_name="Per", last_name="Olsen", birth_date=BORN, national_id=nid)
    client = sign_in(Client(), coordinator)
    body = {
        "unit": people.unit.pk,
        "first_name": "Jørgen",
        "last_name": "Hansen",
        "birth_date": BORN.isoformat(),
        "national_id": nid,
    }
    response = client.post("/api/v1/youths/", body, content_type="application/json")
    assert response.status_code == 400
    assert "national_id" in response.json()["error"]["fields"]
    assert "Olsen" not in response.content.decode()
    assert AuditEvent.objects.filter(actor=coordinator, action="youth.duplicate_checked", youth_id=hidden.pk).exists()


def _probe_data(unit: Unit, day: int, **more: Any) -> dict[str, Any]:
    """A registration with its own number, name and date of birth (two different checks)."""
    born = BORN.replace(day=day)
    return _register_data(
        unit, national_id=national_id(born), first_name=f"Ny{day}", birth_date=born.isoformat(), **more
    )


@override_settings(LAGET_DUPLICATE_CHECKS_PER_HOUR=4)
def test_probing_many_numbers_is_throttled_per_person_and_the_refusal_audited(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    client = as_user(coordinator)
    hidden_born = BORN.replace(day=3)
    youth_in(
        people.other_unit,
        first_name="Per",
        last_name="Olsen",
        birth_date=hidden_born,
        national_id=national_id(hidden_born),
    )
    for day in (1, 2):  # two numbers and two names: the allowance of 4 is used up
        registered = client.post("/ungdommer/ny/", _probe_data(people.unit, day))
        assert registered.status_code == 302, registered.context["form"].errors
    # The third number is the one registered elsewhere: the answer no longer tells.
    response = client.post("/ungdommer/ny/", _probe_data(people.unit, 3, register_anyway="on"))
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors["national_id"])
    assert "already registered" not in errors
    assert "allerede registrert" not in errors
    assert response.context["duplicates"] == []
    assert "Olsen" not in response.content.decode()
    assert AuditEvent.objects.filter(actor=coordinator, action="youth.duplicate_check_refused").exists()
    # The API says the same.
    api = client
    born = BORN.replace(day=4)
    body = {
        "unit": people.unit.pk,
        "first_name": "Jørgen",
        "last_name": "Hansen",
        "birth_date": born.isoformat(),
        "national_id": national_id(born),
    }
    refused = api.post("/api/v1/youths/", body, content_type="application/json")
    assert refused.status_code == 400
    assert "national_id" in refused.json()["error"]["fields"]
    # A colleague is not held back by another person's checks.
    colleague = sign_in(Client(), coordinator_of(people.unit, "Cecilie Coordinator"))
    registered = colleague.post("/ungdommer/ny/", _probe_data(people.unit, 4))
    assert registered.status_code == 302, registered.context["form"].errors


@override_settings(LAGET_DUPLICATE_CHECKS_PER_HOUR=2)
def test_checking_the_same_number_again_is_not_counted_twice(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    client = as_user(coordinator)
    nid = national_id(BORN)
    for _ in range(4):  # the same form, sent again and again: one number, one name
        assert client.post("/ungdommer/ny/", _register_data(people.unit, national_id=nid)).status_code in (302, 400)
    assert not AuditEvent.objects.filter(action="youth.duplicate_check_refused").exists()
    assert Youth.objects.filter(national_id=nid).count() == 1


# --- A possible duplicate is a result the caller confirms (issue 12, point 1) ---------------------


def _api_body(unit: Unit, **more: Any) -> dict[str, Any]:
    return {"unit": unit.pk, "first_name": "Jorgen", "last_name": "Hansen", "birth_date": BORN.isoformat(), **more}


def test_the_api_answers_409_with_the_candidates_and_registers_when_confirmed(people: People) -> None:
    coordinator = coordinator_of(people.unit)
    seen = youth_in(people.unit, first_name="Jørgen", last_name="Hansen", birth_date=BORN)
    youth_in(people.other_unit, first_name="Jørgen", last_name="Hansen", birth_date=BORN)
    client = sign_in(Client(), coordinator)
    response = client.post("/api/v1/youths/", _api_body(people.unit), content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"error", "request_id"}
    assert body["error"]["code"] == "possible_duplicate"
    assert body["error"]["message"].startswith("En ungdom som kan være den samme")
    # Named only when the caller may see the youth; the other is there, anonymised, as on the page.
    assert body["error"]["candidates"] == [
        {
            "youth": {"id": seen.pk, "display_name": seen.display_name, "birth_date": BORN.isoformat()},
            "same_national_id": False,
        },
        {"youth": None, "same_national_id": False},
    ]
    assert Youth.objects.count() == 2

    confirmed = client.post(
        "/api/v1/youths/", _api_body(people.unit, confirm_duplicate=True), content_type="application/json"
    )
    assert confirmed.status_code == 201
    assert Youth.objects.count() == 3


def test_the_same_national_id_cannot_be_confirmed_into_a_second_youth(people: People) -> None:
    coordinator = coordinator_of(people.unit)
    nid = national_id(BORN)
    youth_in(people.unit, first_name="Jørgen", last_name="Hansen", birth_date=BORN, national_id=nid)
    client = sign_in(Client(), coordinator)
    response = client.post(
        "/api/v1/youths/",
        _api_body(people.unit, national_id=nid, confirm_duplicate=True),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "national_id" in response.json()["error"]["fields"]
    assert Youth.objects.filter(national_id=nid).count() == 1


def test_the_page_and_the_api_give_the_same_answer_to_a_possible_duplicate(as_user: Any, people: People) -> None:
    coordinator = coordinator_of(people.unit)
    seen = youth_in(people.unit, first_name="Jørgen", last_name="Hansen", birth_date=BORN)
    youth_in(people.other_unit, first_name="Jørgen", last_name="Hansen", birth_date=BORN)
    client = as_user(coordinator)
    page = client.post("/ungdommer/ny/", _register_data(people.unit, first_name="Jorgen"))
    api = client.post("/api/v1/youths/", _api_body(people.unit), content_type="application/json")
    assert (page.status_code, api.status_code) == (400, 409)
    on_page = [(d.youth.pk if d.youth else None, d.same_national_id) for d in page.context["duplicates"]]
    in_api = [
        (c["youth"]["id"] if c["youth"] else None, c["same_national_id"]) for c in api.json()["error"]["candidates"]
    ]
    assert on_page == in_api == [(seen.pk, False), (None, False)]


def test_the_service_asks_for_confirmation_of_a_possible_duplicate(people: People) -> None:
    from cases import services

    coordinator = coordinator_of(people.unit)
    existing = youth_in(people.unit, first_name="Jørgen", last_name="Hansen", birth_date=BORN)
    data = {"first_name": "Jorgen", "last_name": "Hansen", "birth_date": BORN, "district": people.unit.district}
    with pytest.raises(services.DuplicateSuspected) as suspected:
        services.youth_register(actor=coordinator, unit=people.unit, data=data)
    assert [d.youth for d in suspected.value.candidates] == [existing]
    assert AuditEvent.objects.filter(actor=coordinator, action="youth.duplicate_checked", youth_id=existing.pk).exists()
    registered = services.youth_register(actor=coordinator, unit=people.unit, data=data, confirm_duplicate=True)
    assert registered.pk != existing.pk


def test_the_schema_describes_the_409_and_the_confirmation(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "confirm_duplicate" in schema
    assert "DuplicateConflict" in schema
