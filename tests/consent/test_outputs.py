"""Every output obeys the sharing policy: the youth page, the API and the PDF show a category of
a youth's information only when consent or a legal basis opens it to the person's service,
and say plainly that something is withheld. The right-to-know report lists exactly the
disclosures made.

The youth (16) is followed by the fixture unit. A school contact and a police contact are on
the youth's team (django-guardian's view_youth, as team membership gives). Each category has
one marker, a piece of text that only that category reveals:

- identity and contact: the youth's phone number (kept in the youth's record);
- school: the school's name (the record);
- family: a guardian's name (the record);
- police matters: an offence's police reference, recorded by the police unit;
- substance use: a contact's text, logged by the follower about substance use.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from guardian.shortcuts import assign_perm
from pypdf import PdfReader

from cases.models import Contact, FollowUp, Offence, Youth
from consent import services
from consent.models import ConsentVersion, Disclosure, LegalBasis, LegalBasisUse
from core.models import User
from org.models import StaffRole

from ..cases.helpers_records import api_client
from ..cases.helpers_youths import national_id
from ..conftest import sign_in
from ..factories import StaffRoleFactory, TOTPDeviceFactory, UnitFactory
from ..sharing import open_to
from .conftest import World, all_given

PHONE = "41234567"
POLICE_REFERENCE = "POL-2026-4711"
SUBSTANCE_TEXT = "Snakket om hasjbruk i helgen"

MARKERS = {
    "identity_contact": PHONE,
    "school": "Furuset skole",
    "family": "Forelder1",
    "police": POLICE_REFERENCE,
    "substance_use": SUBSTANCE_TEXT,
}
# A contact always carries identity and contact information: a consent for substance use opens
# the contact only together with identity and contact details.
NEEDS = {category: {category} for category in MARKERS} | {"substance_use": {"identity_contact", "substance_use"}}


@dataclass
class Case:
    world: World
    youth: Youth
    police: User

    def unit_of(self, role: str) -> Any:
        return {"school": self.world.school, "police": self.world.people.police_unit}[role]

    def user_of(self, role: str) -> User:
        return {"school": self.world.school_contact, "police": self.police, "follower": self.world.people.follower}[
            role
        ]


@pytest.fixture
def case(world: World) -> Case:
    youth = world.youth(datetime.date(2010, 1, 15))
    youth.phone = PHONE
    youth.national_id = national_id(youth.birth_date)
    youth.school = world.school
    youth.save()
    followup = FollowUp.objects.get(youth=youth)
    Offence.objects.create(
        youth=youth,
        committed_on=datetime.date(2026, 1, 20),
        kind="theft",
        police_reference=POLICE_REFERENCE,
        registered_by=world.people.police,
        unit=world.people.police_unit,
    )
    Contact.objects.create(
        youth=youth,
        followup=followup,
        author=world.people.follower,
        occurred_at=datetime.datetime(2026, 2, 20, 15, 0, tzinfo=datetime.UTC),
        duration_minutes=45,
        kind="meeting",
        life_areas=["substance_use"],
        text=SUBSTANCE_TEXT,
    )
    police = world.people.police
    TOTPDeviceFactory(user=world.school_contact)
    for member in (world.school_contact, police):
        assign_perm("cases.view_youth", member, youth)
    return Case(world, youth, police)


def _consent(case: Case, categories: set[str], unit: Any, **kwargs: Any) -> ConsentVersion:
    youth = case.youth
    return services.consent_record(
        actor=case.world.people.follower,
        youth=youth,
        purpose="Samarbeid i laget rundt ungdommen",
        categories=sorted(categories),
        units=[unit],
        form="oral",
        valid_from=kwargs.pop("valid_from", datetime.date(2026, 1, 1)),
        valid_to=kwargs.pop("valid_to", datetime.date(2026, 12, 31)),
        youth_answer=kwargs.pop("youth_answer", "given"),
        guardian_answers=all_given(youth),
        outreach_notes_to_police=kwargs.pop("outreach_notes_to_police", False),
    )


def _in_state(case: Case, state: str, categories: set[str], unit: Any) -> None:
    if state == "none":
        return
    if state == "legal_basis":
        open_to(case.youth, unit, categories, actor=case.world.people.follower)
        return
    if state == "expired":
        _consent(case, categories, unit, valid_from=datetime.date(2025, 6, 1), valid_to=datetime.date(2026, 2, 1))
        return
    if state == "refused":
        _consent(case, categories, unit, youth_answer="refused")
        return
    version = _consent(case, categories, unit)
    if state == "withdrawn":
        services.consent_withdraw(
            actor=case.world.people.follower, consent=version.consent, party="youth", reason="Vil ikke dele lenger."
        )


OPEN_STATES = {"active", "legal_basis"}
STATES = ["none", "active", "withdrawn", "refused", "expired", "legal_basis"]


def _signed_in(user: User) -> Client:
    """Signed in, reading the interface in English (the messages are matched in their source)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return sign_in(client, user)


