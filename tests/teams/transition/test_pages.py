"""The transition checklist on the plan's pages (issue 14, point 2): "Etter 18" is a section of Min
plan from 12 months before the 18th birthday, each point with its state in words; the forms
settle a point, mark it as not applying and open it again through the services, with
Norwegian messages and what was typed kept; a point whose category is withheld says so; the
plan's PDFs carry the checklist; outsiders get 404 on every address."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from cases.models import Guardianship, Youth
from consent import services as consent_services
from consent.models import Disclosure
from core.dates import add_months, today_in_oslo
from core.models import AuditEvent
from org.models import StaffRole, Unit
from teams import services as team_services
from teams.models import TeamMember, TransitionItem, TransitionPoint
from teams.transition import services

from ...conftest import People
from ...factories import StaffRoleFactory, UnitFactory
from ..factories_meetings import team_meeting, youth_with_team

pytestmark = pytest.mark.django_db
P = TransitionPoint


@pytest.fixture(autouse=True)
def _norwegian() -> Any:
    with translation.override("nb"):
        yield


def born_months_before_18(months: int) -> datetime.date:
    return add_months(add_months(today_in_oslo(), months), -18 * 12)


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(
        people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø", birth_date=born_months_before_18(5)
    )


def plan_url(youth: Youth) -> str:
    return f"/ungdommer/{youth.pk}/plan/"


def point_url(youth: Youth, point: str, action: str = "") -> str:
    return f"/ungdommer/{youth.pk}/plan/etter-18/{point}/" + (f"{action}/" if action else "")


def text_of(response: Any) -> str:
    return " ".join(response.content.decode().split())


def pdf_text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def police_in_team_with_consent(people: People, youth: Youth, categories: list[str]) -> None:
    """The police contact in the youth's team, with a consent (the youth and the guardian say
    yes) to `categories`."""
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )
    today = timezone.localdate()
    guardians = [g.guardian for g in Guardianship.objects.filter(youth=youth, parental_responsibility=True)]
    consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Samarbeid om overgangen til voksentjenester",
        categories=categories,
        units=[people.police_unit],
        form="oral",
        valid_from=today - datetime.timedelta(days=10),
        valid_to=today + datetime.timedelta(days=100),
        youth_answer="given",
        guardian_answers=dict.fromkeys(guardians, "given"),
    )


# --- The section on the plan page -------------------------------------------------------------


def test_the_plan_shows_etter_18_from_twelve_months_before_the_birthday(
    people: People, youth: Youth, as_user: Any
) -> None:
    page = text_of(as_user(people.follower).get(plan_url(youth)))
    assert 'id="etter-18"' in page
    assert "Etter 18" in page
    assert "0 av 7 avklart" in page
    assert youth.eighteenth_birthday.strftime("%Y-%m-%d") in page
    assert "Ikke avklart" in page
    assert "Over fristen" in page  # aftercare is to be settled 6 months before 18
    assert "Ettervern drøftet med ungdommen" in page
    event = AuditEvent.objects.filter(action="plan.viewed").latest("id")
    assert event.detail["transition"] == [p.value for p in P]


def test_a_younger_youth_has_no_etter_18_section(people: People, as_user: Any) -> None:
    younger = youth_with_team(people.unit, lead=people.follower, birth_date=born_months_before_18(14))
    page = text_of(as_user(people.follower).get(plan_url(younger)))
    assert 'id="etter-18"' not in page
    assert AuditEvent.objects.filter(action="plan.viewed").latest("id").detail["transition"] is None


def test_a_settled_point_shows_who_when_how_and_the_lead_until_when(people: People, youth: Youth, as_user: Any) -> None:
    barnevern = UnitFactory(name="Barneverntjenesten Bjerke", district=people.district, kind=Unit.Kind.BARNEVERN)
    caseworker = StaffRoleFactory(unit=barnevern, role=StaffRole.Role.CASEWORKER, user__full_name="Kari Kasus").user
    services.transition_point_settle(
        actor=people.follower,
        youth=youth,
        point=P.LEAD,
        how="Avtalt i overgangsmøtet",
        lead_outcome="handed_over",
        unit=barnevern,
        lead_user=caseworker,
    )
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.AFTERCARE, how="Samtale hjemme", aftercare_answer="wants"
    )
    page = text_of(as_user(people.follower).get(plan_url(youth)))
    assert "2 av 7 avklart" in page
    assert "Avtalt i overgangsmøtet" in page
    assert "Overlevert til en annen tjeneste" in page
    assert "Barneverntjenesten Bjerke" in page
    assert "Kari Kasus" in page
    until = youth.birth_date.replace(year=youth.birth_date.year + 25)
    assert until.strftime("%Y-%m-%d") in page or str(until.year) in page
    assert "Ønsker ettervern" in page
    assert "Alice Follower" in page


def test_the_consent_point_says_how_to_settle_it(people: People, youth: Youth, as_user: Any) -> None:
    page = text_of(as_user(people.follower).get(plan_url(youth)))
    assert "samtykke fra ungdommen selv" in page
    assert f"/samtykke/{youth.pk}/ny/" in page
    assert f'href="{point_url(youth, "consent")}"' not in page  # never settled by hand
    assert point_url(youth, "consent", "gjelder-ikke") in page
    assert as_user(people.follower).get(point_url(youth, "consent")).status_code == 404


# --- The forms ------------------------------------------------------------------------------


def test_settling_housing_by_the_form(people: People, youth: Youth, as_user: Any) -> None:
    client = as_user(people.follower)
    form = client.get(point_url(youth, "housing"))
    assert form.status_code == 200
    assert 'name="how"' in form.content.decode()
    assert 'name="aftercare_answer"' not in form.content.decode()
    response = client.post(point_url(youth, "housing"), {"how": "Bor hos mor; bostøtte søkt."})
    assert response.status_code == 302
    assert response["Location"].endswith("/plan/#etter-18")
    item = TransitionItem.objects.get(youth=youth, point=P.HOUSING)
    assert (item.state, item.how, item.settled_by) == ("settled", "Bor hos mor; bostøtte søkt.", people.follower)


def test_the_aftercare_answer_is_a_fieldset_of_radios(people: People, youth: Youth, as_user: Any) -> None:
    client = as_user(people.follower)
    page = client.get(point_url(youth, "aftercare")).content.decode()
    assert "<legend" in page
    assert 'type="radio" name="aftercare_answer" value="wants"' in page
    response = client.post(point_url(youth, "aftercare"), {"how": "Samtale med Søren", "aftercare_answer": "wants"})
    assert response.status_code == 302
    assert TransitionItem.objects.get(youth=youth, point=P.AFTERCARE).aftercare_answer == "wants"


def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong_in_norwegian(
    people: People, youth: Youth, as_user: Any
) -> None:
    client = as_user(people.follower)
    response = client.post(point_url(youth, "nav"), {"how": "Møte med NAV Bjerke 3. mai", "contact_name": ""})
    assert response.status_code == 400
    page = text_of(response)
    assert "Møte med NAV Bjerke 3. mai" in page
    assert "Oppgi kontaktpersonen som tar over." in page
    assert "laget-error-summary" in page
    response = client.post(point_url(youth, "aftercare"), {"how": ""})
    page = text_of(response)
    assert "Skriv hvordan det ble avklart." in page
    assert "Velg ungdommens svar om ettervern." in page
    assert not TransitionItem.objects.exists()


def test_the_lead_point_offers_staff_by_service_and_refuses_a_person_without_a_role_there(
    people: People, youth: Youth, as_user: Any
) -> None:
    barnevern = UnitFactory(name="Barneverntjenesten Bjerke", district=people.district, kind=Unit.Kind.BARNEVERN)
    caseworker = StaffRoleFactory(unit=barnevern, role=StaffRole.Role.CASEWORKER, user__full_name="Kari Kasus").user
    client = as_user(people.follower)
    page = client.get(point_url(youth, "lead")).content.decode()
    assert '<optgroup label="Barneverntjenesten Bjerke">' in page
    data = {"how": "Avtalt", "lead_outcome": "handed_over", "unit": barnevern.pk, "lead_user": people.teammate.pk}
    response = client.post(point_url(youth, "lead"), data)
    assert response.status_code == 400
    assert "har ingen gjeldende rolle i Barneverntjenesten Bjerke" in text_of(response)
    assert f'value="{people.teammate.pk}" selected' in response.content.decode()
    data["lead_user"] = caseworker.pk
    assert client.post(point_url(youth, "lead"), data).status_code == 302
    item = TransitionItem.objects.get(youth=youth, point=P.LEAD)
    assert (item.unit, item.lead_user, item.lead_outcome) == (barnevern, caseworker, "handed_over")


def test_marking_a_point_as_not_applying_and_opening_it_again(people: People, youth: Youth, as_user: Any) -> None:
    client = as_user(people.follower)
    response = client.post(point_url(youth, "health", "gjelder-ikke"), {"reason": " "})
    assert response.status_code == 400
    assert "Skriv hvorfor punktet ikke gjelder." in text_of(response)
    response = client.post(point_url(youth, "health", "gjelder-ikke"), {"reason": "Ingen behov."})
    assert response.status_code == 302
    page = text_of(client.get(plan_url(youth)))
    assert "Gjelder ikke" in page
    assert "0 av 6 avklart" in page
    confirm = client.get(point_url(youth, "health", "gjenapne"))
    assert confirm.status_code == 200
    assert "Ingen behov." in text_of(confirm)
    assert TransitionItem.objects.get(youth=youth, point=P.HEALTH).state == "not_applicable"
    assert client.post(point_url(youth, "health", "gjenapne")).status_code == 302
    assert TransitionItem.objects.get(youth=youth, point=P.HEALTH).state == "open"
    assert client.get(point_url(youth, "health", "gjenapne")).status_code == 404  # nothing to open


def test_an_outsider_gets_404_on_every_address(people: People, youth: Youth, as_user: Any) -> None:
    services.transition_point_settle(actor=people.follower, youth=youth, point=P.HOUSING, how="Hybel")
    client = as_user(people.outsider)
    for url in (
        point_url(youth, "housing"),
        point_url(youth, "housing", "gjelder-ikke"),
        point_url(youth, "housing", "gjenapne"),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"how": "x", "reason": "x"}).status_code == 404, url
    assert client.get(point_url(youth, "nonsense")).status_code == 404
    assert TransitionItem.objects.get(youth=youth, point=P.HOUSING).how == "Hybel"


def test_a_team_member_without_the_points_category_sees_it_withheld_and_no_forms(
    people: People, youth: Youth, as_user: Any
) -> None:
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.AFTERCARE, how="Snakket om ettervern", aftercare_answer="wants"
    )
    services.transition_point_settle(actor=people.follower, youth=youth, point=P.SCHOOL_WORK, how="Vg3 på Kuben")
    police_in_team_with_consent(people, youth, ["identity_contact", "school"])
    client = as_user(people.police)
    page = text_of(client.get(plan_url(youth)))
    assert "Etter 18" in page
    assert "Vg3 på Kuben" in page
    assert "Snakket om ettervern" not in page
    assert "Skjult for deg" in page
    assert point_url(youth, "school_work") in page  # a staff member of the team may change the plan
    assert point_url(youth, "aftercare") not in page  # but not a point withheld from him
    assert client.get(point_url(youth, "aftercare")).status_code == 403
    response = client.post(point_url(youth, "aftercare", "gjenapne"))
    assert response.status_code == 403
    assert TransitionItem.objects.get(youth=youth, point=P.AFTERCARE).state == "settled"
    disclosures = Disclosure.objects.filter(user=people.police, youth=youth)
    assert all("barnevern" not in d.categories for d in disclosures)


def test_the_plan_page_asks_the_same_number_of_queries_with_more_points_settled(
    people: People, youth: Youth, as_user: Any
) -> None:
    client = as_user(people.follower)
    barnevern = UnitFactory(name="Barneverntjenesten Bjerke", district=people.district, kind=Unit.Kind.BARNEVERN)
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.LEAD, how="Avtalt", lead_outcome="handed_over", unit=barnevern
    )
    client.get(plan_url(youth))
    with CaptureQueriesContext(connection) as few:
        client.get(plan_url(youth))
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.AFTERCARE, how="Ja", aftercare_answer="undecided"
    )
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.NAV, how="Møte", contact_name="Nina Nav", unit=barnevern
    )
    services.transition_point_settle(actor=people.follower, youth=youth, point=P.HOUSING, how="Hybel")
    services.transition_point_not_applicable(actor=people.follower, youth=youth, point=P.HEALTH, reason="Ingen")
    with CaptureQueriesContext(connection) as many:
        response = client.get(plan_url(youth))
    assert "4 av 6 avklart" in text_of(response)
    assert len(many) == len(few)


def test_plan_mode_shows_etter_18_to_the_room(people: People, youth: Youth, as_user: Any) -> None:
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.NAV, how="Møte holdt", contact_name="Nina Nav"
    )
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    page = text_of(as_user(people.follower).get(f"/ungdommer/{youth.pk}/plan/mote/{meeting.pk}/"))
    assert 'id="etter-18"' in page
    assert "Overføring til NAV" in page
    assert "Nina Nav" in page
    event = AuditEvent.objects.get(action="plan.shown_in_meeting")
    assert "nav" in event.detail["transition"]


def test_a_team_meetings_page_neither_shows_nor_logs_the_checklist(people: People, youth: Youth, as_user: Any) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=1)
    page = text_of(as_user(people.follower).get(f"/moter/{meeting.pk}/"))
    assert 'id="etter-18"' not in page
    assert AuditEvent.objects.filter(action="plan.viewed").latest("id").detail["transition"] is None


# --- The PDFs -------------------------------------------------------------------------------


def test_the_staff_pdf_carries_etter_18(people: People, youth: Youth, as_user: Any) -> None:
    services.transition_point_settle(actor=people.follower, youth=youth, point=P.HOUSING, how="Hybel på Økern")
    text = pdf_text(as_user(people.follower).get(f"/ungdommer/{youth.pk}/plan/pdf/"))
    assert "Etter 18" in text
    assert "Bolig og økonomi" in text
    assert "Hybel på Økern" in text
    assert "1 av 7 avklart" in text


def test_the_youths_copy_tells_in_plain_words_what_is_settled_and_who_to_ask(
    people: People, youth: Youth, as_user: Any
) -> None:
    services.transition_point_settle(
        actor=people.follower, youth=youth, point=P.NAV, how="Møte holdt", contact_name="Nina Nav"
    )
    text = pdf_text(as_user(people.follower).get(f"/ungdommer/{youth.pk}/plan/min-plan.pdf"))
    assert "Etter 18" in text
    assert "Nina Nav" in text
    assert "Dette er avtalt" in text
    assert "Dette skal vi bli enige om" in text
