"""The record pages: offences, criminal-justice steps with reporting dates, attendance, and
outcome measures. Wiring: status codes, templates, access (outsider 404, no right 403), and
that a broken rule gives the form back with status 400 and everything typed kept."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from guardian.shortcuts import assign_perm

from cases import selectors
from cases.models import JusticeStep, Offence, OutcomeMeasure, ReportingDate
from core.models import AuditEvent

from ..conftest import People
from .helpers_records import followup_for, oslo

pytestmark = pytest.mark.django_db

NOW = oslo(2026, 3, 10, 12, 0)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def followup(people: People):
    return followup_for(people.unit, lead=people.follower, family=people.teammate)


def _offence(client: Client, youth_id: int, day: str, **extra: str):
    data = {"kind": "theft", "committed_on": day, "police_reference": "", "description": ""} | extra
    return client.post(f"/ungdommer/{youth_id}/lovbrudd/ny/", data)


# --- Offences ----------------------------------------------------------------------------


def test_the_follower_registers_an_offence_and_returns_to_the_youth(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    youth = followup.youth
    page = client.get(f"/ungdommer/{youth.pk}/lovbrudd/ny/")
    assert page.status_code == 200
    assert "cases/offence_form.html" in [t.name for t in page.templates]
    response = _offence(client, youth.pk, "2026-03-01", police_reference="14567890", description="Butikktyveri")
    assert response.status_code == 302
    assert response["Location"] == f"/ungdommer/{youth.pk}/"
    offence = Offence.objects.get(youth=youth)
    assert (offence.kind, offence.police_reference, offence.registered_by) == ("theft", "14567890", people.follower)
    assert AuditEvent.objects.filter(action="offence.registered", youth_id=youth.pk).exists()


def test_an_outsider_gets_404_on_every_record_page(as_user, people: People, followup) -> None:
    client = as_user(people.outsider)
    youth = followup.youth
    step = JusticeStep.objects.create(
        youth=youth, kind="reporting_duty", starts_on=datetime.date(2026, 3, 1), registered_by=people.follower
    )
    date = ReportingDate.objects.create(step=step, due_at=oslo(2026, 3, 11, 14, 0))
    for url in (
        f"/ungdommer/{youth.pk}/lovbrudd/ny/",
        f"/ungdommer/{youth.pk}/straffesak/ny/",
        f"/ungdommer/{youth.pk}/maling/ny/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert client.post(f"/ungdommer/meldeplikt/{date.pk}/oppmott/", {"attended": "yes"}).status_code == 404
    assert client.post("/ungdommer/meldeplikt/999999/oppmott/", {"attended": "yes"}).status_code == 404
    assert not Offence.objects.exists()
    date.refresh_from_db()
    assert date.attended is None


def test_someone_who_may_see_but_not_register_gets_403(as_user, people: People, followup) -> None:
    # The police contact sees the youth through a team grant, but is not on the follow-up.
    assign_perm("cases.view_youth", people.police, followup.youth)
    client = as_user(people.police)
    assert _offence(client, followup.youth_id, "2026-03-01").status_code == 403
    assert not Offence.objects.exists()


def test_an_offence_in_the_future_is_refused_and_what_was_typed_is_kept(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    response = _offence(client, followup.youth_id, "2026-04-01", police_reference="REF-778899", description="Ran")
    assert response.status_code == 400
    form = response.context["form"]
    assert "committed_on" in form.errors
    page = response.content.decode()
    assert 'value="REF-778899"' in page
    assert "Ran</textarea>" in page
    assert not Offence.objects.exists()


def test_a_malformed_offence_form_is_a_400(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    response = _offence(client, followup.youth_id, "not a date", kind="arson")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"committed_on", "kind"}


def test_four_offences_in_one_calendar_year_flag_repeated_crime(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    for day in ("2025-01-10", "2025-04-02", "2025-08-15", "2025-12-31"):
        assert _offence(client, followup.youth_id, day).status_code == 302
    assert selectors.repeated_crime_years(youth=followup.youth) == [2025]
    page = client.get(f"/ungdommer/{followup.youth_id}/lovbrudd/ny/")
    assert page.context["repeated_crime_years"] == [2025]


def test_three_and_one_offences_across_two_years_are_not_repeated_crime(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    for day in ("2024-03-01", "2024-06-01", "2024-12-31", "2025-01-01"):
        assert _offence(client, followup.youth_id, day).status_code == 302
    assert Offence.objects.filter(youth=followup.youth).count() == 4
    assert selectors.repeated_crime_years(youth=followup.youth) == []


# --- Criminal-justice steps and reporting dates ------------------------------------------


def _step(client: Client, youth_id: int, **data: str):
    base = {"kind": "reporting_duty", "starts_on": "2026-03-01", "ends_on": "", "note": ""}
    return client.post(f"/ungdommer/{youth_id}/straffesak/ny/", base | data)


def test_a_reporting_duty_is_registered_with_weekly_dates_in_oslo_time(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    assert client.get(f"/ungdommer/{followup.youth_id}/straffesak/ny/").status_code == 200
    response = _step(
        client,
        followup.youth_id,
        reporting_first_on="2026-03-19",
        reporting_time="14:00",
        reporting_count="3",
        reporting_extra="15.04.2026 09.30",
        reporting_place="Grønland politistasjon",
    )
    assert response.status_code == 302, response.content
    assert response["Location"] == f"/ungdommer/{followup.youth_id}/"
    step = JusticeStep.objects.get(youth=followup.youth)
    assert step.kind == "reporting_duty"
    dates = list(step.reporting_dates.order_by("due_at"))
    # Across the change to summer time (29 March), still 14.00 on the clock in Oslo.
    assert [d.due_at for d in dates] == [
        oslo(2026, 3, 19, 14, 0),
        oslo(2026, 3, 26, 14, 0),
        oslo(2026, 4, 2, 14, 0),
        oslo(2026, 4, 15, 9, 30),
    ]
    assert {d.place for d in dates} == {"Grønland politistasjon"}
    assert AuditEvent.objects.filter(action="justice_step.added", youth_id=followup.youth_id).exists()


@pytest.mark.parametrize("kind", ["fast_track", "youth_follow_up", "youth_sentence"])
def test_other_steps_need_no_reporting_dates(as_user, people: People, followup, kind: str) -> None:
    client = as_user(people.follower)
    response = _step(client, followup.youth_id, kind=kind, ends_on="2026-09-01", note="Konfliktrådet")
    assert response.status_code == 302
    step = JusticeStep.objects.get(youth=followup.youth)
    assert (step.kind, step.ends_on) == (kind, datetime.date(2026, 9, 1))
    assert not step.reporting_dates.exists()


def test_a_reporting_duty_without_dates_is_refused(as_user, people: People, followup) -> None:
    response = _step(as_user(people.follower), followup.youth_id, note="Møt opp hver torsdag")
    assert response.status_code == 400
    assert "reporting_first_on" in response.context["form"].errors
    assert "Møt opp hver torsdag</textarea>" in response.content.decode()
    assert not JusticeStep.objects.exists()


def test_reporting_dates_on_another_kind_of_step_come_back_from_the_service(as_user, people: People, followup) -> None:
    response = _step(
        as_user(people.follower),
        followup.youth_id,
        kind="fast_track",
        reporting_first_on="2026-03-19",
        reporting_time="14:00",
        reporting_place="Grønland",
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert 'value="Grønland"' in response.content.decode()
    assert not JusticeStep.objects.exists()


def test_bad_reporting_dates_are_form_errors(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    response = _step(client, followup.youth_id, reporting_extra="neste torsdag", reporting_count="2")
    assert response.status_code == 400
    assert {"reporting_extra", "reporting_first_on", "reporting_time"} <= set(response.context["form"].errors)
    response = _step(client, followup.youth_id, ends_on="2026-02-01", reporting_extra="19.03.2026 14.00")
    assert response.status_code == 400
    assert not JusticeStep.objects.exists()


def _reporting_date(people: People, followup) -> ReportingDate:
    step = JusticeStep.objects.create(
        youth=followup.youth, kind="reporting_duty", starts_on=datetime.date(2026, 3, 1), registered_by=people.follower
    )
    return ReportingDate.objects.create(step=step, due_at=oslo(2026, 3, 10, 9, 0), place="Grønland")


def test_the_follower_records_attendance(as_user, people: People, followup) -> None:
    date = _reporting_date(people, followup)
    client = as_user(people.follower)
    url = f"/ungdommer/meldeplikt/{date.pk}/oppmott/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"attended": "no"})
    assert response.status_code == 302
    assert response["Location"] == f"/ungdommer/{followup.youth_id}/"
    date.refresh_from_db()
    assert date.attended is False
    assert AuditEvent.objects.filter(action="reporting_date.recorded", youth_id=followup.youth_id).exists()


def test_attendance_with_htmx_answers_with_the_fragment(as_user, people: People, followup) -> None:
    date = _reporting_date(people, followup)
    client = as_user(people.follower)
    url = f"/ungdommer/meldeplikt/{date.pk}/oppmott/"
    response = client.post(url, {"attended": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["cases/justice_reporting_date.html"]
    assert f'id="reporting-date-{date.pk}"' in response.content.decode()
    date.refresh_from_db()
    assert date.attended is True
    assert client.post(url, {"attended": "maybe"}, HTTP_HX_REQUEST="true").status_code == 400


def test_attendance_by_someone_not_on_the_follow_up_is_403(as_user, people: People, followup) -> None:
    date = _reporting_date(people, followup)
    # The unit's leader sees the youth but does not log for it.
    response = as_user(people.leader).post(f"/ungdommer/meldeplikt/{date.pk}/oppmott/", {"attended": "yes"})
    assert response.status_code == 403
    date.refresh_from_db()
    assert date.attended is None


# --- Outcome measures --------------------------------------------------------------------


def _outcome(client: Client, youth_id: int, **extra: str):
    data = {
        "measured_on": "2026-03-09",
        "phase": "start",
        "school_attendance": "72",
        "offences_last_period": "1",
        "substance_use": "some",
        "organised_activity": "on",
        "occupation": "school",
        "note": "",
    } | extra
    return client.post(f"/ungdommer/{youth_id}/maling/ny/", data)


def test_the_follower_records_an_outcome_measure(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    page = client.get(f"/ungdommer/{followup.youth_id}/maling/ny/")
    assert page.status_code == 200
    assert page.context["form"].initial["phase"] == "start"
    response = _outcome(client, followup.youth_id)
    assert response.status_code == 302
    assert response["Location"] == f"/ungdommer/{followup.youth_id}/"
    measure = OutcomeMeasure.objects.get(followup=followup)
    assert (measure.school_attendance, measure.substance_use, measure.organised_activity) == (72, "some", True)
    assert measure.recorded_by == people.follower
    # After the start measure, the next one is a quarterly measure by default.
    assert client.get(f"/ungdommer/{followup.youth_id}/maling/ny/").context["form"].initial["phase"] == "quarterly"


def test_an_impossible_outcome_measure_is_refused_and_kept(as_user, people: People, followup) -> None:
    client = as_user(people.follower)
    response = _outcome(client, followup.youth_id, school_attendance="150", note="Fravær i mars")
    assert response.status_code == 400
    assert "school_attendance" in response.context["form"].errors
    assert "Fravær i mars</textarea>" in response.content.decode()
    response = _outcome(client, followup.youth_id, measured_on="2026-05-01")
    assert response.status_code == 400
    assert "measured_on" in response.context["form"].errors
    assert not OutcomeMeasure.objects.exists()


def test_an_outcome_measure_needs_an_open_follow_up(as_user, people: People, followup) -> None:
    client = as_user(people.leader)
    followup.state = "closed"
    followup.closing_reason = "moved"
    followup.closing_summary = "Flyttet til Bergen."
    followup.ended_on = datetime.date(2026, 3, 1)
    followup.save()
    response = _outcome(client, followup.youth_id, phase="end")
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not OutcomeMeasure.objects.exists()
