"""Gaps found in the audit of the sharing policy (issue #5), each closed and kept closed:

1. history is never rewritten: a version's receiving services, the uses of legal bases and a
   consent's purpose are refused UPDATE and DELETE by PostgreSQL;
2. back-dating a consent cannot lower whose answers it needs;
3. forvaltningsloven § 13 b is in the catalogue of legal bases;
4. what a barnevern service recorded carries the barnevern category;
5. outreach workers' notes reach the police only on a consent that says so explicitly;
6. only the unit of the open follow-up manages it.

The clock stands still on Monday 2 March 2026 (tests/consent/conftest.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import Contact, FollowUp, FollowUpAssignment, Youth
from consent import policy, services
from consent.models import Consent, ConsentVersion, LegalBasis, LegalBasisUse
from core import access
from org.models import StaffRole, Unit

from ..cases.helpers_records import api_client
from ..cases.helpers_youths import coordinator_of, staff
from ..conftest import sign_in
from ..factories import TOTPDeviceFactory, UnitFactory
from ..sharing import open_to
from .conftest import GIVEN, OSLO, TODAY, World, all_given

pytestmark = pytest.mark.django_db

SIXTEEN = datetime.date(2010, 1, 15)  # 14 until 15 January 2025, 16 today
EIGHTEEN = datetime.date(2008, 1, 10)  # 18 since 10 January 2026, 17 before


def _contact(youth: Youth, followup: FollowUp, author: Any, text: str, life_areas: list[str] | None = None) -> Contact:
    return Contact.objects.create(
        youth=youth,
        followup=followup,
        author=author,
        occurred_at=datetime.datetime(2026, 2, 20, 18, 0, tzinfo=OSLO),
        duration_minutes=30,
        kind="conversation",
        participants=["youth"],
        life_areas=life_areas or [],
        text=text,
    )


def _visible(user: Any, youth: Youth, contacts: list[Contact]) -> list[Contact]:
    items = Contact.objects.filter(pk__in=[c.pk for c in contacts]).select_related("followup__unit").order_by("id")
    return policy.viewer(user, youth).filter(items, policy.categories_of_contact, policy.source_of_item)


# --- 1. History is never rewritten ------------------------------------------------------------


def test_the_database_refuses_to_change_or_remove_a_versions_receiving_services(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    version = record(world.youth(SIXTEEN))
    through = ConsentVersion.units.through
    with pytest.raises(DatabaseError), transaction.atomic():
        through.objects.filter(consentversion_id=version.pk).update(unit_id=world.people.police_unit.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        version.units.remove(world.school)
    with pytest.raises(DatabaseError), transaction.atomic():
        version.units.set([world.people.police_unit])
    assert list(version.units.all()) == [world.school]


def test_revising_and_withdrawing_still_write_the_receiving_services_of_each_new_version(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    first = record(youth)
    second = services.consent_revise(
        actor=world.people.follower,
        consent=first.consent,
        categories=["identity_contact"],
        units=[world.school, world.people.police_unit],
        form="oral",
        valid_to=datetime.date(2026, 12, 31),
        youth_answer=GIVEN,
        guardian_answers=all_given(youth),
    )
    third = services.consent_withdraw(
        actor=world.people.follower, consent=first.consent, party="youth", reason="Vil ikke lenger."
    )
    assert set(first.units.all()) == {world.school}
    assert set(second.units.all()) == set(third.units.all()) == {world.school, world.people.police_unit}


def test_the_database_refuses_to_change_or_remove_a_use_of_a_legal_basis(world: World) -> None:
    youth = world.youth(SIXTEEN)
    use = open_to(youth, world.school, ["school"], actor=world.people.follower)
    with pytest.raises(DatabaseError), transaction.atomic():
        LegalBasisUse.objects.filter(pk=use.pk).update(reason="Skrevet om i ettertid.")
    with pytest.raises(DatabaseError), transaction.atomic():
        LegalBasisUse.objects.filter(pk=use.pk).update(until=use.until + datetime.timedelta(days=30))
    with pytest.raises(DatabaseError), transaction.atomic():
        LegalBasisUse.objects.filter(pk=use.pk).delete()
    assert LegalBasisUse.objects.get(pk=use.pk).reason == use.reason


def test_a_consents_purpose_cannot_be_changed_another_purpose_is_another_consent(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    version = record(world.youth(SIXTEEN))
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=version.consent_id).update(purpose="Noe helt annet")
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=version.consent_id).delete()
    assert Consent.objects.get(pk=version.consent_id).purpose == version.consent.purpose


# --- 2. Back-dating does not lower whose answers count ---------------------------------------


def test_a_sixteen_year_olds_consent_back_dated_to_age_14_still_needs_the_youths_own_answer(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    back_dated = datetime.date(2024, 9, 1)  # 14 then
    with pytest.raises(ValidationError, match="15 or older"):
        record(youth, valid_from=back_dated, youth_view="Greit for meg.", youth_answer=None)
    assert not Consent.objects.filter(youth=youth).exists()  # nothing half-saved
    version = record(youth, valid_from=back_dated, youth_answer=GIVEN)
    assert version.age_rule == ConsentVersion.AgeRule.FROM_15


def test_an_adults_consent_back_dated_to_age_17_needs_the_guardians_too_and_lapsed_at_18(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(EIGHTEEN)
    with pytest.raises(ValidationError, match="Every guardian with parental responsibility must answer"):
        record(youth, valid_from=datetime.date(2025, 12, 1), guardian_answers={}, youth_answer=GIVEN)
    version = record(youth, valid_from=datetime.date(2025, 12, 1), youth_answer=GIVEN)
    assert version.age_rule == ConsentVersion.AgeRule.FROM_15
    assert policy.version_in_force(version, youth, datetime.date(2026, 1, 9))
    assert not policy.version_in_force(version, youth, TODAY)


def test_an_adults_consent_from_today_is_the_youths_alone(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(EIGHTEEN)
    version = record(youth, valid_from=TODAY)
    assert version.age_rule == ConsentVersion.AgeRule.ADULT
    assert policy.version_in_force(version, youth, TODAY)


def test_a_consent_that_starts_after_the_15th_birthday_follows_the_age_it_starts_at(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2011, 5, 1))  # 14 today, 15 on 1 May 2026
    with pytest.raises(ValidationError, match="15 or older"):
        record(youth, valid_from=datetime.date(2026, 5, 1), youth_view="Greit.", youth_answer=None)
    version = record(youth, valid_from=datetime.date(2026, 5, 1), youth_answer=GIVEN)
    assert version.age_rule == ConsentVersion.AgeRule.FROM_15


def test_the_form_refuses_a_back_dated_consent_without_the_youths_answer_keeping_what_was_typed(
    world: World,
) -> None:
    youth = world.youth(SIXTEEN)
    client = sign_in(Client(), world.people.follower)
    data: dict[str, Any] = {
        "purpose": "Tilbakedatert samarbeid",
        "categories": ["identity_contact"],
        "units": [world.school.pk],
        "form": "oral",
        "valid_from": "2024-09-01",
        "valid_to": "2026-12-31",
    }
    data.update({f"guardian_{g.pk}": GIVEN for g in all_given(youth)})
    response = client.post(f"/samtykke/{youth.pk}/ny/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Tilbakedatert samarbeid" in response.content.decode()
    assert not Consent.objects.filter(youth=youth).exists()


# --- 3. forvaltningsloven § 13 b -------------------------------------------------------------


def test_the_catalogue_holds_forvaltningsloven_13_b_beside_the_earlier_bases() -> None:
    codes = set(LegalBasis.objects.values_list("code", flat=True))
    assert {"barnevernsloven-13-2", "helsepersonelloven-33", "straffeloven-196"} <= codes
    nr6 = LegalBasis.objects.get(code="forvaltningsloven-13b-1-6")
    assert nr6.active
    assert nr6.law_reference == "forvaltningsloven § 13 b første ledd nr. 6"
    assert "fare for liv" in nr6.description
    assert set(nr6.categories) == {"identity_contact", "school", "family", "substance_use"}
    assert Unit.Kind.SCHOOL in nr6.receiving_kinds
    assert Unit.Kind.OTHER not in nr6.receiving_kinds
    nr5 = LegalBasis.objects.get(code="forvaltningsloven-13b-1-5")
    assert nr5.categories == ["identity_contact"]


def test_a_service_shares_with_a_school_on_forvaltningsloven_13_b_nr_6_but_not_health(world: World) -> None:
    youth = world.youth(SIXTEEN)
    basis = LegalBasis.objects.get(code="forvaltningsloven-13b-1-6")
    reason = "Skolen må vite om truslene mot ungdommen for å holde skoledagen trygg."
    with pytest.raises(ValidationError):
        services.legal_basis_use(
            actor=world.people.follower,
            youth=youth,
            basis=basis,
            categories=["health"],
            reason=reason,
            unit=world.school,
        )
    use = services.legal_basis_use(
        actor=world.people.follower,
        youth=youth,
        basis=basis,
        categories=["identity_contact", "school"],
        reason=reason,
        unit=world.school,
    )
    decision = policy.decide(world.school_contact, youth, "school")
    assert decision.reason == policy.LEGAL_BASIS
    assert decision.legal_basis_use_id == use.pk


# --- 4. Barnevern information carries its category -------------------------------------------


@pytest.fixture
def barnevern(world: World) -> Unit:
    return UnitFactory(name="Barneverntjenesten Bjerke", district=world.people.unit.district, kind=Unit.Kind.BARNEVERN)


def _barnevern_note(world: World, barnevern: Unit) -> tuple[Youth, Contact, Contact, Any]:
    """A youth followed by the fixture unit, with an earlier (closed) barnevern follow-up whose
    caseworker wrote a note, and a note by the follower."""
    youth = world.youth(SIXTEEN)
    caseworker = staff(barnevern, StaffRole.Role.FOLLOWER, "Berit Barnevern")
    earlier = FollowUp.objects.create(
        youth=youth,
        unit=barnevern,
        state="closed",
        started_on=datetime.date(2024, 1, 8),
        ended_on=datetime.date(2024, 12, 20),
        closing_reason="other",
        closing_summary="Avsluttet i barnevernet.",
    )
    theirs = _contact(youth, earlier, caseworker, "Barnevernet snakket med mor om hjemmesituasjonen")
    ours = _contact(youth, youth.followups.exclude(pk=earlier.pk).get(), world.people.follower, "Fotballtrening")
    return youth, theirs, ours, caseworker


def test_contacts_recorded_by_barnevern_carry_the_barnevern_category(world: World, barnevern: Unit) -> None:
    _youth, theirs, ours, _ = _barnevern_note(world, barnevern)
    theirs = Contact.objects.select_related("followup__unit").get(pk=theirs.pk)
    ours = Contact.objects.select_related("followup__unit").get(pk=ours.pk)
    assert policy.categories_of_contact(theirs) == {"identity_contact", "barnevern"}
    assert policy.categories_of_contact(ours) == {"identity_contact"}


def test_a_service_without_barnevern_consent_does_not_see_barnevern_notes_even_holding_the_follow_up(
    world: World, barnevern: Unit, record: Callable[..., ConsentVersion]
) -> None:
    youth, theirs, ours, caseworker = _barnevern_note(world, barnevern)
    follower = world.people.follower
    assert _visible(follower, youth, [theirs, ours]) == [ours]
    # On the youth page's timeline, the API and the contact itself as well.
    view = case_selectors.youth_view(user=follower, youth=youth)
    texts = [item.obj.text for item in view.timeline if item.kind == "contact"]
    assert texts == ["Fotballtrening"]
    assert view.viewer.withheld["barnevern"] >= 1
    api = api_client(follower)
    body = api.get(f"/api/v1/youths/{youth.pk}/timeline/").content.decode()
    assert "Fotballtrening" in body
    assert "hjemmesituasjonen" not in body
    contacts = api.get(f"/api/v1/youths/{youth.pk}/contacts/").content.decode()
    assert "Fotballtrening" in contacts
    assert "hjemmesituasjonen" not in contacts
    # Barnevern sees what it recorded itself.
    assert _visible(caseworker, youth, [theirs]) == [theirs]
    # A consent covering identity and contact alone is not enough; one covering barnevern is.
    record(youth, categories=["identity_contact"], units=[world.people.unit])
    assert _visible(follower, youth, [theirs, ours]) == [ours]
    record(youth, categories=["identity_contact", "barnevern"], units=[world.people.unit])
    assert _visible(follower, youth, [theirs, ours]) == [theirs, ours]


def test_the_timeline_marks_a_barnevern_follow_ups_own_changes_as_barnevern(world: World, barnevern: Unit) -> None:
    youth, _, _, _caseworker = _barnevern_note(world, barnevern)
    items = case_selectors.youth_timeline(youth=youth)
    barnevern_items = [item for item in items if policy.source_of_timeline_item(item) == barnevern]
    assert barnevern_items
    for item in barnevern_items:
        assert "barnevern" in policy.categories_of_timeline_item(item)
    shown = policy.viewer(world.people.follower, youth).filter(
        items, policy.categories_of_timeline_item, policy.source_of_timeline_item
    )
    assert not any(policy.source_of_timeline_item(item) == barnevern for item in shown)


# --- 5. Outreach notes reach the police only when the consent says so ------------------------


def _outreach_note(world: World) -> tuple[Youth, Contact, Any]:
    """The youth's follow-up has moved to the outreach service, whose worker wrote a note and
    now records consents (an assignment in force on the open follow-up)."""
    youth = world.youth(SIXTEEN)
    youth.followups.update(state="closed", ended_on=TODAY, closing_reason="other_measure", closing_summary="Videre.")
    followup = FollowUp.objects.create(youth=youth, unit=world.outreach, state="active", started_on=TODAY)
    FollowUpAssignment.objects.create(followup=followup, user=world.outreach_worker, role="lead", starts_on=TODAY)
    return (
        youth,
        _contact(youth, followup, world.outreach_worker, "Møtte ungdommen ved senteret"),
        world.outreach_worker,
    )


def test_an_ordinary_consent_naming_the_police_does_not_open_outreach_notes(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth, note, worker = _outreach_note(world)
    police = world.people.police
    version = record(youth, categories=["identity_contact"], units=[world.people.police_unit], actor=worker)
    assert not version.outreach_notes_to_police
    assert _visible(police, youth, [note]) == []
    # The same consent opens to the police what others recorded in that category.
    assert policy.decide(police, youth, "identity_contact").reason == policy.CONSENT


def test_a_consent_that_says_so_opens_outreach_notes_to_the_police_unit_it_names(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth, note, worker = _outreach_note(world)
    other_police = UnitFactory(name="Politiet Sør", district=None, kind=Unit.Kind.POLICE)
    other_officer = staff(other_police, StaffRole.Role.POLICE_CONTACT)
    version = record(
        youth,
        categories=["identity_contact"],
        units=[world.people.police_unit],
        outreach_notes_to_police=True,
        actor=worker,
    )
    assert version.outreach_notes_to_police
    assert _visible(world.people.police, youth, [note]) == [note]
    assert _visible(other_officer, youth, [note]) == []  # a police unit the consent does not name
    # Withdrawn, it opens nothing.
    services.consent_withdraw(actor=worker, consent=version.consent, party="youth", reason="Ombestemte seg.")
    assert _visible(world.people.police, youth, [note]) == []


def test_the_flag_must_cover_the_categories_of_the_note(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth, _, worker = _outreach_note(world)
    followup = FollowUp.objects.get(youth=youth, unit=world.outreach)
    about_drugs = _contact(youth, followup, worker, "Snakket om rus", ["substance_use"])
    record(
        youth,
        categories=["identity_contact"],
        units=[world.people.police_unit],
        outreach_notes_to_police=True,
        actor=worker,
    )
    assert _visible(world.people.police, youth, [about_drugs]) == []


def test_the_flag_needs_a_police_unit_among_the_receiving_services(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth, _, worker = _outreach_note(world)
    with pytest.raises(ValidationError, match="police unit"):
        record(youth, units=[world.school], outreach_notes_to_police=True, actor=worker)


def test_a_police_follow_up_does_not_open_outreach_notes_either(world: World) -> None:
    youth, note, _ = _outreach_note(world)
    FollowUp.objects.filter(youth=youth, unit=world.outreach).update(
        state="closed", ended_on=TODAY, closing_reason="other", closing_summary="Videre."
    )
    FollowUp.objects.create(youth=youth, unit=world.people.police_unit, state="active", started_on=TODAY)
    assert _visible(world.people.police, youth, [note]) == []


def test_the_consent_form_offers_the_flag_and_the_detail_page_shows_it(world: World) -> None:
    youth, note, worker = _outreach_note(world)
    TOTPDeviceFactory(user=worker)
    client = sign_in(Client(), worker)
    form = client.get(f"/samtykke/{youth.pk}/ny/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="outreach_notes_to_police"' in form
    data: dict[str, Any] = {
        "purpose": "Utekontakten og politiet samarbeider om trygghet",
        "categories": ["identity_contact"],
        "units": [world.people.police_unit.pk],
        "form": "oral",
        "valid_from": "2026-03-02",
        "valid_to": "2026-12-31",
        "youth_answer": GIVEN,
        "outreach_notes_to_police": "on",
    }
    data.update({f"guardian_{g.pk}": GIVEN for g in all_given(youth)})
    response = client.post(f"/samtykke/{youth.pk}/ny/", data)
    assert response.status_code == 302, response.content.decode()
    version = ConsentVersion.objects.get(consent__youth=youth)
    assert version.outreach_notes_to_police
    detail = client.get(reverse("consent:consent_detail", args=[version.consent_id]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Kan deles med politiet" in detail.content.decode()
    revise = client.get(reverse("consent:consent_revise", args=[version.consent_id]), HTTP_ACCEPT_LANGUAGE="en")
    page = revise.content.decode()
    assert 'name="outreach_notes_to_police" id="id_outreach_notes_to_police" checked' in page
    assert _visible(world.people.police, youth, [note]) == [note]


# --- 6. Only the unit of the open follow-up manages it ----------------------------------------


@pytest.fixture
def moved(world: World) -> tuple[Youth, Any, Any, Any]:
    """A youth whose follow-up moved from the fixture unit (closed) to the other unit (open)."""
    youth = world.youth(SIXTEEN)
    former = youth.followups.get()
    former_coordinator = coordinator_of(world.people.unit, "Frida Former")
    case_services.followup_close(actor=former_coordinator, followup=former, reason="moved", summary="Flyttet.")
    current = FollowUp.objects.create(youth=youth, unit=world.people.other_unit, state="active", started_on=TODAY)
    new_coordinator = coordinator_of(world.people.other_unit, "Nora Now")
    FollowUpAssignment.objects.create(followup=current, user=world.people.outsider, role="lead", starts_on=TODAY)
    return youth, former_coordinator, new_coordinator, current


def test_a_former_units_coordinator_and_leader_cannot_manage_the_open_follow_up(
    world: World, moved: tuple[Youth, Any, Any, Any]
) -> None:
    youth, former_coordinator, new_coordinator, current = moved
    for person in (former_coordinator, world.people.leader):
        assert access.can(person, youth)  # they still see the youth their unit followed
        assert not access.can(person, youth, "manage_followup")
        with pytest.raises(PermissionDenied):
            case_services.followup_close(actor=person, followup=current, reason="moved", summary="Ikke vår.")
        with pytest.raises(PermissionDenied):
            case_services.followup_assign(actor=person, followup=current, user=world.people.follower)
    assert not access.can(world.people.leader, youth, "override_capacity")
    assert access.can(new_coordinator, youth, "manage_followup")
    current.refresh_from_db()
    assert current.state == "active"


def test_a_former_unit_gets_403_on_the_manage_page_and_the_api(
    world: World, moved: tuple[Youth, Any, Any, Any]
) -> None:
    youth, former_coordinator, new_coordinator, _ = moved
    client = sign_in(Client(), former_coordinator)
    assert client.get(f"/ungdommer/{youth.pk}/oppfolging/").status_code == 403
    response = client.post(
        f"/ungdommer/{youth.pk}/oppfolging/", {"action": "close", "reason": "moved", "summary": "Ikke vår."}
    )
    assert response.status_code == 403
    api = api_client(former_coordinator)
    assert (
        api.post(f"/api/v1/youths/{youth.pk}/followup/close/", {"reason": "moved", "summary": "x"}).status_code == 403
    )
    assert FollowUp.objects.get(youth=youth, unit=world.people.other_unit).state == "active"
    assert sign_in(Client(), new_coordinator).get(f"/ungdommer/{youth.pk}/oppfolging/").status_code == 200


def test_an_outsider_still_gets_404_on_the_manage_page(world: World, moved: tuple[Youth, Any, Any, Any]) -> None:
    youth = moved[0]
    stranger_unit = UnitFactory(name="Annen tjeneste", district=world.people.unit.district, kind=Unit.Kind.SALTO)
    stranger = coordinator_of(stranger_unit, "Sara Stranger")
    assert sign_in(Client(), stranger).get(f"/ungdommer/{youth.pk}/oppfolging/").status_code == 404
