"""Outputs that once went around the sharing policy: the last outcome measure on the measure
form, the youth's edit form, closing summaries of other services, named anonymous discussions,
the earlier versions of a contact, the team page's disclosure log, and bad dates on the
right-to-know report. Each shows a category only when consent.policy opens it, says plainly
what was withheld, and logs what it showed.

The youth (16) is followed by the fixture unit with Alice as lead follower (tests/consent/
conftest.py); the school contact is on the youth's team (view_youth, as team membership gives).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.shortcuts import assign_perm

from cases import services as case_services
from cases.models import Contact, FollowUp, FollowUpAssignment, OutcomeMeasure, Youth
from consent.discussions import services as discussion_services
from consent.discussions.checks import UnconfirmedWarnings
from consent.models import ConsentVersion, Disclosure, DiscussionCase
from core.models import User

from ..cases.helpers_records import api_client
from ..conftest import sign_in
from ..factories import TOTPDeviceFactory
from .conftest import World

pytestmark = pytest.mark.django_db

SIXTEEN = datetime.date(2010, 1, 15)


def _client(user: User) -> Client:
    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDeviceFactory(user=user)
    client = sign_in(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages are matched in English
    return client


def _on_team(youth: Youth, user: User) -> None:
    assign_perm("cases.view_youth", user, youth)


def _disclosed(user: User, youth: Youth) -> set[str]:
    return {c for d in Disclosure.objects.filter(user=user, youth=youth) for c in d.categories}


# --- 1. the last outcome measure on the measure form ----------------------------------------


@pytest.fixture
def measured(world: World) -> Youth:
    youth = world.youth(SIXTEEN)
    OutcomeMeasure.objects.create(
        followup=FollowUp.objects.get(youth=youth),
        measured_on=datetime.date(2026, 1, 10),
        phase="start",
        school_attendance=37,
        offences_last_period=4,
        substance_use="weekly",
        occupation="school",
        recorded_by=world.people.follower,
    )
    _on_team(youth, world.school_contact)
    return youth


def test_the_last_measure_is_withheld_from_a_team_member_without_consent(world: World, measured: Youth) -> None:
    response = _client(world.school_contact).get(reverse("cases:outcome_create", args=[measured.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "37 %" not in page
    assert "An earlier measure is withheld" in page
    assert _disclosed(world.school_contact, measured) == set()


def test_the_last_measure_is_shown_when_consent_opens_its_categories_and_the_showing_is_logged(
    world: World, measured: Youth, record: Callable[..., ConsentVersion]
) -> None:
    record(measured, categories=["school", "police", "substance_use"], units=[world.school])
    page = _client(world.school_contact).get(reverse("cases:outcome_create", args=[measured.pk])).content.decode()
    assert "37 %" in page
    assert "withheld" not in page
    assert _disclosed(world.school_contact, measured) == {"school", "police", "substance_use"}


def test_the_follower_sees_the_measure_their_service_recorded(world: World, measured: Youth) -> None:
    page = _client(world.people.follower).get(reverse("cases:outcome_create", args=[measured.pk])).content.decode()
    assert "37 %" in page


# --- 2. the youth's edit form ----------------------------------------------------------------


@pytest.fixture
def assigned_outsider(world: World) -> tuple[Youth, User]:
    """An outreach worker on the youth's follow-up as coordinator: may log contacts, but the
    outreach service does not keep the youth's record."""
    youth = world.youth(SIXTEEN)
    youth.school = world.school
    youth.phone = "41234567"
    youth.save()
    FollowUpAssignment.objects.create(
        followup=FollowUp.objects.get(youth=youth),
        user=world.outreach_worker,
        role="coordinator",
        starts_on=datetime.date(2025, 6, 1),
    )
    return youth, world.outreach_worker


def test_the_edit_form_is_refused_to_a_person_whose_service_does_not_see_the_record(
    assigned_outsider: tuple[Youth, User],
) -> None:
    youth, worker = assigned_outsider
    client = _client(worker)
    assert client.get(reverse("cases:youth_edit", args=[youth.pk])).status_code == 403
    assert client.post(reverse("cases:youth_edit", args=[youth.pk]), {"first_name": "Endret"}).status_code == 403
    youth.refresh_from_db()
    assert youth.first_name != "Endret"
    assert _disclosed(worker, youth) == set()


