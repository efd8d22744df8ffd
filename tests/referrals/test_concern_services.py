"""Concern report services (referrals.concerns.services): receiving a report and each step of its
way, the violence routine's guard on guardian-facing output, the policy, and the reporter's view."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation

from core import access
from core.models import AuditEvent, Notification, User
from org.models import StaffRole, Unit
from referrals.concerns import selectors as concern_selectors
from referrals.concerns.services import (
    concern_report_assign,
    concern_report_child_link,
    concern_report_child_link_check,
    concern_report_close_uninvestigated,
    concern_report_conclude,
    concern_report_extend_investigation,
    concern_report_feedback_sent,
    concern_report_guardians_may_be_told,
    concern_report_open_investigation,
    concern_report_receive,
    guardian_output_check,
)
from referrals.models import ConcernReport, ConcernReportEvent, SchoolContact
from tests.factories import DistrictFactory, StaffRoleFactory, UnitFactory, YouthFactory


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Rules are asserted on the English source messages, whatever the catalogue holds (pages and
    API answers are in bokmål through the middleware whatever is active here)."""
    with translation.override("en"):
        yield


Kind = ConcernReport.Kind
State = ConcernReport.State


@dataclass
class Barnevern:
    unit: Unit
    other_unit: Unit
    school: Unit
    caseworker: User
    colleague: User
    leader: User
    school_contact: User
    school_teacher: User
    fixed_contact: User
    measures_worker: User
    outsider: User


@pytest.fixture
def bv(db: None) -> Barnevern:
    return make_barnevern()


def make_barnevern() -> Barnevern:
    """A barnevern unit with two caseworkers and a leader, a school with its school contact, a
    teacher and its fixed barnevern contact, a caseworker in another unit (measures) and an
    outsider (a leader in another district's barnevern)."""
    bjerke = DistrictFactory(number=9, name="Bjerke")
    alna = DistrictFactory(number=12, name="Alna")
    unit = UnitFactory(name="Barneverntjenesten Bjerke", district=bjerke, kind=Unit.Kind.BARNEVERN)
    other = UnitFactory(name="Barneverntjenesten Alna", district=alna, kind=Unit.Kind.BARNEVERN)
    school = UnitFactory(name="Tonsenhagen skole", district=bjerke, kind=Unit.Kind.SCHOOL)
    caseworker = StaffRoleFactory(unit=unit, role=StaffRole.Role.CASEWORKER, user__full_name="Kari Caseworker").user
    colleague = StaffRoleFactory(unit=unit, role=StaffRole.Role.CASEWORKER, user__full_name="Kai Colleague").user
    leader = StaffRoleFactory(unit=unit, role=StaffRole.Role.LEADER, user__full_name="Liv Leader").user
    fixed = StaffRoleFactory(unit=unit, role=StaffRole.Role.CASEWORKER, user__full_name="Frida Fixed").user
    measures = StaffRoleFactory(unit=other, role=StaffRole.Role.CASEWORKER, user__full_name="Mona Measures").user
    school_contact = StaffRoleFactory(
        unit=school, role=StaffRole.Role.SCHOOL_CONTACT, user__full_name="Sara School"
    ).user
    teacher = StaffRoleFactory(unit=school, role=StaffRole.Role.OTHER_SERVICE, user__full_name="Tor Teacher").user
    outsider = StaffRoleFactory(unit=other, role=StaffRole.Role.LEADER, user__full_name="Olav Outsider").user
    SchoolContact.objects.create(school=school, barnevern_unit=unit, contact=fixed, starts_on=datetime.date(2024, 1, 1))
    return Barnevern(
        unit, other, school, caseworker, colleague, leader, school_contact, teacher, fixed, measures, outsider
    )


def receive(actor: Any, unit: Unit, **overrides: Any) -> ConcernReport:
    values: dict[str, Any] = {
        "actor": actor,
        "unit": unit,
        "channel": ConcernReport.Channel.PHONE,
        "reporter_kind": ConcernReport.ReporterKind.PUBLIC,
        "reporter": {"name": "Trude Lærer", "role": "Kontaktlærer", "organisation": "Tonsenhagen skole"},
        "children": [{"name": "Barn Barnesen", "informed": True}],
        "guardians": [{"name": "Foresatt Foresatt", "informed": True}],
        "kind": Kind.ORDINARY,
        "concern": "Eleven har vært borte fra skolen i tre uker.",
    }
    values.update(overrides)
    return concern_report_receive(**values)


