"""The demo's concern reports and schools' barnevern contacts (demo/concerns.py): every
state and routine of issue #7 is there, laid out so that it still makes sense in December 2026,
and a second run changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils import translation

from cases.models import Contact
from core.models import AuditEvent, Notification, User
from demo import builders as demo
from demo import steps
from demo.concerns import SPECS
from demo.followups import DEMO_TODAY
from demo.meetings import SHOWN_FROM
from org.models import StaffRole, Unit
from referrals.concerns import deadlines, ksfiks
from referrals.concerns.services import guardian_output_check
from referrals.models import (
    ConcernReport,
    ConcernReportChild,
    ConcernReportEvent,
    ConcernReportGuardian,
    SchoolContact,
)
from teams.models import MeetingParticipant


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Rules are asserted on the English source messages, whatever the catalogue holds (pages and
    API answers are in bokmål through the middleware whatever is active here)."""
    with translation.override("en"):
        yield


OSLO = ZoneInfo("Europe/Oslo")
State = ConcernReport.State
Kind = ConcernReport.Kind
Channel = ConcernReport.Channel
CASEWORKER = "caseworker@demo.laget.no"
SCHOOL_CONTACT = "school@demo.laget.no"
CONCERN_MODELS: list[type[Model]] = [
    SchoolContact,
    ConcernReport,
    ConcernReportChild,
    ConcernReportGuardian,
    ConcernReportEvent,
]


def _local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(OSLO).date()


def _statuses(report: ConcernReport, day: datetime.date) -> dict[str, str]:
    return {deadline.key: deadline.status for deadline in deadlines.deadlines_for(report, today=day)}


def test_reports_exist_in_every_state_in_each_full_district(seeded: demo.DemoResult) -> None:
    assert seeded.counts["concern reports"] == ConcernReport.objects.count() == len(SPECS)
    states = Counter(ConcernReport.objects.filter(unit__district__number=demo.DEMO_DISTRICT).values_list("state"))
    assert {state for (state,) in states} == set(State.values)
    for plan in demo.FULL_DISTRICTS:
        assert ConcernReport.objects.filter(unit__district__number=plan.number, unit__kind=Unit.Kind.BARNEVERN).count()
    assert set(ConcernReport.objects.values_list("channel", flat=True)) >= {
        Channel.SCHOOL_FORM,
        Channel.PHONE,
        Channel.LETTER,
        Channel.KS_FIKS,
    }


def test_one_review_is_overdue_and_one_report_came_in_days_ago_both_the_demo_caseworkers(
    seeded: demo.DemoResult,
) -> None:
    caseworker = User.objects.get(email=CASEWORKER)
    waiting = ConcernReport.objects.filter(state=State.RECEIVED, unit__district__number=demo.DEMO_DISTRICT)
    overdue = [
        report
        for report in waiting
        if _statuses(report, DEMO_TODAY)[deadlines.REVIEW] == deadlines.OVERDUE
        and _local_day(report.received_at) + datetime.timedelta(days=7) < SHOWN_FROM
    ]
    [late] = overdue
    assert late.caseworker == caseworker
    assert late.reviewed_at is None
    recent = [report for report in waiting if 2 <= (DEMO_TODAY - _local_day(report.received_at)).days <= 4]
    assert recent
    assert all(report.caseworker == caseworker for report in recent)
    # The demo caseworker has several reports, in several states.
    mine = ConcernReport.objects.filter(caseworker=caseworker)
    assert mine.count() >= 6
    assert len(set(mine.values_list("state", flat=True))) >= 4


def test_nothing_else_is_overdue_on_demo_today(seeded: demo.DemoResult) -> None:
    overdue = [
        (report.pk, deadline.key)
        for report in ConcernReport.objects.all()
        for deadline in deadlines.deadlines_for(report, today=DEMO_TODAY)
        if deadline.status == deadlines.OVERDUE
    ]
    [(_, key)] = overdue
    assert key == deadlines.REVIEW


