"""Every date and every free text has bounds that fit its purpose (issue 11, defect 12): a date in
year 1 or 9999 and a pasted megabyte are refused on the page, in the API and in the admin (the
model field carries the bound), and the database itself refuses the most important ones when a
write passes no form (CHECK constraints, a backstop wider than the forms' bounds)."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation

from cases.models import Contact, Youth
from core.validators import EARLIEST_BIRTH, NOTE_MAX, PLANNED, RECORDS_START, DateRange
from teams.meetings import services as meeting_services
from teams.models import ActionItem, MinutesRevision, validate_minutes_sections

from ..cases.factories import ContactFactory
from ..conftest import People
from ..factories import YouthFactory
from ..teams.factories_meetings import team_meeting, youth_with_team

APPS = ("cases", "consent", "teams", "referrals", "core")

# Fields that are legitimately without bounds of their own, each with the reason. Everything
# else must have them, so a new field cannot forget (Django's auto_now and auto_now_add fields
# are set from the clock by Django itself and are left out by rule).
UNBOUNDED = {
    # The append-only audit trail: stamped from the clock by core.audit, never typed or edited.
    "core.AuditEvent.at",
    "core.AuditSeal.sealed_at",
    # Notifications are written by code only (core.notifications): the body is made from bounded
    # fields, `calendar` is a generated iCalendar document kept verbatim, the times come from
    # the clock and the outbox's retry schedule. (".*": every field of the model.)
    "core.Notification.*",
    # API tokens: every time stamped from the clock by the token service (an expiry is the
    # issue time plus the token's lifetime).
    "core.ApiToken.*",
    # Stamped by Django's sign-in.
    "core.User.last_login",
    # A KS Fiks document is kept exactly as received (its size is bounded by the import), stamped
    # from the clock.
    "referrals.KsFiksDocument.received_at",
}


def _fields() -> list[tuple[str, models.Field]]:
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.local_concrete_fields:
                found.append((f"{label}.{model.__name__}.{field.name}", field))
    return found


def _allowed(name: str) -> bool:
    return name in UNBOUNDED or f"{name.rsplit('.', 1)[0]}.*" in UNBOUNDED


def _is_clock_stamp(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def test_every_text_field_has_a_max_length() -> None:
    missing = [
        name
        for name, field in _fields()
        if isinstance(field, models.TextField) and field.max_length is None and not _allowed(name)
    ]
    assert missing == []


def test_every_date_field_has_a_date_range() -> None:
    missing = [
        name
        for name, field in _fields()
        if isinstance(field, models.DateField)  # DateTimeField too
        and not _is_clock_stamp(field)
        and not any(isinstance(v, DateRange) for v in field.validators)
        and not _allowed(name)
    ]
    assert missing == []


def test_the_allow_list_names_only_fields_that_exist() -> None:
    names = {name for name, _field in _fields()}
    models_ = {name.rsplit(".", 1)[0] for name in names}
    stale = {entry for entry in UNBOUNDED if entry not in names and entry.removesuffix(".*") not in models_}
    assert stale == set()


# --- The date range --------------------------------------------------------------------------


def test_a_date_range_runs_from_its_earliest_day_to_today_plus_the_days_ahead() -> None:
    today = timezone.localdate()
    PLANNED(RECORDS_START)
    PLANNED(today + datetime.timedelta(days=5 * 366))
    for day in (datetime.date(1, 1, 1), RECORDS_START - datetime.timedelta(days=1), datetime.date(9999, 12, 31)):
        with pytest.raises(ValidationError) as caught:
            PLANNED(day)
        assert caught.value.code == "date_out_of_range"


def test_a_date_time_at_the_ends_of_the_calendar_is_refused_not_an_overflow() -> None:
    for moment in (
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.UTC),
    ):
        with pytest.raises(ValidationError):
            DateRange()(moment)


def test_the_message_names_the_bounds_in_norwegian() -> None:
    with translation.override("nb"), pytest.raises(ValidationError) as caught:
        DateRange(earliest=EARLIEST_BIRTH)(timezone.localdate() + datetime.timedelta(days=1))
    today = timezone.localdate()
    assert caught.value.messages == [f"Velg en dato mellom 01.01.1990 og {today:%d.%m.%Y}."]


def test_minutes_sections_are_bounded_each_and_altogether() -> None:
    validate_minutes_sections({"since_last": "Søren møtte opp."})
    for bad in ({"since_last": "x" * 1_000_000}, {"since_last": 3}, ["not", "a", "dict"]):
        with pytest.raises(ValidationError):
            validate_minutes_sections(bad)
    # Control characters are stored escaped: counted as stored, refused before the database would.
    with pytest.raises(ValidationError):
        validate_minutes_sections({f"s{n}": "\x01" * 40_000 for n in range(3)})


# --- The database refuses what passes no form ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model_field", "value"),
    [
        ("task_due_on", datetime.date(9999, 12, 31)),
        ("task_due_on", datetime.date(1, 1, 1)),
        ("occurred_at", datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC)),
        ("text", "x" * 1_000_000),
    ],
)
def test_the_database_refuses_a_contact_out_of_bounds(model_field: str, value: object) -> None:
    contact = ContactFactory(task="Ring skolen")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(**{model_field: value})


@pytest.mark.django_db
def test_the_database_refuses_a_megabyte_safety_note_and_a_birth_date_in_year_1() -> None:
    youth = YouthFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Youth.objects.filter(pk=youth.pk).update(safety_notes="x" * (NOTE_MAX + 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Youth.objects.filter(pk=youth.pk).update(birth_date=datetime.date(1, 1, 1))
    youth.refresh_from_db()
    assert youth.safety_notes == ""


@pytest.mark.django_db
def test_the_database_refuses_minutes_of_a_megabyte_and_an_action_item_due_in_year_9999(people: People) -> None:
    youth = youth_with_team(people.unit, lead=people.follower)
    meeting = team_meeting(people.follower, youth, people.unit)
    item = meeting_services.action_item_add(
        actor=people.follower, meeting=meeting, title="Ring skolen", owner=people.follower, due_on=timezone.localdate()
    )
    revision = meeting_services.minutes_save(
        actor=people.follower, meeting=meeting, sections={"since_last": "Kort."}, decisions="", base_revision=0
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(due_on=datetime.date(9999, 12, 31))
    # Revisions are append-only: a new one, written past the service.
    row = {"minutes": revision.minutes, "number": 2, "version": 1, "saved_by": people.follower}
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesRevision.objects.create(**row, sections={"since_last": "x" * 1_000_000})
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesRevision.objects.create(**row, decisions="x" * 1_000_000)
    assert MinutesRevision.objects.count() == 1