def actions(report: ConcernReport) -> list[str]:
    return list(ConcernReportEvent.objects.filter(report=report).values_list("action", flat=True))


def audited(action: str, report: ConcernReport) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(report.pk)).exists()


# --- Receiving -----------------------------------------------------------------------------------


def test_a_received_report_is_stored_whole_with_an_event_and_an_audit_entry(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit, history="Fravær siden høstferien.", other_views="Ingen.")
    assert report.state == State.RECEIVED
    assert report.children.count() == 1
    assert report.guardians.get().informed is True
    assert actions(report) == ["received"]
    assert audited("concern_report.received", report)


def test_any_staff_member_may_send_a_report_without_a_leaders_approval(bv: Barnevern) -> None:
    report = receive(
        bv.school_teacher,
        bv.unit,
        channel=ConcernReport.Channel.SCHOOL_FORM,
        reporter={
            "name": "Tor Teacher",
            "organisation": "Tonsenhagen skole",
            "user": bv.school_teacher,
            "unit": bv.school,
        },
        children=[{"name": "Barn Barnesen", "informed": False, "informed_reason": "Redd for reaksjon hjemme."}],
        guardians=[{"name": "Foresatt", "informed": False, "informed_reason": "Ikke nådd."}],
    )
    assert report.reporter_user == bv.school_teacher


def test_someone_without_any_role_may_not_send_a_report(bv: Barnevern) -> None:
    nobody = User.objects.create_user(email="nobody@example.no", password="x" * 20, full_name="Nobody")
    with pytest.raises(PermissionDenied):
        receive(nobody, bv.unit)


def test_a_report_from_a_school_goes_to_the_schools_fixed_barnevern_contact(bv: Barnevern) -> None:
    report = receive(
        bv.school_contact,
        bv.unit,
        channel=ConcernReport.Channel.SCHOOL_FORM,
        reporter={
            "name": "Sara School",
            "organisation": "Tonsenhagen skole",
            "user": bv.school_contact,
            "unit": bv.school,
        },
    )
    assert report.caseworker == bv.fixed_contact
    assert Notification.objects.filter(recipient=bv.fixed_contact).count() == 1


def test_bad_input_is_refused_with_messages_per_field_and_nothing_is_saved(bv: Barnevern) -> None:
    with pytest.raises(ValidationError) as refused:
        receive(
            bv.caseworker,
            bv.unit,
            channel=ConcernReport.Channel.LAGET,
            reporter={"name": "", "email": "not-an-address"},
            children=[{"name": "", "national_id": "12345678901"}, {"name": "Bror", "informed": False}],
            guardians=[],
            concern="   ",
        )
    errors = refused.value.message_dict
    assert {"reporter_name", "reporter_email", "reporter_organisation", "children", "guardians", "concern"} <= set(
        errors
    )
    assert any("Child 1" in message for message in errors["children"])
    assert any("Child 2" in message for message in errors["children"])
    assert ConcernReport.objects.count() == 0


def test_a_report_must_go_to_a_barnevern_service(bv: Barnevern) -> None:
    with pytest.raises(ValidationError) as refused:
        receive(bv.caseworker, bv.school)
    assert "unit" in refused.value.message_dict


def test_a_report_cannot_be_received_in_the_future(bv: Barnevern) -> None:
    with pytest.raises(ValidationError) as refused:
        receive(bv.caseworker, bv.unit, received_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))
    assert "received_at" in refused.value.message_dict