def test_closed_reports_have_their_reason_or_conclusion_and_the_dates_in_order(seeded: demo.DemoResult) -> None:
    for report in ConcernReport.objects.all():
        received = _local_day(report.received_at)
        assert report.events.filter(action="received", at=report.received_at).exists()
        assert all(_local_day(event.at) <= DEMO_TODAY for event in report.events.all())
        if report.state == State.RECEIVED:
            assert report.reviewed_at is None
            assert report.investigation_started_on is None
            continue
        assert report.reviewed_at is not None
        # Reviewed within the week (§ 2-1), receipt within three weeks.
        assert _local_day(report.reviewed_at) <= deadlines.review_due(received)
        assert report.receipt_sent_at is not None
        assert _local_day(report.receipt_sent_at) <= received + datetime.timedelta(days=21)
        if report.state == State.CLOSED_UNINVESTIGATED:
            assert report.closing_reason
            assert report.events.filter(action="closed_uninvestigated", note=report.closing_reason).exists()
            continue
        assert report.investigation_started_on is not None
        assert report.events.filter(action="investigation_opened").exists()
        if report.state in (State.CLOSED, State.MEASURES):
            assert report.conclusion
            assert report.investigation_concluded_on is not None
            # Concluded in time: 3 (or 6) months from the day the report was received (§ 2-2).
            assert report.investigation_concluded_on <= deadlines.investigation_due(
                received, extended=report.investigation_extended
            )
            action = "measures" if report.state == State.MEASURES else "concluded"
            assert report.events.filter(action=action, note=report.conclusion).exists()


def test_one_investigation_is_extended_to_six_months_with_a_special_reason(seeded: demo.DemoResult) -> None:
    [extended] = ConcernReport.objects.filter(investigation_extended=True)
    assert extended.state == State.INVESTIGATING
    assert len(extended.extension_reason) > 40
    assert extended.investigation_started_on is not None
    received = _local_day(extended.received_at)
    three_months = deadlines.investigation_due(received, extended=False)
    six_months = deadlines.investigation_due(received, extended=True)
    # Without the extension the investigation would be overdue; with it, it is still running.
    assert three_months < DEMO_TODAY < SHOWN_FROM < six_months
    event = extended.events.get(action="investigation_extended")
    assert event.note == extended.extension_reason
    assert _local_day(event.at) < three_months
    assert _statuses(extended, SHOWN_FROM)[deadlines.INVESTIGATION] in (deadlines.OPEN, deadlines.WARNING)


def test_the_violence_report_tells_no_guardian_and_blocks_guardian_facing_output(seeded: demo.DemoResult) -> None:
    pending = ConcernReport.objects.filter(kind=Kind.VIOLENCE, guardians_may_be_told_at__isnull=True)
    [violence] = pending
    assert violence.unit.district is not None
    assert violence.unit.district.number == demo.DEMO_DISTRICT
    assert violence.caseworker is not None
    assert violence.caseworker.email == CASEWORKER
    assert not violence.guardians_may_be_told
    guardians = list(violence.guardians.all())
    assert guardians
    assert all(not guardian.informed and guardian.informed_reason for guardian in guardians)
    assert not violence.events.filter(action="guardians_may_be_told").exists()
    with pytest.raises(PermissionDenied):
        guardian_output_check(report=violence)

    # Another district's violence report, where a caseworker has recorded that they may be told.
    told = ConcernReport.objects.get(kind=Kind.VIOLENCE, guardians_may_be_told_at__isnull=False)
    assert told.guardians_may_be_told_by is not None
    assert told.events.filter(action="guardians_may_be_told", actor=told.guardians_may_be_told_by).exists()
    guardian_output_check(report=told)


def test_the_new_report_in_an_active_case_is_linked_to_an_ongoing_case_about_the_same_child(
    seeded: demo.DemoResult,
) -> None:
    [later] = ConcernReport.objects.filter(kind=Kind.ACTIVE_CASE)
    case = later.active_case
    assert case is not None
    assert case.state in (State.INVESTIGATING, State.MEASURES)
    assert case.received_at < later.received_at
    assert set(later.children.values_list("youth", flat=True)) == set(case.children.values_list("youth", flat=True))
    # Its own clock: opened on its own day, not the case's.
    assert later.investigation_started_on is not None
    assert case.investigation_started_on is not None
    assert later.investigation_started_on > case.investigation_started_on


def test_each_school_has_one_active_contact_in_its_districts_barnevern(seeded: demo.DemoResult) -> None:
    schools = Unit.objects.filter(kind=Unit.Kind.SCHOOL)
    assert schools.count() == sum(len(plan.schools) for plan in demo.FULL_DISTRICTS)
    for school in schools:
        [contact] = SchoolContact.objects.filter(school=school, ends_on__isnull=True)
        assert contact.barnevern_unit.kind == Unit.Kind.BARNEVERN
        assert contact.barnevern_unit.district_id == school.district_id
        assert StaffRole.objects.filter(
            user=contact.contact, unit=contact.barnevern_unit, role=StaffRole.Role.CASEWORKER, ends_on__isnull=True
        ).exists()
    school_user = User.objects.get(email=SCHOOL_CONTACT)
    demo_school = StaffRole.objects.get(user=school_user, role=StaffRole.Role.SCHOOL_CONTACT).unit
    active = SchoolContact.objects.get(school=demo_school, ends_on__isnull=True)
    assert active.contact.email == CASEWORKER
    # The history: an earlier contact, ended the day before the present one started.
    earlier = SchoolContact.objects.get(school=demo_school, ends_on__isnull=False)
    assert earlier.ends_on == active.starts_on - datetime.timedelta(days=1)


