"""The consent services: age rules, the signed form, versions, legal bases, reminders and the
disclosure log (STYLE.md: business rules and their audit rows)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from cases.models import Youth
from consent import policy, selectors, services
from consent.models import ConsentVersion, Disclosure, LegalBasis
from core.models import AuditEvent, Notification

from .conftest import GIVEN, REFUSED, TODAY, World, all_given, responsible

pytestmark = pytest.mark.django_db

UNDER_15 = datetime.date(2012, 6, 1)
SIXTEEN = datetime.date(2009, 6, 1)
ADULT = datetime.date(2007, 6, 1)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"


# --- age rules -------------------------------------------------------------------------------


def test_under_15_the_guardians_consent_and_the_youth_is_heard(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(UNDER_15)
    version = record(youth)
    assert version.age_rule == ConsentVersion.AgeRule.UNDER_15
    assert {a.guardian for a in version.answers.all()} == set(responsible(youth))
    assert version.youth_view


def test_under_15_without_the_youths_view_is_refused(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(UNDER_15)
    with pytest.raises(ValidationError, match="must be heard"):
        record(youth, youth_view=" ")


def test_under_15_every_guardian_with_parental_responsibility_must_answer(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(UNDER_15)
    mother, father = responsible(youth)
    with pytest.raises(ValidationError, match=f"Missing: {father}"):
        record(youth, guardian_answers={mother: GIVEN})


def test_a_guardian_without_parental_responsibility_cannot_answer(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(UNDER_15)
    step = youth.guardianships.get(parental_responsibility=False).guardian
    with pytest.raises(ValidationError, match="does not have parental responsibility"):
        record(youth, guardian_answers={**all_given(youth), step: GIVEN})


def test_no_consent_under_18_without_registered_guardians(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN, guardians=0)
    with pytest.raises(ValidationError, match="No guardian with parental responsibility"):
        record(youth, guardian_answers={})


def test_from_15_the_youths_own_consent_is_needed_as_well(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(ValidationError, match="15 or older"):
        record(youth, youth_answer=None)
    version = record(youth)
    assert version.age_rule == ConsentVersion.AgeRule.FROM_15
    assert version.answers.count() == 3


def test_from_15_the_guardians_consent_is_still_needed(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(ValidationError, match="Every guardian"):
        record(youth, guardian_answers={})


def test_from_18_the_youth_consents_alone(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(ADULT)
    with pytest.raises(ValidationError, match="18 or older and consents alone"):
        record(youth, guardian_answers=all_given(youth))
    with pytest.raises(ValidationError, match="own answer"):
        record(youth, youth_answer=None)
    assert record(youth).age_rule == ConsentVersion.AgeRule.ADULT


def test_age_is_taken_on_the_day_the_consent_starts(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(datetime.date(2011, 3, 10))  # 14 today, 15 on 10 March 2026
    assert record(youth, valid_from=TODAY).age_rule == ConsentVersion.AgeRule.UNDER_15
    later = datetime.date(2026, 3, 10)
    with pytest.raises(ValidationError, match="15 or older"):
        record(youth, valid_from=later, youth_answer=None)


def test_a_refusal_is_recorded_and_opens_nothing(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    version = record(youth, youth_answer=REFUSED)
    assert version.answers.get(party="youth").answer == REFUSED
    assert policy.decide(world.school_contact, youth, "health").withheld


def test_recording_is_audited(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    version = record(youth)
    event = AuditEvent.objects.get(action="consent.recorded")
    assert event.actor == world.people.follower
    assert event.youth_id == youth.pk
    assert event.object_id == str(version.pk)
    assert event.detail["categories"] == ["health", "identity_contact"]
    assert event.detail["units"] == [world.school.pk]


def test_someone_who_does_not_work_with_the_youth_cannot_record_consent(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(PermissionDenied):
        record(youth, actor=world.people.outsider)
    with pytest.raises(PermissionDenied):
        record(youth, actor=world.school_contact)


def test_a_consent_needs_categories_services_and_a_purpose(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(ValidationError, match="category"):
        record(youth, categories=[])
    with pytest.raises(ValidationError, match="receiving service"):
        record(youth, units=[])
    with pytest.raises(ValidationError, match="shared for"):
        record(youth, purpose="  ")


# --- the signed form -------------------------------------------------------------------------


def _written(record: Callable[..., ConsentVersion], youth: object, name: str, content: bytes) -> ConsentVersion:
    return record(youth, form="written", document=SimpleUploadedFile(name, content))


def test_a_written_consent_keeps_the_signed_pdf(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    version = _written(record, youth, "samtykke.pdf", PDF)
    assert version.document.name.endswith(".pdf")
    assert version.document.read().startswith(b"%PDF-")


@pytest.mark.parametrize(("name", "content"), [("samtykke.pdf", PNG), ("samtykke.pdf", EXE), ("samtykke.exe", EXE)])
def test_a_form_whose_content_is_not_what_its_name_says_is_refused(
    world: World, record: Callable[..., ConsentVersion], name: str, content: bytes
) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(ValidationError):
        _written(record, youth, name, content)
    assert not ConsentVersion.objects.exists()


def test_a_png_photo_of_the_form_is_accepted(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    assert _written(record, youth, "bilde.png", PNG).form == "written"


def test_a_form_over_10_mb_is_refused(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(ValidationError, match="10 MB"):
        _written(record, youth, "stor.pdf", PDF + b"0" * (10 * 1024 * 1024))


def test_a_written_consent_without_the_form_is_refused(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(ValidationError, match="Attach"):
        record(youth, form="written")


def test_an_oral_consent_notes_who_heard_it_and_when(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    version = record(youth)
    assert version.noted_by == world.people.follower
    assert version.noted_at is not None


# --- versions and withdrawal -----------------------------------------------------------------


def test_revising_a_consent_makes_a_new_version_and_keeps_the_old_one(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    first = record(youth)
    before = ConsentVersion.objects.filter(pk=first.pk).values().get()
    second = services.consent_revise(
        actor=world.people.follower,
        consent=first.consent,
        categories=["identity_contact", "school"],
        units=[world.school, world.outreach],
        form="oral",
        valid_from=TODAY,
        valid_to=datetime.date(2027, 2, 28),
        youth_answer=GIVEN,
        guardian_answers=all_given(youth),
    )
    assert (first.number, second.number) == (1, 2)
    assert second.event == ConsentVersion.Event.REVISED
    assert ConsentVersion.objects.filter(pk=first.pk).values().get() == before
    assert set(first.units.all()) == {world.school}
    assert selectors.consent_current_version(consent=first.consent) == second
    assert AuditEvent.objects.filter(action="consent.revised", object_id=str(second.pk)).exists()


def test_the_database_refuses_to_change_a_version(world: World, record: Callable[..., ConsentVersion]) -> None:
    version = record(world.youth(SIXTEEN))
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentVersion.objects.filter(pk=version.pk).update(valid_to=datetime.date(2030, 1, 1))


def test_withdrawal_is_a_new_version_saying_who_when_and_why(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(UNDER_15)
    first = record(youth)
    mother = responsible(youth)[0]
    withdrawn = services.consent_withdraw(
        actor=world.people.follower, consent=first.consent, party="guardian", guardian=mother, reason="Ringte i dag."
    )
    assert withdrawn.number == 2
    assert withdrawn.is_withdrawn
    assert withdrawn.withdrawn_by_guardian == mother
    assert withdrawn.withdrawal_reason == "Ringte i dag."
    assert list(withdrawn.units.all()) == [world.school]
    assert withdrawn.answers.count() == first.answers.count()
    assert not ConsentVersion.objects.get(pk=first.pk).is_withdrawn
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert event.detail["reason"] == "Ringte i dag."
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.consent_withdraw(actor=world.people.follower, consent=first.consent, party="youth", reason="Igjen.")


def test_a_withdrawal_needs_a_reason(world: World, record: Callable[..., ConsentVersion]) -> None:
    version = record(world.youth(SIXTEEN))
    with pytest.raises(ValidationError, match="why"):
        services.consent_withdraw(actor=world.people.follower, consent=version.consent, party="youth", reason=" ")


# --- legal bases -----------------------------------------------------------------------------


def test_the_catalogue_of_legal_bases_is_loaded() -> None:
    assert set(LegalBasis.objects.values_list("law_reference", flat=True)) >= {
        "barnevernsloven § 13-2",
        "helsepersonelloven § 33",
        "straffeloven § 196",
    }


def _use(world: World, youth: object, reason: str = "Konkrete trusler om grov vold mot en medelev.") -> object:
    return services.legal_basis_use(
        actor=world.people.police,
        youth=youth,  # type: ignore[arg-type]
        basis=LegalBasis.objects.get(code="straffeloven-196"),
        categories=["identity_contact", "police"],
        reason=reason,
    )


@pytest.mark.parametrize("reason", ["", "   ", "Haster."])
def test_a_legal_basis_needs_a_written_reason(world: World, reason: str) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(ValidationError, match="without consent"):
        _use(world, youth, reason)
    assert not AuditEvent.objects.filter(action="consent.legal_basis_used").exists()


def test_a_legal_basis_use_is_audited_limited_in_time_and_shown_to_the_leader_once(world: World) -> None:
    youth = world.youth(SIXTEEN)
    use = _use(world, youth)
    event = AuditEvent.objects.get(action="consent.legal_basis_used")
    assert event.actor == world.people.police
    assert event.youth_id == youth.pk
    assert event.detail["law"] == "straffeloven § 196"
    assert use.until - use.starts_at == datetime.timedelta(days=7)  # type: ignore[attr-defined]
    assert list(selectors.legal_basis_uses_for_leader(user=world.police_leader)) == [use]
    assert list(selectors.legal_basis_uses_for_leader(user=world.people.leader)) == []
    sent = Notification.objects.filter(kind="legal_basis_used")
    assert [(n.recipient, n.youth_id) for n in sent] == [(world.police_leader, youth.pk)]


def test_a_legal_basis_opens_only_its_categories_and_services(world: World) -> None:
    youth = world.youth(SIXTEEN)
    basis = LegalBasis.objects.get(code="straffeloven-196")
    with pytest.raises(ValidationError, match="does not allow sharing"):
        services.legal_basis_use(
            actor=world.people.police,
            youth=youth,
            basis=basis,
            categories=["health"],
            reason="Konkrete trusler om grov vold mot en medelev.",
        )
    with pytest.raises(ValidationError, match="does not allow sharing with"):
        services.legal_basis_use(
            actor=world.people.police,
            youth=youth,
            basis=LegalBasis.objects.get(code="barnevernsloven-13-2"),
            categories=["family"],
            reason="Opplysninger om alvorlig omsorgssvikt i hjemmet.",
        )


def test_a_legal_basis_cannot_run_for_more_than_30_days(world: World) -> None:
    youth = world.youth(SIXTEEN)
    with pytest.raises(ValidationError, match="30 days"):
        services.legal_basis_use(
            actor=world.people.police,
            youth=youth,
            basis=LegalBasis.objects.get(code="straffeloven-196"),
            categories=["police"],
            reason="Konkrete trusler om grov vold mot en medelev.",
            until=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=31),
        )


# --- reminders -------------------------------------------------------------------------------


def test_guardian_consents_lapse_at_18_and_the_follower_is_told_once(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2008, 3, 10))  # 18 on 10 March 2026
    version = record(youth, valid_from=datetime.date(2025, 9, 1))
    assert services.consents_lapse_at_18(today=datetime.date(2026, 3, 9)) == 0
    assert services.consents_lapse_at_18(today=datetime.date(2026, 3, 10)) == 1
    assert services.consents_lapse_at_18(today=datetime.date(2026, 3, 11)) == 0
    sent = Notification.objects.get(kind="consent_lapsed_18")
    assert sent.recipient == world.people.follower
    assert sent.key == f"consent_lapsed_18:{version.consent_id}"


def test_an_adults_own_consent_does_not_lapse(world: World, record: Callable[..., ConsentVersion]) -> None:
    record(world.youth(ADULT))
    assert services.consents_lapse_at_18(today=TODAY) == 0


def test_a_consent_ending_within_30_days_is_reminded_once_per_version(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    version = record(youth, valid_to=TODAY + datetime.timedelta(days=30))
    record(world.youth(SIXTEEN), valid_to=TODAY + datetime.timedelta(days=31))  # not yet
    assert services.consents_expiring_notify(today=TODAY) == 1
    assert services.consents_expiring_notify(today=TODAY) == 0
    sent = Notification.objects.get(kind="consent_expiring")
    assert (sent.recipient, sent.key) == (world.people.follower, f"consent_expiring:{version.pk}")


def test_a_withdrawn_consent_is_not_reminded(world: World, record: Callable[..., ConsentVersion]) -> None:
    version = record(world.youth(SIXTEEN), valid_to=TODAY + datetime.timedelta(days=5))
    services.consent_withdraw(actor=world.people.follower, consent=version.consent, party="youth", reason="Nei.")
    assert services.consents_expiring_notify(today=TODAY) == 0


# --- the disclosure log ----------------------------------------------------------------------


def test_the_disclosure_log_lists_exactly_what_was_recorded(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    version = record(youth)
    use = _use(world, youth)
    school_view = _decide_all(world.school_contact, youth, ["identity_contact", "health", "school"])
    services.disclosure_record(
        user=world.school_contact, youth=youth, decisions=school_view.values(), channel="view", request_id="req-1"
    )
    police_pdf = _decide_all(world.people.police, youth, ["police", "health"])
    services.disclosure_record(user=world.people.police, youth=youth, decisions=police_pdf.values(), channel="pdf")
    own = policy.decide(world.people.follower, youth, "identity_contact")
    services.disclosure_record(user=world.people.follower, youth=youth, decisions=[own], channel="export")

    rows = [
        (d.user, d.unit, d.categories, d.channel, d.basis, d.consent_version, d.legal_basis_use, d.request_id)
        for d in selectors.disclosures_for_youth(youth=youth).order_by("id")
    ]
    assert rows == [
        (world.school_contact, world.school, ["health", "identity_contact"], "view", "consent", version, None, "req-1"),
        (world.people.police, world.people.police_unit, ["police"], "pdf", "legal_basis", None, use, ""),
        (world.people.follower, world.people.unit, ["identity_contact"], "export", "own_service", None, None, ""),
    ]
    other = world.youth(SIXTEEN)
    assert not selectors.disclosures_for_youth(youth=other).exists()


def test_the_database_refuses_to_change_or_delete_a_disclosure(world: World) -> None:
    youth = world.youth(SIXTEEN)
    own = policy.decide(world.people.follower, youth, "identity_contact")
    services.disclosure_record(user=world.people.follower, youth=youth, decisions=[own], channel="view")
    with pytest.raises(DatabaseError), transaction.atomic():
        Disclosure.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Disclosure.objects.update(channel="api")


def test_the_consent_reminder_tasks_are_scheduled_and_run() -> None:
    from django.conf import settings

    from consent import tasks

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"consent.tasks.consents_lapsed_at_18", "consent.tasks.consents_expiring"} <= scheduled
    assert tasks.consents_lapsed_at_18.delay().get() >= 0
    assert tasks.consents_expiring.delay().get() >= 0


def _decide_all(user: Any, youth: Youth, categories: list[str]) -> dict[str, policy.Decision]:
    viewer = policy.viewer(user, youth)
    return {category: viewer.decide(category) for category in categories}
