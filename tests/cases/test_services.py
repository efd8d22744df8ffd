"""The business rules of follow-up, in the services and selectors (STYLE.md: service tests
cover the rules and check the audit row)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from cases import selectors, services
from cases.models import (
    Contact,
    ContactDraft,
    ContactVersion,
    FollowUp,
    FollowUpAssignment,
    Offence,
    OutcomeMeasure,
    Youth,
)
from cases.policy import restricted_fields
from core import access
from core.models import AuditEvent, User
from org.models import StaffRole

from ..conftest import People
from ..factories import StaffRoleFactory, YouthFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def _followup(people: People, youth: Youth | None = None, *, lead=None, family=None, state="active") -> FollowUp:
    youth = youth or YouthFactory(district=people.unit.district)
    followup = FollowUp.objects.create(
        youth=youth, unit=people.unit, state=state, started_on=datetime.date(2026, 1, 5) if state != "intake" else None
    )
    if lead is not None:
        FollowUpAssignment.objects.create(
            followup=followup, user=lead, role="lead", starts_on=datetime.date(2026, 1, 5)
        )
    if family is not None:
        FollowUpAssignment.objects.create(
            followup=followup, user=family, role="family", starts_on=datetime.date(2026, 1, 5)
        )
    return followup


@pytest.fixture
def coordinator(people: People):
    return StaffRoleFactory(unit=people.unit, role=StaffRole.Role.COORDINATOR).user


# --- capacity ----------------------------------------------------------------------------


def test_sixth_youth_is_refused_without_override(people: People, coordinator) -> None:
    for _ in range(5):
        _followup(people, lead=people.follower)
    sixth = _followup(people, state="intake")
    with pytest.raises(ValidationError, match="5"):
        services.followup_assign(actor=coordinator, followup=sixth, user=people.follower)
    assert not sixth.assignments.exists()


def test_the_capacity_refusal_carries_its_own_code_for_the_callers_override(people: People, coordinator: User) -> None:
    for _ in range(5):
        _followup(people, lead=people.follower)
    sixth = _followup(people, state="intake")
    with pytest.raises(ValidationError) as refused:
        services.followup_assign(actor=coordinator, followup=sixth, user=people.follower)
    assert refused.value.code == services.OVER_CAPACITY


def test_a_coordinator_cannot_override_capacity(people: People, coordinator) -> None:
    for _ in range(5):
        _followup(people, lead=people.follower)
    sixth = _followup(people, state="intake")
    with pytest.raises(PermissionDenied):
        services.followup_assign(actor=coordinator, followup=sixth, user=people.follower, override_reason="Haster")


def test_a_leader_overrides_capacity_with_a_written_reason_which_is_audited(people: People) -> None:
    for _ in range(5):
        _followup(people, lead=people.follower)
    sixth = _followup(people, state="intake")
    assignment = services.followup_assign(
        actor=people.leader, followup=sixth, user=people.follower, override_reason="Søsken av en ungdom hun følger"
    )
    assert assignment.override_reason == "Søsken av en ungdom hun følger"
    event = AuditEvent.objects.get(action="followup.capacity_override")
    assert event.actor == people.leader
    assert event.youth_id == sixth.youth_id
    assert event.detail["reason"] == "Søsken av en ungdom hun følger"
    assert services.follower_load(user=people.follower) == 6


def test_capacity_is_a_setting_per_district(people: People) -> None:
    district = people.district
    district.max_youths_per_follower = 2
    district.save()
    for _ in range(2):
        _followup(people, lead=people.follower)
    with pytest.raises(ValidationError):
        services.followup_assign(actor=people.leader, followup=_followup(people, state="intake"), user=people.follower)


def test_closed_follow_ups_do_not_count_towards_capacity(people: People) -> None:
    followups = [_followup(people, lead=people.follower) for _ in range(5)]
    services.followup_close(actor=people.leader, followup=followups[0], reason="goals_reached", summary="Går bra.")
    services.followup_assign(actor=people.leader, followup=_followup(people, state="intake"), user=people.follower)
    assert services.follower_load(user=people.follower) == 5


def test_reassignment_keeps_history(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    services.followup_assign(actor=people.leader, followup=followup, user=people.teammate)
    leads = list(followup.assignments.filter(role="lead").order_by("id"))
    assert [a.user for a in leads] == [people.follower, people.teammate]
    assert leads[0].ends_on is not None
    assert leads[1].ends_on is None
    assert AuditEvent.objects.filter(action="followup.assigned", youth_id=followup.youth_id).exists()


def test_only_staff_of_the_unit_can_be_assigned(people: People) -> None:
    with pytest.raises(ValidationError):
        services.followup_assign(actor=people.leader, followup=_followup(people, state="intake"), user=people.outsider)


def test_a_follower_cannot_assign(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    with pytest.raises(PermissionDenied):
        services.followup_assign(actor=people.follower, followup=followup, user=people.teammate, role="family")


# --- states and closing ------------------------------------------------------------------


def test_a_follow_up_starts_only_with_a_follower(people: People) -> None:
    followup = _followup(people, state="intake")
    with pytest.raises(ValidationError):
        services.followup_set_state(actor=people.leader, followup=followup, state="active")
    services.followup_assign(actor=people.leader, followup=followup, user=people.follower)
    services.followup_set_state(actor=people.leader, followup=followup, state="active")
    followup.refresh_from_db()
    assert followup.started_on == timezone.localdate()


def test_closing_needs_a_reason_and_a_summary(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    with pytest.raises(ValidationError) as error:
        services.followup_close(actor=people.leader, followup=followup, reason="", summary=" ")
    assert set(error.value.message_dict) == {"reason", "summary"}
    followup.refresh_from_db()
    assert followup.state == "active"


def test_closing_ends_the_followers_access(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    assert access.get(people.follower, Youth, pk=followup.youth_id)
    services.followup_close(actor=people.leader, followup=followup, reason="moved", summary="Flyttet til Bergen.")
    with pytest.raises(Http404):
        access.get(people.follower, Youth, pk=followup.youth_id)
    assert access.get(people.leader, Youth, pk=followup.youth_id)  # the unit keeps its history


def test_an_outcome_measure_goes_on_the_open_follow_up_and_is_refused_once_it_is_closed(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    data = {"measured_on": datetime.date(2026, 2, 2), "phase": "start", "occupation": "school", "substance_use": "none"}
    measure = services.outcome_record(actor=people.leader, youth=followup.youth, data=data)
    assert measure.followup == followup
    services.followup_close(actor=people.leader, followup=followup, reason="moved", summary="Flyttet til Bergen.")
    with pytest.raises(ValidationError):  # the youth has no open follow-up
        services.outcome_record(actor=people.leader, youth=followup.youth, data={**data, "phase": "end"})
    assert OutcomeMeasure.objects.count() == 1


# --- who sees what ----------------------------------------------------------------------


def test_outsider_and_other_units_do_not_see_the_youth(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    for user in (people.outsider, people.police, people.admin):
        with pytest.raises(Http404):
            access.get(user, Youth, pk=followup.youth_id)


def test_restricted_fields_are_masked_for_a_coordinator(people: People, coordinator) -> None:
    youth = YouthFactory(
        district=people.unit.district,
        national_id="17051150058",
        birth_date=datetime.date(2011, 5, 17),
        address="Veitvetveien 1",
    )
    _followup(people, youth, lead=people.follower)
    assert restricted_fields(people.follower, youth).national_id == "17051150058"
    assert restricted_fields(people.leader, youth).address == "Veitvetveien 1"
    masked = restricted_fields(coordinator, youth)
    assert not masked.visible
    assert masked.national_id == "170511 *****"
    assert "Veitvetveien" not in masked.address


# --- contacts ----------------------------------------------------------------------------


def _fields(**overrides):
    fields = {
        "occurred_at": timezone.make_aware(datetime.datetime(2026, 11, 18, 10, 0), OSLO),
        "duration_minutes": 45,
        "kind": "conversation",
        "place": "Veitvet senter",
        "participants": ["youth"],
        "life_areas": ["school"],
        "text": "Snakket om skolen.",
    }
    fields.update(overrides)
    return fields


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO), tick=False)
def test_evening_and_weekend_contacts_are_marked(people: People) -> None:
    followup = _followup(people, lead=people.follower)
    tuesday_morning, tuesday_evening, saturday = (
        timezone.make_aware(datetime.datetime(2026, 11, 17, 10, 0), OSLO),
        timezone.make_aware(datetime.datetime(2026, 11, 17, 20, 30), OSLO),
        timezone.make_aware(datetime.datetime(2026, 11, 21, 11, 0), OSLO),
    )
    marks = [
        services.contact_log(actor=people.follower, youths=[followup.youth], fields=_fields(occurred_at=when))[
            0
        ].evening_or_weekend
        for when in (tuesday_morning, tuesday_evening, saturday)
    ]
    assert marks == [False, True, True]
    assert AuditEvent.objects.filter(action="contact.logged", youth_id=followup.youth_id).count() == 3


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO), tick=False)
def test_a_group_contact_is_recorded_for_each_youth_with_its_own_text(people: People) -> None:
    youths = [_followup(people, lead=people.follower).youth for _ in range(3)]
    texts = {youth.pk: f"Om {youth.first_name}" for youth in youths}
    contacts = services.contact_log(actor=people.follower, youths=youths, fields=_fields(kind="activity"), texts=texts)
    assert len({c.group_id for c in contacts}) == 1
    assert contacts[0].group_id is not None
    assert [c.text for c in contacts] == [texts[y.pk] for y in youths]


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO), tick=False)
def test_cannot_log_for_a_youth_one_does_not_follow(people: People) -> None:
    mine = _followup(people, lead=people.follower).youth
    other = _followup(people, lead=people.teammate).youth
    with pytest.raises(PermissionDenied):
        services.contact_log(actor=people.follower, youths=[mine, other], fields=_fields())
    assert not Contact.objects.exists()


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO), tick=False)
def test_a_contact_in_the_future_is_refused(people: People) -> None:
    youth = _followup(people, lead=people.follower).youth
    with pytest.raises(ValidationError):
        services.contact_log(
            actor=people.follower,
            youths=[youth],
            fields=_fields(occurred_at=timezone.now() + datetime.timedelta(hours=2)),
        )


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO), tick=False)
def test_edits_keep_versions(people: People) -> None:
    youth = _followup(people, lead=people.follower, family=people.teammate).youth
    contact = services.contact_log(actor=people.follower, youths=[youth], fields=_fields())[0]
    services.contact_update(
        actor=people.teammate, contact=contact, fields={"text": "Snakket om skolen og fotball.", "duration_minutes": 60}
    )
    contact.refresh_from_db()
    assert contact.version == 2
    version = ContactVersion.objects.get(contact=contact)
    assert version.changed_by == people.teammate
    assert sorted(version.changed_fields) == ["duration_minutes", "text"]
    assert version.data["text"] == "Snakket om skolen."
    assert AuditEvent.objects.filter(action="contact.updated", actor=people.teammate).exists()


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO), tick=False)
def test_only_a_leader_deletes_a_contact_and_with_a_reason(people: People) -> None:
    youth = _followup(people, lead=people.follower, family=people.teammate).youth
    contact = services.contact_log(actor=people.follower, youths=[youth], fields=_fields())[0]
    for user in (people.follower, people.teammate):
        with pytest.raises(PermissionDenied):
            services.contact_delete(actor=user, contact=contact, reason="Feil ungdom")
    with pytest.raises(ValidationError):
        services.contact_delete(actor=people.leader, contact=contact, reason="")
    services.contact_delete(actor=people.leader, contact=contact, reason="Registrert på feil ungdom")
    contact.refresh_from_db()
    assert contact.deleted_by == people.leader
    assert AuditEvent.objects.filter(action="contact.deleted", detail__reason="Registrert på feil ungdom").exists()


def test_saving_a_contact_removes_its_draft_and_old_drafts_expire(people: People) -> None:
    import uuid

    youth = _followup(people, lead=people.follower).youth
    key = uuid.uuid4()
    services.draft_save(actor=people.follower, key=key, data={"text": "Halvveis"}, youth=youth)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO), tick=False):
        services.contact_log(actor=people.follower, youths=[youth], fields=_fields(), draft_key=key)
    assert not ContactDraft.objects.exists()
    with time_machine.travel(datetime.datetime(2026, 11, 1, 12, 0, tzinfo=OSLO), tick=False):
        services.draft_save(actor=people.follower, key=uuid.uuid4(), data={"text": "Gammel"})
    services.draft_save(actor=people.follower, key=uuid.uuid4(), data={"text": "Ny"})
    with time_machine.travel(datetime.datetime(2026, 11, 9, 12, 0, tzinfo=OSLO), tick=False):
        assert services.drafts_expire() == 1
    assert list(ContactDraft.objects.values_list("data__text", flat=True)) == ["Ny"]


# --- flags -------------------------------------------------------------------------------


def _offence(youth: Youth, day: datetime.date, people: People) -> Offence:
    return Offence.objects.create(youth=youth, committed_on=day, kind="theft", registered_by=people.police)


def test_repeated_crime_is_counted_per_calendar_year(people: People) -> None:
    youth = _followup(people, lead=people.follower).youth
    for day in (datetime.date(2025, 10, 1), datetime.date(2025, 11, 1), datetime.date(2025, 12, 30)):
        _offence(youth, day, people)
    _offence(youth, datetime.date(2026, 1, 2), people)
    assert selectors.repeated_crime_years(youth=youth) == []  # four, but across two years
    _offence(youth, datetime.date(2025, 12, 31), people)
    assert selectors.repeated_crime_years(youth=youth) == [2025]


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=OSLO), tick=False)
def test_no_contact_for_fourteen_days_is_flagged(people: People) -> None:
    youth = _followup(people, lead=people.follower).youth
    assert selectors.youth_flags(youth=youth).no_contact  # never contacted
    services.contact_log(
        actor=people.follower, youths=[youth], fields=_fields(occurred_at=timezone.now() - datetime.timedelta(days=13))
    )
    assert not selectors.youth_flags(youth=youth).no_contact
    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, 0, tzinfo=OSLO), tick=False):
        flags = selectors.youth_flags(youth=youth)
    assert flags.no_contact
    assert flags.days_since_contact == 14


def test_younger_siblings_are_flagged_as_at_risk(people: People) -> None:
    from cases.models import Family

    family = Family.objects.create(name="Familien Berg", district=people.district)
    youth = YouthFactory(family=family, birth_date=datetime.date(2010, 3, 1))
    younger = YouthFactory(family=family, birth_date=datetime.date(2014, 6, 1))
    YouthFactory(family=family, birth_date=datetime.date(2008, 1, 1))  # older: not flagged
    assert selectors.siblings_at_risk(youth=youth) == [younger]


def test_register_a_youth_opens_a_follow_up_in_intake(people: People, coordinator) -> None:
    youth = services.youth_register(
        actor=coordinator,
        unit=people.unit,
        data={
            "first_name": "Sara",
            "last_name": "Ali",
            "birth_date": datetime.date(2011, 5, 17),
            "national_id": "17051150058",
            "district": people.unit.district,
        },
    )
    assert youth.followups.get().state == "intake"
    assert access.get(coordinator, Youth, pk=youth.pk) == youth
    with pytest.raises(ValidationError):
        services.youth_register(
            actor=coordinator,
            unit=people.unit,
            data={
                "first_name": "S",
                "last_name": "A",
                "birth_date": datetime.date(2011, 5, 17),
                "national_id": "170511 50058",
                "district": people.unit.district,
            },
        )


def test_a_follower_cannot_register_youths(people: People) -> None:
    with pytest.raises(PermissionDenied):
        services.youth_register(
            actor=people.follower,
            unit=people.unit,
            data={
                "first_name": "A",
                "last_name": "B",
                "birth_date": datetime.date(2011, 1, 1),
                "district": people.unit.district,
            },
        )


def test_an_invalid_national_id_is_refused_in_norwegian(people: People, coordinator) -> None:
    with pytest.raises(ValidationError) as error:
        services.youth_register(
            actor=coordinator,
            unit=people.unit,
            data={
                "first_name": "A",
                "last_name": "B",
                "birth_date": datetime.date(2011, 5, 17),
                "national_id": "17051178917",
                "district": people.unit.district,
            },
        )
    assert "kontrollsifre" in " ".join(error.value.message_dict["national_id"])