def test_the_edit_form_opens_with_consent_for_the_record_and_logs_the_disclosure(
    world: World, assigned_outsider: tuple[Youth, User], record: Callable[..., ConsentVersion]
) -> None:
    youth, worker = assigned_outsider
    record(youth, categories=["identity_contact", "school"], units=[world.outreach])
    response = _client(worker).get(reverse("cases:youth_edit", args=[youth.pk]))
    assert response.status_code == 200
    assert "41234567" in response.content.decode()
    assert _disclosed(worker, youth) == {"identity_contact", "school"}


def test_the_api_refuses_the_same_edit_with_the_same_403(assigned_outsider: tuple[Youth, User]) -> None:
    youth, worker = assigned_outsider
    response = api_client(worker).patch(
        f"/api/v1/youths/{youth.pk}/", {"phone": "99999999"}, content_type="application/json"
    )
    assert response.status_code == 403
    youth.refresh_from_db()
    assert youth.phone == "41234567"


def test_the_service_refuses_a_change_to_a_record_the_actors_service_does_not_see(
    assigned_outsider: tuple[Youth, User],
) -> None:
    youth, worker = assigned_outsider
    with pytest.raises(PermissionDenied):
        case_services.youth_update(actor=worker, youth=youth, data={"phone": "99999999"})
    youth.refresh_from_db()
    assert youth.phone == "41234567"