def test_the_demo_school_contacts_reports_have_feedback_in_several_stages(seeded: demo.DemoResult) -> None:
    school_user = User.objects.get(email=SCHOOL_CONTACT)
    reports = list(ConcernReport.objects.filter(reporter_user=school_user))
    assert len(reports) >= 4
    assert all(report.channel == Channel.SCHOOL_FORM and report.reporter_unit is not None for report in reports)
    assert all(report.reporter_kind == ConcernReport.ReporterKind.PUBLIC for report in reports)
    stages = {
        (
            report.receipt_sent_at is not None,
            report.opening_feedback_sent_at is not None,
            report.conclusion_feedback_sent_at is not None,
        )
        for report in reports
    }
    assert {(False, False, False), (True, True, False), (True, True, True)} <= stages
    assert any(report.kind == Kind.VIOLENCE for report in reports)
    # A school's report goes to the school's fixed contact.
    for report in ConcernReport.objects.filter(reporter_unit__kind=Unit.Kind.SCHOOL, state=State.RECEIVED):
        contact = SchoolContact.objects.get(school=report.reporter_unit, ends_on__isnull=True)
        assert report.caseworker == contact.contact


def test_a_ks_fiks_report_and_a_neighbours_call_about_a_child_not_registered(seeded: demo.DemoResult) -> None:
    ks_fiks = ConcernReport.objects.filter(channel=Channel.KS_FIKS)
    assert ks_fiks.exists()
    assert all(report.sent_at and report.delivery_channel for report in ks_fiks)
    [call] = ConcernReport.objects.filter(channel=Channel.PHONE, reporter_relation="nabo")
    assert call.reporter_kind == ConcernReport.ReporterKind.PRIVATE
    [child] = call.children.all()
    assert child.youth is None
    assert not child.national_id
    assert child.assumed_age
    # Mostly registered youths, some of them in one-to-one follow-up with the demo follower.
    children = ConcernReportChild.objects.all()
    assert children.filter(youth__isnull=False).count() >= len(SPECS) - 2
    assert children.filter(youth__followups__assignments__user__email="follower@demo.laget.no").exists()


def test_every_report_exports_as_valid_ks_fiks_json(seeded: demo.DemoResult) -> None:
    for report in ConcernReport.objects.prefetch_related("children", "guardians"):
        document = ksfiks.export_report(report=report)
        assert document["melding"]


def test_measures_have_a_new_contact_person_and_one_has_the_handover_gap(seeded: demo.DemoResult) -> None:
    measures = list(ConcernReport.objects.filter(state=State.MEASURES))
    assert len(measures) >= 2
    gaps = []
    for report in measures:
        contact = report.contact_person
        assert contact is not None
        assert report.measures_started_on is not None
        assert contact != report.caseworker
        youths = [child.youth_id for child in report.children.all() if child.youth_id]
        after = datetime.datetime.combine(report.measures_started_on, datetime.time(), tzinfo=OSLO)
        active = (
            report.events.filter(actor=contact, at__gte=after).exists()
            or Contact.objects.filter(author=contact, youth__in=youths, occurred_at__gte=after).exists()
            or MeetingParticipant.objects.filter(
                user=contact, present=True, meeting__youth__in=youths, meeting__starts_at__gte=after
            ).exists()
        )
        if not active:
            gaps.append(report)
    [gap] = gaps
    assert gap.unit.district is not None
    assert gap.unit.district.number == demo.DEMO_DISTRICT
    assert gap.measures_started_on is not None
    assert gap.measures_started_on + datetime.timedelta(days=21) < DEMO_TODAY


def test_a_second_run_changes_no_concern_row_and_records_nothing(seeded: demo.DemoResult) -> None:
    def contents() -> list[list[dict[str, object]]]:
        return [list(model._default_manager.order_by("pk").values()) for model in CONCERN_MODELS]

    before = contents()
    result = steps.build(seed=2026)

    assert contents() == before
    assert result.counts["concern reports"] == seeded.counts["concern reports"]
    assert result.counts["schools' barnevern contacts"] == Unit.objects.filter(kind=Unit.Kind.SCHOOL).count()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.exists()