def _page(client: Client, youth: Youth) -> str:
    response = client.get(f"/ungdommer/{youth.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _api(youth: Youth, user: User) -> str:
    client = api_client(user)
    detail = client.get(f"/api/v1/youths/{youth.pk}/")
    timeline = client.get(f"/api/v1/youths/{youth.pk}/timeline/")
    assert detail.status_code == timeline.status_code == 200
    return detail.content.decode() + timeline.content.decode()


def _pdf(client: Client, youth: Youth) -> str:
    response = client.get(f"/ungdommer/{youth.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("category", list(MARKERS))
@pytest.mark.parametrize("role", ["school", "police"])
def test_another_service_sees_a_category_only_with_consent_or_legal_basis(
    case: Case, role: str, category: str, state: str
) -> None:
    _in_state(case, state, NEEDS[category], case.unit_of(role))
    user = case.user_of(role)
    page = _page(_signed_in(user), case.youth)
    api = _api(case.youth, user)
    # A service always sees what it recorded itself: the police their own offence.
    shown = state in OPEN_STATES or (role, category) == ("police", "police")
    assert (MARKERS[category] in page) is shown
    assert (MARKERS[category] in api) is shown
    # Nothing else is opened with it, and the page and the API say what is withheld.
    for other, marker in MARKERS.items():
        if other not in NEEDS[category] and other != category and (role, other) != ("police", "police"):
            assert marker not in page, other
            assert marker not in api, other
    assert "Some information is withheld" in page
    assert '"withheld":[{' in api.replace(" ", "")
    # The frame is always there: the name and who holds lead responsibility.
    assert case.youth.first_name in page
    assert case.world.people.follower.full_name in page


@pytest.mark.parametrize("state", ["none", "active", "withdrawn"])
@pytest.mark.parametrize("category", ["identity_contact", "police", "substance_use"])
def test_the_pdf_obeys_the_same_policy(case: Case, category: str, state: str) -> None:
    _in_state(case, state, NEEDS[category], case.unit_of("school"))
    text = _pdf(_signed_in(case.world.school_contact), case.youth)
    assert (MARKERS[category] in text) is (state in OPEN_STATES)
    assert "Some information is withheld" in text
    assert "CONFIDENTIAL" in text


@pytest.mark.parametrize("state", ["none", "withdrawn", "active"])
def test_the_follow_up_team_sees_the_record_and_its_own_notes_but_police_records_need_consent(
    case: Case, state: str
) -> None:
    _in_state(case, state, {"police"}, case.world.people.unit)
    follower = case.world.people.follower
    page = _page(_signed_in(follower), case.youth)
    api = _api(case.youth, follower)
    for category in ("identity_contact", "school", "family", "substance_use"):
        assert MARKERS[category] in page
        assert MARKERS[category] in api
    assert (POLICE_REFERENCE in page) is (state == "active")
    assert (POLICE_REFERENCE in api) is (state == "active")


def test_outreach_notes_reach_the_police_only_on_a_consent_that_says_so_never_on_a_legal_basis(
    case: Case, world: World
) -> None:
    outreach_followup = FollowUp.objects.create(
        youth=case.youth,
        unit=world.outreach,
        state="closed",
        started_on=datetime.date(2026, 1, 5),
        ended_on=datetime.date(2026, 2, 27),
        closing_reason="other",
        closing_summary="Kontakten fortsetter på gata.",
    )
    Contact.objects.create(
        youth=case.youth,
        followup=outreach_followup,
        author=world.outreach_worker,
        occurred_at=datetime.datetime(2026, 2, 25, 21, 0, tzinfo=datetime.UTC),
        duration_minutes=30,
        kind="street",
        life_areas=[],
        text="Utekontakten møtte ungdommen ved senteret",
    )
    open_to(case.youth, world.people.police_unit, ["identity_contact"], actor=world.people.follower)
    assert "Utekontakten møtte" not in _api(case.youth, case.police)
    # An ordinary consent naming the police unit opens the youth's identity, not the outreach notes.
    ordinary = _consent(case, {"identity_contact"}, world.people.police_unit)
    assert "Utekontakten møtte" not in _api(case.youth, case.police)
    assert PHONE in _api(case.youth, case.police)
    services.consent_withdraw(
        actor=world.people.follower, consent=ordinary.consent, party="youth", reason="Erstattes av et nytt."
    )
    # A consent that says so explicitly does.
    _consent(case, {"identity_contact"}, world.people.police_unit, outreach_notes_to_police=True)
    assert "Utekontakten møtte" in _api(case.youth, case.police)


def test_withdrawal_takes_effect_at_once(case: Case) -> None:
    version = _consent(case, {"identity_contact"}, case.unit_of("police"))
    client = _signed_in(case.police)
    assert PHONE in _page(client, case.youth)
    services.consent_withdraw(
        actor=case.world.people.follower,
        consent=version.consent,
        party="guardian",
        guardian=all_given(case.youth).popitem()[0],
        reason="Mor trekker samtykket.",
    )
    assert PHONE not in _page(client, case.youth)
    assert PHONE not in _api(case.youth, case.police)


def test_a_withheld_contact_is_not_found_even_by_its_address(case: Case) -> None:
    contact = Contact.objects.get(youth=case.youth)
    police = _signed_in(case.police)
    assert police.get(f"/ungdommer/kontakter/{contact.pk}/").status_code == 404
    assert api_client(case.police).get(f"/api/v1/contacts/{contact.pk}/").status_code == 404
    _consent(case, {"identity_contact", "substance_use"}, case.unit_of("police"))
    assert api_client(case.police).get(f"/api/v1/contacts/{contact.pk}/").status_code == 200


def test_the_list_and_search_do_not_reveal_a_withheld_school(case: Case) -> None:
    api = api_client(case.world.school_contact)
    rows = api.get("/api/v1/youths/").json()["results"]
    assert [row["id"] for row in rows] == [case.youth.pk]
    assert rows[0]["school"] is None
    assert rows[0]["birth_date"] is None
    assert {w["category"] for w in rows[0]["withheld"]} >= {"identity_contact", "school"}
    assert api.get("/api/v1/youths/", {"q": "Furuset"}).json()["results"] == []
    assert api.get("/api/v1/youths/", {"q": case.youth.national_id}).json()["results"] == []
    follower_rows = api_client(case.world.people.follower).get("/api/v1/youths/", {"q": "Furuset"}).json()["results"]
    assert [row["id"] for row in follower_rows] == [case.youth.pk]


# --- The disclosure log and the right to know -------------------------------------------------


def test_every_view_of_another_service_is_logged_with_its_basis(case: Case) -> None:
    version = _consent(case, {"identity_contact", "police"}, case.unit_of("police"))
    _page(_signed_in(case.police), case.youth)
    (row,) = Disclosure.objects.filter(youth=case.youth, user=case.police, basis="consent")
    assert row.basis == "consent"
    assert row.consent_version == version
    assert row.unit == case.world.people.police_unit
    assert sorted(row.categories) == ["identity_contact"]
    assert row.channel == "view"


def test_a_pdf_is_logged_on_its_own_channel(case: Case) -> None:
    _consent(case, {"identity_contact"}, case.unit_of("police"))
    _pdf(_signed_in(case.police), case.youth)
    assert set(Disclosure.objects.filter(user=case.police).values_list("channel", flat=True)) == {"pdf"}


def test_the_right_to_know_report_lists_exactly_the_disclosures_made(case: Case) -> None:
    follower = case.world.people.follower
    _consent(case, {"identity_contact", "police"}, case.unit_of("police"))
    open_to(case.youth, case.world.school, ["school"], actor=follower)
    police = _signed_in(case.police)
    _page(police, case.youth)
    _page(police, case.youth)
    _pdf(police, case.youth)
    _page(_signed_in(case.world.school_contact), case.youth)
    made = list(Disclosure.objects.filter(youth=case.youth))
    client = _signed_in(follower)
    page = client.get(f"/samtykke/{case.youth.pk}/innsyn/")
    assert page.status_code == 200
    lines = page.context["lines"]
    assert sum(line.times for line in lines) == len(made)
    seen = {(line.user, line.channel, line.basis, tuple(line.categories)) for line in lines}
    assert (case.police, "view", "consent", ("Identity and contact details",)) in seen
    assert (case.police, "view", "own_service", ("Police matters",)) in seen  # the offence they recorded
    assert (case.police, "pdf", "consent", ("Identity and contact details",)) in seen
    assert (case.world.school_contact, "view", "legal_basis", ("School",)) in seen
    assert any(line.times == 2 for line in lines if line.user == case.police and line.channel == "view")
    pdf = client.get(f"/samtykke/{case.youth.pk}/innsyn/pdf/")
    assert pdf.status_code == 200
    extracted = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    squeezed = "".join(extracted.split())  # table cells wrap their words
    assert "".join(case.police.full_name.split()) in squeezed
    assert "Samarbeidilagetrundtungdommen" in squeezed  # why: the consent's purpose


def test_the_right_to_know_report_is_for_the_follow_up_team(case: Case, world: World) -> None:
    assert _signed_in(case.police).get(f"/samtykke/{case.youth.pk}/innsyn/").status_code == 403
    outsider = _signed_in(world.people.outsider)
    assert outsider.get(f"/samtykke/{case.youth.pk}/innsyn/").status_code == 404
    assert outsider.get(f"/samtykke/{case.youth.pk}/innsyn/pdf/").status_code == 404


def test_a_bad_period_is_refused_with_a_message(case: Case) -> None:
    response = _signed_in(case.world.people.follower).get(
        f"/samtykke/{case.youth.pk}/innsyn/", {"fra": "2026-03-01", "til": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "on or after its start" in response.content.decode()


def test_an_outsider_cannot_print_the_youth(case: Case, world: World) -> None:
    assert _signed_in(world.people.outsider).get(f"/ungdommer/{case.youth.pk}/pdf/").status_code == 404


def test_a_team_member_sees_what_a_consent_covers_but_not_who_answered_or_why_others_were_told(
    case: Case, world: World
) -> None:
    _consent(case, {"identity_contact"}, case.unit_of("school"))
    # Uses of legal bases are never changed (PostgreSQL refuses): one with its own reason.
    now = timezone.now()
    LegalBasisUse.objects.create(
        basis=LegalBasis.objects.earliest("pk"),
        youth=case.youth,
        actor=world.people.follower,
        unit=world.school,
        categories=["school"],
        reason="Skolen må vite om fraværet nå.",
        starts_at=now - datetime.timedelta(hours=1),
        until=now + datetime.timedelta(days=7),
    )
    open_to(case.youth, world.people.police_unit, ["identity_contact"], actor=world.people.follower)
    page = _signed_in(case.police).get(f"/samtykke/{case.youth.pk}/").content.decode()
    assert "Samarbeid i laget rundt ungdommen" in page
    assert "Furuset skole" in page  # the receiving service of the consent
    assert "Forelder1" not in page
    assert "Skolen må vite om fraværet nå." not in page
    assert "Opened for the test" in page  # the reason for the police's own use


# --- health and barnevern; a consent about to expire and one lapsed at 18 -------------------

HEALTH_TEXT = "Fortalte om søvnproblemer og fastlegetime"
BARNEVERN_TEXT = "Barnevernet hadde hjemmebesøk i januar"
MORE_MARKERS = {"health": HEALTH_TEXT, "barnevern": BARNEVERN_TEXT}
# Both are contacts, which always carry identity and contact information.
MORE_NEEDS = {"health": {"identity_contact", "health"}, "barnevern": {"identity_contact", "barnevern"}}
MORE_STATES = ["none", "active", "expiring", "lapsed_18", "legal_basis"]
SHOWN_IN = {"active", "expiring", "legal_basis"}


@pytest.fixture
def more(case: Case, world: World) -> Case:
    """The case, with a contact about health logged by the follower, and a contact (leisure)
    logged by a barnevern service during its own, closed, follow-up: barnevern information."""
    followup = FollowUp.objects.get(youth=case.youth, unit=world.people.unit)
    Contact.objects.create(
        youth=case.youth,
        followup=followup,
        author=world.people.follower,
        occurred_at=datetime.datetime(2026, 2, 21, 15, 0, tzinfo=datetime.UTC),
        duration_minutes=30,
        kind="conversation",
        participants=["youth"],
        life_areas=["health"],
        text=HEALTH_TEXT,
    )
    barnevern = UnitFactory(name="Barneverntjenesten Bjerke", district=world.people.unit.district, kind="barnevern")
    worker = StaffRoleFactory(unit=barnevern, role=StaffRole.Role.FOLLOWER).user
    closed = FollowUp.objects.create(
        youth=case.youth,
        unit=barnevern,
        state="closed",
        started_on=datetime.date(2025, 10, 1),
        ended_on=datetime.date(2026, 1, 31),
        closing_reason="other",
        closing_summary="Overført til oppfølgingsteamet.",
    )
    Contact.objects.create(
        youth=case.youth,
        followup=closed,
        author=worker,
        occurred_at=datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC),
        duration_minutes=60,
        kind="home_visit",
        participants=["youth"],
        life_areas=["leisure"],
        text=BARNEVERN_TEXT,
    )
    return case


def _in_more_state(case: Case, state: str, categories: set[str], unit: Any) -> None:
    if state == "expiring":  # in force, ending in ten days: still opens what it covers
        _consent(case, categories, unit, valid_to=datetime.date(2026, 3, 12))
        return
    if state == "lapsed_18":
        # Given by the guardians and the youth at 16; the youth has since turned 18 (on 1 February
        # 2026), so the guardians' consent no longer applies (consent.policy).
        _consent(case, categories, unit)
        Youth.objects.filter(pk=case.youth.pk).update(birth_date=datetime.date(2008, 2, 1))
        case.youth.refresh_from_db()
        return
    _in_state(case, state, categories, unit)


@pytest.mark.parametrize("state", MORE_STATES)
@pytest.mark.parametrize("category", list(MORE_MARKERS))
def test_health_and_barnevern_reach_another_service_only_on_a_basis_in_force(
    more: Case, category: str, state: str
) -> None:
    _in_more_state(more, state, MORE_NEEDS[category], more.unit_of("school"))
    user = more.world.school_contact
    page = _page(_signed_in(user), more.youth)
    api = _api(more.youth, user)
    shown = state in SHOWN_IN
    assert (MORE_MARKERS[category] in page) is shown
    assert (MORE_MARKERS[category] in api) is shown
    # The other one is never opened with it, nor is anything outside the consent.
    for other, marker in {**MORE_MARKERS, **MARKERS}.items():
        if other not in MORE_NEEDS[category] and other != category:
            assert marker not in page, other
            assert marker not in api, other
    assert "Some information is withheld" in page
    assert '"withheld":[{' in api.replace(" ", "")


@pytest.mark.parametrize("state", ["expiring", "lapsed_18"])
@pytest.mark.parametrize("category", list(MORE_MARKERS))
def test_the_pdf_shows_health_and_barnevern_only_while_the_consent_is_in_force(
    more: Case, category: str, state: str
) -> None:
    _in_more_state(more, state, MORE_NEEDS[category], more.unit_of("school"))
    text = _pdf(_signed_in(more.world.school_contact), more.youth)
    assert (MORE_MARKERS[category] in text) is (state in SHOWN_IN)
    assert "Some information is withheld" in text


def test_the_follow_up_team_needs_consent_for_what_barnevern_recorded(more: Case) -> None:
    client = _signed_in(more.world.people.follower)
    page = _page(client, more.youth)
    assert HEALTH_TEXT in page  # its own note
    assert BARNEVERN_TEXT not in page
    _consent(more, {"barnevern"}, more.world.people.unit)
    assert BARNEVERN_TEXT in _page(client, more.youth)
