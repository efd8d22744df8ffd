"""The concern report's transition table (referrals.models.CONCERN_TRANSITIONS) drives its
services and tells the page which steps are open (concern_services.available_actions)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from referrals.concerns.serializers import ConcernReportSerializer
from referrals.concerns.services import (
    available_actions,
    concern_report_close_uninvestigated,
    concern_report_conclude,
    concern_report_extend_investigation,
    concern_report_open_investigation,
)
from referrals.models import CONCERN_TRANSITIONS, ConcernReport
from tests.referrals.test_concern_services import Barnevern, make_barnevern, receive

State = ConcernReport.State


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def bv(db: None) -> Barnevern:
    return make_barnevern()


def test_every_state_of_the_table_is_a_state_of_the_model() -> None:
    for step in CONCERN_TRANSITIONS.values():
        assert step.sources <= set(State.values)
        assert step.target is None or step.target in State.values


def test_a_closed_report_is_refused_every_review_step_with_the_tables_message(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    report = concern_report_close_uninvestigated(actor=bv.caseworker, report=report, reason="Ikke grunnlag.")
    assert report.state == State.CLOSED_UNINVESTIGATED
    assert available_actions(report) == ["feedback_opening"]
    with pytest.raises(ValidationError) as refused:
        concern_report_open_investigation(actor=bv.caseworker, report=report)
    assert refused.value.messages == ["The report has already been reviewed."]
    with pytest.raises(ValidationError) as refused:
        concern_report_extend_investigation(actor=bv.caseworker, report=report, reason="Grunn.")
    assert refused.value.messages == ["Only an ongoing investigation can be extended."]
    with pytest.raises(ValidationError) as refused:
        concern_report_conclude(actor=bv.caseworker, report=report, measures=False, conclusion="Slutt.")
    assert refused.value.messages == ["Only an ongoing investigation can be concluded."]
    report.refresh_from_db()
    assert report.state == State.CLOSED_UNINVESTIGATED


def test_the_open_steps_follow_the_report_through_its_states(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    assert available_actions(report) == ["close", "open"]
    report = concern_report_open_investigation(actor=bv.caseworker, report=report)
    assert available_actions(report) == ["extend", "conclude", "conclude_measures", "feedback_opening", "intake"]
    report = concern_report_extend_investigation(actor=bv.caseworker, report=report, reason="Venter på BUP.")
    assert "extend" not in available_actions(report)
    report = concern_report_conclude(
        actor=bv.caseworker, report=report, measures=True, conclusion="Tiltak.", contact_person=bv.measures_worker
    )
    assert report.state == State.MEASURES
    assert available_actions(report) == ["feedback_opening", "handover", "intake"]


def test_a_report_about_violence_offers_telling_the_guardians_until_it_is_recorded(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit, kind=ConcernReport.Kind.VIOLENCE)
    assert "guardians" in available_actions(report)


def test_the_api_lists_the_steps_the_reports_state_opens(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    assert ConcernReportSerializer(report).data["actions"] == ["close", "open"]