def _edit_form_data(client: Client, youth: Youth) -> dict[str, Any]:
    form = client.get(reverse("cases:youth_edit", args=[youth.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update({"birth_date": youth.birth_date.isoformat(), "needs_interpreter": ""})
    return data


@pytest.mark.parametrize("who", ["follower", "worker_with_consent"])
def test_page_and_api_both_change_the_record_for_a_person_who_may_edit(
    who: str, world: World, assigned_outsider: tuple[Youth, User], record: Callable[..., ConsentVersion]
) -> None:
    youth, worker = assigned_outsider
    if who == "follower":
        user = world.people.follower
    else:
        user = worker
        record(youth, categories=["identity_contact", "school"], units=[world.outreach])
    client = _client(user)
    response = client.post(
        reverse("cases:youth_edit", args=[youth.pk]), {**_edit_form_data(client, youth), "phone": "98765432"}
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.phone == "98765432"
    response = api_client(user).patch(
        f"/api/v1/youths/{youth.pk}/", {"phone": "91234567"}, content_type="application/json"
    )
    assert response.status_code == 200
    youth.refresh_from_db()
    assert youth.phone == "91234567"


def test_the_follower_edit_form_is_logged_as_a_disclosure_of_the_own_service(world: World) -> None:
    youth = world.youth(SIXTEEN)
    assert _client(world.people.follower).get(reverse("cases:youth_edit", args=[youth.pk])).status_code == 200
    [row] = Disclosure.objects.filter(user=world.people.follower, youth=youth)
    assert (row.basis, row.categories) == (Disclosure.Basis.OWN_SERVICE, ["identity_contact"])


# --- 3. closing summaries of other services ---------------------------------------------------

SUMMARY = "Avsluttet etter flytting; mor ønsket ikke mer kontakt"


@pytest.fixture
def handed_over(world: World) -> Youth:
    """Followed first by the other unit (closed, with a summary), now by the fixture unit."""
    youth = world.youth(SIXTEEN)
    FollowUp.objects.create(
        youth=youth,
        unit=world.people.other_unit,
        state=FollowUp.State.CLOSED,
        started_on=datetime.date(2024, 1, 8),
        ended_on=datetime.date(2024, 12, 20),
        closing_reason="moved",
        closing_summary=SUMMARY,
    )
    return youth


def test_another_services_closing_summary_is_withheld_from_the_unit_that_follows_now(
    world: World, handed_over: Youth
) -> None:
    response = _client(world.people.leader).get(reverse("cases:followup_manage", args=[handed_over.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert SUMMARY not in page
    assert "The closing summary is withheld" in page


def test_a_services_own_closing_summary_is_shown_to_its_staff_and_logged(world: World, handed_over: Youth) -> None:
    FollowUp.objects.create(
        youth=handed_over,
        unit=world.people.unit,
        state=FollowUp.State.CLOSED,
        started_on=datetime.date(2023, 1, 9),
        ended_on=datetime.date(2023, 6, 20),
        closing_reason="moved",
        closing_summary="Vår egen oppsummering",
    )
    response = _client(world.people.leader).get(reverse("cases:followup_manage", args=[handed_over.pk]))
    page = response.content.decode()
    assert "Vår egen oppsummering" in page
    assert SUMMARY not in page
    assert Disclosure.objects.filter(
        user=world.people.leader, youth=handed_over, unit=world.people.unit, basis=Disclosure.Basis.OWN_SERVICE
    ).exists()


def test_a_closing_summary_is_shown_when_consent_names_the_unit_that_follows_now(
    world: World, handed_over: Youth, record: Callable[..., ConsentVersion]
) -> None:
    record(handed_over, categories=["identity_contact"], units=[world.people.unit])
    page = _client(world.people.leader).get(reverse("cases:followup_manage", args=[handed_over.pk])).content.decode()
    assert SUMMARY in page
    assert Disclosure.objects.filter(
        user=world.people.leader, youth=handed_over, basis=Disclosure.Basis.CONSENT
    ).exists()


# --- 4. named anonymous discussions -------------------------------------------------------------

CONCERN = "Mye fravær og nye venner med kriminell bakgrunn"
NOTE = "Skolen bekymret for helgene"


def _named_case(world: World, youth: Youth) -> DiscussionCase:
    follower = world.people.follower
    data: dict[str, Any] = {
        "actor": follower,
        "unit": world.people.unit,
        "alias": "Gutt A",
        "age_band": "15_17",
        "district": world.people.unit.district,
        "summary": CONCERN,
    }
    try:
        case = discussion_services.discussion_case_create(**data)
    except UnconfirmedWarnings as warnings:
        case = discussion_services.discussion_case_create(**data, confirmed_warnings=[f.key for f in warnings.findings])
    try:
        discussion_services.discussion_note_add(actor=follower, case=case, text=NOTE)
    except UnconfirmedWarnings as warnings:
        discussion_services.discussion_note_add(
            actor=follower, case=case, text=NOTE, confirmed_warnings=[f.key for f in warnings.findings]
        )
    return discussion_services.discussion_case_convert(actor=follower, case=case, youth=youth)


def test_a_named_case_is_withheld_from_a_team_member_without_identity_and_contact_information(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    record(youth, categories=["health"], units=[world.school])
    case = _named_case(world, youth)
    _on_team(youth, world.school_contact)
    response = _client(world.school_contact).get(reverse("consent:discussion_detail", args=[case.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert CONCERN not in page
    assert NOTE not in page
    assert "Its concern and notes are withheld" in page
    assert _disclosed(world.school_contact, youth) == set()


def test_a_named_case_is_shown_with_identity_and_contact_consent_and_logged(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    record(youth, categories=["identity_contact"], units=[world.school])
    case = _named_case(world, youth)
    _on_team(youth, world.school_contact)
    page = _client(world.school_contact).get(reverse("consent:discussion_detail", args=[case.pk])).content.decode()
    assert CONCERN in page
    assert NOTE in page
    assert _disclosed(world.school_contact, youth) == {"identity_contact"}


def test_the_service_that_brought_the_case_reads_it_and_the_read_is_logged(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    record(youth, categories=["health"], units=[world.school])
    case = _named_case(world, youth)
    page = _client(world.people.follower).get(reverse("consent:discussion_detail", args=[case.pk])).content.decode()
    assert CONCERN in page
    assert Disclosure.objects.filter(user=world.people.follower, youth=youth).exists()


def test_an_outsider_gets_404_on_a_named_case(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    record(youth, categories=["health"], units=[world.school])
    case = _named_case(world, youth)
    response = _client(world.people.outsider).get(reverse("consent:discussion_detail", args=[case.pk]))
    assert response.status_code == 404


# --- 5. the earlier versions of a contact -------------------------------------------------------

HEALTH_TEXT = "Fortalte om angst og søvnproblemer"


@pytest.fixture
def edited_contact(world: World) -> Contact:
    """A contact logged about health, later changed to be about leisure only."""
    youth = world.youth(SIXTEEN)
    contact = Contact.objects.create(
        youth=youth,
        followup=FollowUp.objects.get(youth=youth),
        author=world.people.follower,
        occurred_at=datetime.datetime(2026, 2, 20, 15, 0, tzinfo=datetime.UTC),
        duration_minutes=45,
        kind="conversation",
        participants=["youth"],
        life_areas=["health"],
        text=HEALTH_TEXT,
    )
    case_services.contact_update(
        actor=world.people.follower, contact=contact, fields={"life_areas": ["leisure"], "text": "Klatring"}
    )
    _on_team(youth, world.school_contact)
    return contact


def test_an_earlier_version_is_judged_by_its_own_life_areas_on_the_page(
    world: World, edited_contact: Contact, record: Callable[..., ConsentVersion]
) -> None:
    record(edited_contact.youth, categories=["identity_contact"], units=[world.school])
    response = _client(world.school_contact).get(reverse("cases:contact_detail", args=[edited_contact.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Klatring" in page
    assert HEALTH_TEXT not in page
    assert "What version 1 said is withheld" in page


def test_an_earlier_version_is_judged_by_its_own_life_areas_in_the_api(
    world: World, edited_contact: Contact, record: Callable[..., ConsentVersion]
) -> None:
    record(edited_contact.youth, categories=["identity_contact"], units=[world.school])
    response = api_client(world.school_contact).get(f"/api/v1/contacts/{edited_contact.pk}/versions/")
    assert response.status_code == 200
    [version] = response.json()
    assert version["before"] is None
    assert version["withheld"] == ["health"]
    assert HEALTH_TEXT not in response.content.decode()


def test_an_earlier_version_is_shown_and_logged_when_its_categories_are_open(
    world: World, edited_contact: Contact, record: Callable[..., ConsentVersion]
) -> None:
    record(edited_contact.youth, categories=["identity_contact", "health"], units=[world.school])
    response = api_client(world.school_contact).get(f"/api/v1/contacts/{edited_contact.pk}/versions/")
    [version] = response.json()
    assert (version["before"]["text"], version["withheld"]) == (HEALTH_TEXT, [])
    assert "health" in _disclosed(world.school_contact, edited_contact.youth)


# --- 6. the team page logs what it showed --------------------------------------------------------


def test_the_team_page_logs_its_disclosure(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    record(youth, categories=["family"], units=[world.school])
    _on_team(youth, world.school_contact)
    response = _client(world.school_contact).get(reverse("teams:team_detail", args=[youth.pk]))
    assert response.status_code == 200
    assert _disclosed(world.school_contact, youth) == {"family"}
    [row] = Disclosure.objects.filter(user=world.school_contact, youth=youth)
    assert (row.basis, row.channel) == (Disclosure.Basis.CONSENT, "view")


# --- 7. bad dates on the right-to-know report ----------------------------------------------------


@pytest.mark.parametrize("route", ["consent:disclosure_report", "consent:disclosure_report_pdf"])
@pytest.mark.parametrize(
    "query",
    [{"til": "9999-12-31"}, {"fra": "0001-01-01"}, {"fra": "9999-12-31", "til": "9999-12-31"}, {"til": "2026-13-45"}],
)
def test_a_date_out_of_range_on_the_right_to_know_report_is_a_message_not_a_500(
    world: World, route: str, query: dict[str, str]
) -> None:
    youth = world.youth(SIXTEEN)
    response = _client(world.people.follower).get(reverse(route, args=[youth.pk]), query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Choose a date between" in page or "Enter a valid date" in page


def test_the_last_day_of_the_calendar_is_no_longer_a_crash_in_the_selector(world: World) -> None:
    from consent import selectors

    youth = world.youth(SIXTEEN)
    assert list(selectors.disclosures_for_youth(youth=youth, until=datetime.date.max)) == []