def test_attachments_are_pdf_or_images_recognised_by_their_first_bytes(bv: Barnevern) -> None:
    pdf = SimpleUploadedFile("notat.pdf", b"%PDF-1.7 notat", content_type="application/pdf")
    report = receive(bv.caseworker, bv.unit, attachments=[pdf])
    assert report.attachments.get().content_type == "application/pdf"
    fake = SimpleUploadedFile("bilde.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        receive(bv.caseworker, bv.unit, attachments=[fake])
    assert "attachments" in refused.value.message_dict
    assert ConcernReport.objects.count() == 1


def test_linking_a_youth_the_reporter_cannot_see_is_refused(bv: Barnevern) -> None:
    youth = YouthFactory()
    with pytest.raises(PermissionDenied):
        receive(bv.school_teacher, bv.unit, children=[{"youth": youth, "informed": True}])
    # Barnevern staff of the receiving unit register reports about the youths they are told of.
    report = receive(bv.caseworker, bv.unit, children=[{"youth": youth, "informed": True}])
    assert report.children.get().name == youth.display_name


def test_the_school_names_a_child_it_does_not_see_and_the_fixed_contact_links_the_registered_youth(
    bv: Barnevern,
) -> None:
    youth = YouthFactory(national_id="28071364498", birth_date=datetime.date(2013, 7, 28))
    report = receive(
        bv.school_contact,
        bv.unit,
        channel=ConcernReport.Channel.SCHOOL_FORM,
        reporter={"name": "Sara School", "organisation": bv.school.name, "user": bv.school_contact, "unit": bv.school},
        children=[{"name": youth.display_name, "national_id": youth.national_id, "informed": True}],
    )
    child = report.children.get()
    assert child.youth is None
    with pytest.raises(PermissionDenied):
        concern_report_child_link_check(actor=bv.school_contact, unit=bv.unit, youth=youth)
    concern_report_child_link_check(actor=bv.fixed_contact, unit=bv.unit, youth=youth)

    concern_report_child_link(actor=bv.fixed_contact, report=report, child=child, youth=youth)

    child.refresh_from_db()
    assert child.youth == youth
    assert actions(report) == ["received", "child_linked"]
    assert ConcernReportEvent.objects.get(report=report, action="child_linked").actor == bv.fixed_contact
    assert audited("concern_report.child_linked", report)
    # Again: nothing changes, no second event.
    concern_report_child_link(actor=bv.fixed_contact, report=report, child=child, youth=youth)
    assert actions(report) == ["received", "child_linked"]


def test_a_child_is_linked_only_by_the_receiving_service_to_the_youth_with_the_childs_identity_number(
    bv: Barnevern,
) -> None:
    youth = YouthFactory(national_id="28071364498", birth_date=datetime.date(2013, 7, 28))
    other = YouthFactory(national_id="16081688781", birth_date=datetime.date(2016, 8, 16))
    report = receive(
        bv.caseworker,
        bv.unit,
        children=[{"name": youth.display_name, "national_id": youth.national_id, "informed": True}],
    )
    child = report.children.get()
    for actor in (bv.school_contact, bv.measures_worker):
        with pytest.raises(PermissionDenied):
            concern_report_child_link(actor=actor, report=report, child=child, youth=youth)
    with pytest.raises(ValidationError) as refused:
        concern_report_child_link(actor=bv.caseworker, report=report, child=child, youth=other)
    assert refused.value.message_dict["youth"] == [
        "The youth's national identity number is not the one the report gives for the child."
    ]
    another = receive(bv.caseworker, bv.unit)
    with pytest.raises(ValidationError) as refused:
        concern_report_child_link(actor=bv.caseworker, report=another, child=child, youth=youth)
    assert refused.value.message_dict["child"] == ["The child is not named in this report."]
    concern_report_child_link(actor=bv.caseworker, report=report, child=child, youth=youth)
    unnamed = another.children.get()
    concern_report_child_link(actor=bv.caseworker, report=another, child=unnamed, youth=other)
    with pytest.raises(ValidationError) as refused:
        concern_report_child_link(actor=bv.caseworker, report=another, child=unnamed, youth=youth)
    assert refused.value.message_dict["child"] == ["The child is already linked to another registered youth."]
    child.refresh_from_db()
    unnamed.refresh_from_db()
    assert (child.youth, unnamed.youth) == (youth, other)


# --- Violence or abuse -----------------------------------------------------------------------------


def test_for_violence_every_guardian_starts_as_not_informed(bv: Barnevern) -> None:
    report = receive(
        bv.caseworker,
        bv.unit,
        kind=Kind.VIOLENCE,
        guardians=[{"name": "Mor", "informed": True}, {"name": "Far", "informed": True, "informed_reason": ""}],
    )
    assert not report.guardians.filter(informed=True).exists()
    assert all(guardian.informed_reason for guardian in report.guardians.all())
    assert not report.guardians_may_be_told


def test_the_violence_rule_blocks_guardian_output_until_a_caseworker_records_they_may_be_told(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit, kind=Kind.VIOLENCE)
    with pytest.raises(PermissionDenied) as refused:
        guardian_output_check(report=report)
    assert "violence" in str(refused.value)
    with pytest.raises(ValidationError):
        concern_report_guardians_may_be_told(actor=bv.caseworker, report=report, note=" ")
    report = concern_report_guardians_may_be_told(actor=bv.caseworker, report=report, note="Barnet er i sikkerhet.")
    guardian_output_check(report=report)
    assert report.guardians_may_be_told_by == bv.caseworker
    assert "guardians_may_be_told" in actions(report)
    assert audited("concern_report.guardians_may_be_told", report)


def test_an_ordinary_report_allows_guardian_output(bv: Barnevern) -> None:
    guardian_output_check(report=receive(bv.caseworker, bv.unit))


def test_only_a_violence_report_records_that_guardians_may_be_told(bv: Barnevern) -> None:
    with pytest.raises(ValidationError):
        concern_report_guardians_may_be_told(actor=bv.caseworker, report=receive(bv.caseworker, bv.unit), note="x")


# --- New report in an active case --------------------------------------------------------------


def test_a_new_report_in_an_active_case_is_linked_and_the_cases_contact_person_is_told(bv: Barnevern) -> None:
    case = receive(bv.caseworker, bv.unit)
    concern_report_open_investigation(actor=bv.caseworker, report=case)
    concern_report_conclude(
        actor=bv.caseworker, report=case, measures=True, conclusion="Hjelpetiltak.", contact_person=bv.measures_worker
    )
    Notification.objects.all().delete()
    later = receive(bv.colleague, bv.unit, kind=Kind.ACTIVE_CASE, active_case=case)
    assert later.active_case == case
    assert later.state == State.RECEIVED  # its own clock
    assert Notification.objects.filter(recipient=bv.measures_worker, key__contains="active_case").count() == 1


def test_a_new_report_in_an_active_case_needs_the_case_and_an_open_one(bv: Barnevern) -> None:
    with pytest.raises(ValidationError) as refused:
        receive(bv.caseworker, bv.unit, kind=Kind.ACTIVE_CASE)
    assert "active_case" in refused.value.message_dict
    closed = receive(bv.caseworker, bv.unit)
    concern_report_close_uninvestigated(actor=bv.caseworker, report=closed, reason="Ikke grunnlag.")
    with pytest.raises(ValidationError) as refused:
        receive(bv.caseworker, bv.unit, kind=Kind.ACTIVE_CASE, active_case=closed)
    assert "active_case" in refused.value.message_dict


# --- The workflow -------------------------------------------------------------------------------


def test_closing_without_investigation_needs_a_written_reason(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    with pytest.raises(ValidationError) as refused:
        concern_report_close_uninvestigated(actor=bv.caseworker, report=report, reason="  ")
    assert "reason" in refused.value.message_dict
    report = concern_report_close_uninvestigated(actor=bv.caseworker, report=report, reason="Ikke grunnlag.")
    assert report.state == State.CLOSED_UNINVESTIGATED
    assert report.reviewed_by == bv.caseworker
    assert audited("concern_report.closed_uninvestigated", report)
    with pytest.raises(ValidationError):
        concern_report_open_investigation(actor=bv.caseworker, report=report)


def test_an_investigation_opens_extends_with_a_reason_and_ends_in_measures(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    report = concern_report_open_investigation(actor=bv.caseworker, report=report)
    assert report.state == State.INVESTIGATING
    with pytest.raises(ValidationError):
        concern_report_extend_investigation(actor=bv.caseworker, report=report, reason="")
    report = concern_report_extend_investigation(actor=bv.caseworker, report=report, reason="Venter på BUP.")
    assert report.investigation_extended
    with pytest.raises(ValidationError):
        concern_report_extend_investigation(actor=bv.caseworker, report=report, reason="Igjen.")
    with pytest.raises(ValidationError) as refused:
        concern_report_conclude(actor=bv.caseworker, report=report, measures=True, conclusion="Tiltak.")
    assert "contact_person" in refused.value.message_dict
    report = concern_report_conclude(
        actor=bv.caseworker, report=report, measures=True, conclusion="Tiltak.", contact_person=bv.measures_worker
    )
    assert report.state == State.MEASURES
    assert report.contact_person == bv.measures_worker
    assert report.measures_started_on is not None
    assert Notification.objects.filter(recipient=bv.measures_worker).exists()
    assert actions(report) == ["received", "investigation_opened", "investigation_extended", "measures"]


def test_an_investigation_cannot_start_before_the_report_or_in_the_future(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    with pytest.raises(ValidationError):
        concern_report_open_investigation(actor=bv.caseworker, report=report, started_on=datetime.date(2000, 1, 1))
    with pytest.raises(ValidationError):
        concern_report_open_investigation(actor=bv.caseworker, report=report, started_on=datetime.date(2999, 1, 1))


def test_a_concluded_investigation_without_measures_is_closed(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    concern_report_open_investigation(actor=bv.caseworker, report=report)
    report = concern_report_conclude(actor=bv.caseworker, report=report, measures=False, conclusion="Ingen tiltak.")
    assert report.state == State.CLOSED
    assert report.contact_person is None


def test_feedback_is_recorded_once_and_in_order(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    report = concern_report_feedback_sent(actor=bv.caseworker, report=report, which="receipt")
    assert report.receipt_sent_at is not None
    with pytest.raises(ValidationError):
        concern_report_feedback_sent(actor=bv.caseworker, report=report, which="receipt")
    with pytest.raises(ValidationError):  # not reviewed yet
        concern_report_feedback_sent(actor=bv.caseworker, report=report, which="opening")
    concern_report_open_investigation(actor=bv.caseworker, report=report)
    report = concern_report_feedback_sent(actor=bv.caseworker, report=report, which="opening")
    with pytest.raises(ValidationError):
        concern_report_feedback_sent(actor=bv.caseworker, report=report, which="conclusion")
    with pytest.raises(ValidationError):
        concern_report_feedback_sent(actor=bv.caseworker, report=report, which="nonsense")
    assert audited("concern_report.feedback_sent", report)


def test_only_a_public_reporter_is_told_whether_an_investigation_was_opened(bv: Barnevern) -> None:
    report = receive(
        bv.caseworker,
        bv.unit,
        reporter_kind=ConcernReport.ReporterKind.PRIVATE,
        reporter={"name": "Nabo", "relation": "Nabo"},
        guardians=[],
    )
    concern_report_open_investigation(actor=bv.caseworker, report=report)
    with pytest.raises(ValidationError):
        concern_report_feedback_sent(actor=bv.caseworker, report=report, which="opening")


# --- Who may act ----------------------------------------------------------------------------------


def test_an_outsider_neither_sees_nor_acts_on_a_report(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    with pytest.raises(Http404):
        concern_selectors.concern_report_get(user=bv.outsider, pk=report.pk)
    with pytest.raises(PermissionDenied):
        concern_report_close_uninvestigated(actor=bv.outsider, report=report, reason="Nei.")
    with pytest.raises(PermissionDenied):
        concern_report_open_investigation(actor=bv.school_contact, report=report)
    assert ConcernReport.objects.get(pk=report.pk).state == State.RECEIVED


def test_the_contact_person_sees_the_report_but_may_not_review_or_assign(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    concern_report_open_investigation(actor=bv.caseworker, report=report)
    concern_report_conclude(
        actor=bv.caseworker, report=report, measures=True, conclusion="Tiltak.", contact_person=bv.measures_worker
    )
    assert concern_selectors.concern_report_get(user=bv.measures_worker, pk=report.pk) == report
    with pytest.raises(PermissionDenied):
        concern_selectors.concern_report_get(user=bv.measures_worker, pk=report.pk, action="act")
    with pytest.raises(PermissionDenied):
        concern_report_feedback_sent(actor=bv.measures_worker, report=report, which="receipt")


def test_a_leader_assigns_and_a_caseworker_takes_only_an_unassigned_report_themselves(bv: Barnevern) -> None:
    report = receive(bv.caseworker, bv.unit)
    with pytest.raises(PermissionDenied):
        concern_report_assign(actor=bv.caseworker, report=report, caseworker=bv.colleague)
    report = concern_report_assign(actor=bv.caseworker, report=report, caseworker=bv.caseworker)
    assert report.caseworker == bv.caseworker
    assert not access.can(bv.colleague, report, "assign")
    with pytest.raises(PermissionDenied):
        concern_report_assign(actor=bv.colleague, report=report, caseworker=bv.colleague)
    report = concern_report_assign(actor=bv.leader, report=report, caseworker=bv.colleague)
    assert report.caseworker == bv.colleague
    assert Notification.objects.filter(recipient=bv.colleague, key__contains="assigned").exists()
    with pytest.raises(ValidationError):
        concern_report_assign(actor=bv.leader, report=report, caseworker=bv.measures_worker)
    assert audited("concern_report.assigned", report)


# --- The reporter's view ----------------------------------------------------------------------------


def test_the_reporter_sees_only_the_receipt_and_the_feedback(bv: Barnevern) -> None:
    report = receive(
        bv.school_contact,
        bv.unit,
        channel=ConcernReport.Channel.SCHOOL_FORM,
        kind=Kind.VIOLENCE,
        reporter={
            "name": "Sara School",
            "organisation": "Tonsenhagen skole",
            "user": bv.school_contact,
            "unit": bv.school,
        },
    )
    with pytest.raises(Http404):
        concern_selectors.concern_report_get(user=bv.school_contact, pk=report.pk)
    seen = concern_selectors.report_for_reporter(user=bv.school_contact, pk=report.pk)
    assert seen.pk == report.pk
    assert seen.receipt_sent_on is None
    assert seen.investigation_opened is None
    assert not hasattr(seen, "concern")
    assert not hasattr(seen, "children")
    concern_report_feedback_sent(actor=bv.fixed_contact, report=report, which="receipt")
    concern_report_open_investigation(actor=bv.fixed_contact, report=report)
    seen = concern_selectors.report_for_reporter(user=bv.school_contact, pk=report.pk)
    assert seen.receipt_sent_on is not None
    assert seen.investigation_opened is None  # not told yet
    concern_report_feedback_sent(actor=bv.fixed_contact, report=report, which="opening")
    concern_report_conclude(
        actor=bv.fixed_contact, report=report, measures=True, conclusion="Tiltak.", contact_person=bv.measures_worker
    )
    seen = concern_selectors.report_for_reporter(user=bv.school_contact, pk=report.pk)
    assert seen.investigation_opened is True
    assert seen.contact_person_name == "Mona Measures"
    assert seen.school_contact_name == "Frida Fixed"


def test_another_school_staff_member_or_an_outsider_does_not_see_the_receipt(bv: Barnevern) -> None:
    report = receive(
        bv.school_contact,
        bv.unit,
        channel=ConcernReport.Channel.SCHOOL_FORM,
        reporter={
            "name": "Sara School",
            "organisation": "Tonsenhagen skole",
            "user": bv.school_contact,
            "unit": bv.school,
        },
    )
    with pytest.raises(Http404):
        concern_selectors.report_for_reporter(user=bv.school_teacher, pk=report.pk)
    with pytest.raises(Http404):
        concern_selectors.report_for_reporter(user=bv.outsider, pk=report.pk)
    assert [row.pk for row in concern_selectors.reports_for_reporter(user=bv.school_contact)] == [report.pk]
    assert concern_selectors.reports_for_reporter(user=bv.school_teacher) == []


def test_a_report_by_phone_or_letter_is_registered_only_by_the_receiving_services_staff(bv: Barnevern) -> None:
    """Registered on the reporter's behalf: a caseworker of another district's barnevern may not
    file it into this service, whatever the channel's reporter says."""
    for channel in (ConcernReport.Channel.PHONE, ConcernReport.Channel.LETTER):
        with pytest.raises(PermissionDenied):
            receive(bv.measures_worker, bv.unit, channel=channel)
    assert not ConcernReport.objects.exists()
    assert receive(bv.caseworker, bv.unit, channel=ConcernReport.Channel.LETTER).channel == "letter"
