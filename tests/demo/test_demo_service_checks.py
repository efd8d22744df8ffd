"""The demo asks the services' own checks of who did what (issue 12, point 6): who logged a
contact, who sees a youth through the team, who took part in a meeting and approved its
minutes, who proposed a youth to intake, who received, linked to a registered youth, was given
and answered a concern report, who named or closed an anonymous case, the legal basis and
signed form of a consent, and who settled a point of a transition checklist and how (issue 14).
Each test shows that the built demo passes the check and that a plan breaking the rule is
refused with the service's message."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import translation
from guardian.models import UserObjectPermission

from cases.models import Contact, Guardian
from cases.services import contact_authors_check
from consent.discussions.services import discussion_case_close_check, discussion_case_convert_check
from consent.models import ConsentVersion, DiscussionCase, LegalBasisUse
from consent.services import consent_document_check, legal_basis_use_check
from core.dates import OSLO
from core.models import User
from demo import builders as demo
from demo import concerns as demo_concerns
from demo import meetings as demo_meetings
from demo import transition as demo_transition
from org.models import Unit
from referrals.concerns.services import concern_report_child_link_check
from referrals.intake.services import intake_proposer_check
from referrals.models import ConcernReport, ConcernReportChild, ConcernReportEvent, IntakeCandidate
from teams.models import Meeting, MeetingParticipant, Minutes, TeamMember
from teams.policy import team_access_sync


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The services' messages are asserted on their English source."""
    with translation.override("en"):
        yield


@pytest.fixture
def stranger(seeded: demo.DemoResult) -> User:
    return User.objects.create_user("stranger@example.invalid", full_name="Sara Stranger")


def test_every_contact_was_logged_by_someone_who_followed_the_youth_that_day(seeded: demo.DemoResult) -> None:
    contacts = list(Contact.objects.select_related("followup", "author", "youth"))
    contact_authors_check(contacts=contacts)


def test_a_contact_by_someone_who_did_not_follow_the_youth_that_day_is_refused(
    seeded: demo.DemoResult, stranger: User
) -> None:
    contact = Contact.objects.select_related("followup", "youth").order_by("occurred_at").first()
    assert contact is not None

    contact.author = stranger
    with pytest.raises(PermissionDenied, match="did not follow"):
        contact_authors_check(contacts=[contact])


def test_a_contact_after_its_follow_up_closed_is_refused(seeded: demo.DemoResult) -> None:
    contact = (
        Contact.objects.filter(followup__ended_on__isnull=False)
        .select_related("followup", "youth")
        .order_by("-occurred_at")
        .first()
    )
    assert contact is not None
    assert contact.followup.ended_on is not None
    contact.occurred_at = datetime.datetime.combine(
        contact.followup.ended_on + datetime.timedelta(days=2), datetime.time(12), OSLO
    )

    with pytest.raises(PermissionDenied, match="has no open follow-up"):
        contact_authors_check(contacts=[contact])


def test_the_team_grants_are_exactly_the_staff_in_force_in_each_team(seeded: demo.DemoResult, stranger: User) -> None:
    permission = Permission.objects.get(content_type__app_label="cases", codename="view_youth")
    members = TeamMember.objects.filter(kind=TeamMember.Kind.STAFF, ends_on__isnull=True)
    wanted = {(user_id, str(youth_id)) for user_id, youth_id in members.values_list("user_id", "youth_id")}
    granted = set(UserObjectPermission.objects.filter(permission=permission).values_list("user_id", "object_pk"))
    assert granted == wanted

    member = members.select_related("youth").first()
    assert member is not None
    youth = member.youth
    UserObjectPermission.objects.create(
        user=stranger, permission=permission, content_type=permission.content_type, object_pk=str(youth.pk)
    )
    team_access_sync(youths=[youth])

    assert not UserObjectPermission.objects.filter(user=stranger).exists()
    assert set(UserObjectPermission.objects.filter(permission=permission).values_list("user_id", "object_pk")) == wanted


def test_a_participant_without_a_role_or_a_guardian_of_another_youth_is_refused(
    seeded: demo.DemoResult, stranger: User
) -> None:
    meeting = Meeting.objects.filter(youth__isnull=False).select_related("unit").first()
    assert meeting is not None
    staff = MeetingParticipant(meeting=meeting, kind=MeetingParticipant.Kind.STAFF, user=stranger, unit=meeting.unit)
    with pytest.raises(ValidationError, match="has no role in force"):
        demo_meetings._check_participant(staff, set())

    other = Guardian.objects.exclude(guardianships__youth=meeting.youth).first()
    guardian = MeetingParticipant(meeting=meeting, kind=MeetingParticipant.Kind.GUARDIAN, guardian=other)
    with pytest.raises(ValidationError, match="is not a guardian of the youth"):
        demo_meetings._check_participant(guardian, set())


def test_minutes_approved_by_someone_who_may_not_or_before_they_were_written_are_refused(
    seeded: demo.DemoResult, stranger: User
) -> None:
    minutes = Minutes.objects.filter(state=Minutes.State.APPROVED).select_related("meeting", "approved_by").first()
    assert minutes is not None
    revisions = [
        demo_meetings.Revision(r.number, r.version, r.sections, r.decisions, r.saved_by, r.saved_at, r.change_note)
        for r in minutes.revisions.order_by("number")
    ]
    plan = demo_meetings.MinutesPlan(
        Minutes.State.APPROVED, revisions, approved_at=minutes.approved_at, approved_by=minutes.approved_by
    )
    demo_meetings._check_minutes(minutes.meeting, plan)

    with pytest.raises(PermissionDenied):
        demo_meetings._check_minutes(minutes.meeting, dataclasses.replace(plan, approved_by=stranger))
    with pytest.raises(ValidationError, match="The minutes are empty"):
        demo_meetings._check_minutes(minutes.meeting, dataclasses.replace(plan, revisions=[]))


def test_a_youth_proposed_to_intake_by_someone_without_a_role_or_for_another_service_is_refused(
    seeded: demo.DemoResult, stranger: User
) -> None:
    candidate = IntakeCandidate.objects.select_related("proposed_by", "proposed_by_unit", "district").first()
    assert candidate is not None
    assert candidate.proposed_by is not None
    unit = intake_proposer_check(
        proposer=candidate.proposed_by, district=candidate.district, unit=candidate.proposed_by_unit
    )
    assert unit == candidate.proposed_by_unit

    with pytest.raises(PermissionDenied):
        intake_proposer_check(proposer=stranger, district=candidate.district, unit=None)
    elsewhere = Unit.objects.exclude(roles__user=candidate.proposed_by).first()
    with pytest.raises(ValidationError, match="Choose a service you work in"):
        intake_proposer_check(proposer=candidate.proposed_by, district=candidate.district, unit=elsewhere)


def test_a_concern_report_given_by_a_caseworker_to_a_colleague_is_refused(seeded: demo.DemoResult) -> None:
    report = (
        ConcernReport.objects.filter(events__action=demo_concerns.ASSIGNED).select_related("unit", "caseworker").first()
    )
    assert report is not None
    assert report.caseworker is not None
    events = list(report.events.select_related("actor"))
    demo_concerns._check_way(report, events)
    colleague = (
        User.objects.filter(roles__unit=report.unit, roles__role="caseworker").exclude(pk=report.caseworker.pk).first()
    )
    assert colleague is not None
    for event in events:
        if event.action == demo_concerns.ASSIGNED:
            event.actor = colleague

    with pytest.raises(PermissionDenied):
        demo_concerns._check_way(report, events)


def test_feedback_to_the_reporter_before_the_report_came_in_is_refused(seeded: demo.DemoResult) -> None:
    report = ConcernReport.objects.filter(receipt_sent_at__isnull=False).select_related("unit").first()
    assert report is not None
    events = list(report.events.select_related("actor"))
    for event in events:
        if event.action == demo_concerns.FEEDBACK["receipt"]:
            event.at = report.received_at - datetime.timedelta(days=1)

    with pytest.raises(ValidationError, match="after the report was received"):
        demo_concerns._check_way(report, events)


def test_a_report_registered_on_someone_elses_behalf_by_a_non_barnevern_person_is_refused(
    seeded: demo.DemoResult,
) -> None:
    report = (
        ConcernReport.objects.filter(reporter_user__isnull=False, reporter_unit__kind=Unit.Kind.SCHOOL)
        .select_related("unit", "reporter_user", "reporter_unit", "caseworker", "created_by")
        .first()
    )
    assert report is not None
    row = {
        "created_by": report.created_by,
        "unit": report.unit,
        "reporter_user": report.reporter_user,
        "reporter_unit": report.reporter_unit,
        "channel": report.channel,
        "received_at": report.received_at,
        "caseworker": report.caseworker,
    }
    demo_concerns._check_received(row)
    police = User.objects.filter(roles__unit__kind=Unit.Kind.POLICE).first()

    with pytest.raises(PermissionDenied):
        demo_concerns._check_received(row | {"created_by": police})
    with pytest.raises(ValidationError, match="would not go to"):
        demo_concerns._check_received(row | {"caseworker": police})


def test_every_child_linked_to_a_registered_youth_was_linked_by_someone_who_may(seeded: demo.DemoResult) -> None:
    children = ConcernReportChild.objects.filter(youth__isnull=False).select_related(
        "youth", "report__unit", "report__created_by", "report__caseworker"
    )
    linked_after = 0
    for child in children:
        report, youth, registered_by = child.report, child.youth, child.report.created_by
        assert youth is not None
        assert registered_by is not None
        event = report.events.filter(action=demo_concerns.CHILD_LINKED, note=child.name).select_related("actor").first()
        if event is None:
            # Linked in the report as it came in, by whoever registered it.
            concern_report_child_link_check(actor=registered_by, unit=report.unit, youth=youth)
            continue
        # A school named a pupil it does not work with; the school's fixed contact linked them.
        linked_after += 1
        assert report.channel == ConcernReport.Channel.SCHOOL_FORM
        assert event.actor == report.caseworker
        later = report.events.exclude(action__in=("received", demo_concerns.CHILD_LINKED)).values_list("at", flat=True)
        assert report.received_at < event.at < min(later, default=demo_concerns.DEMO_CLOCK)
        assert event.actor is not None
        concern_report_child_link_check(actor=event.actor, unit=report.unit, youth=youth)
        with pytest.raises(PermissionDenied):
            concern_report_child_link_check(actor=registered_by, unit=report.unit, youth=youth)
    assert linked_after
    assert children.count() >= ConcernReport.objects.count() - 2


def test_a_child_linked_by_someone_who_neither_sees_the_youth_nor_works_in_barnevern_is_refused(
    seeded: demo.DemoResult, stranger: User
) -> None:
    event = (
        ConcernReportEvent.objects.filter(action=demo_concerns.CHILD_LINKED)
        .select_related("report__unit", "report__created_by", "report__caseworker")
        .first()
    )
    assert event is not None
    report = event.report
    youth = report.children.get(name=event.note).youth
    assert youth is not None
    row = {
        "created_by": report.created_by,
        "unit": report.unit,
        "caseworker": report.caseworker,
        "received_at": report.received_at,
    }
    assert demo_concerns._linker(row, youth) == report.caseworker

    with pytest.raises(PermissionDenied):
        demo_concerns._linker(row | {"caseworker": stranger}, youth)
    with pytest.raises(PermissionDenied):
        demo_concerns._linker(row | {"caseworker": None}, youth)


def test_an_anonymous_case_named_before_the_consent_or_closed_by_another_service_is_refused(
    seeded: demo.DemoResult,
) -> None:
    named = DiscussionCase.objects.filter(state=DiscussionCase.State.CONVERTED).select_related("unit", "youth").first()
    assert named is not None
    assert named.converted_by is not None
    assert named.youth is not None
    opened = copy.copy(named)
    opened.state = DiscussionCase.State.OPEN
    assert named.converted_at is not None
    named_on = named.converted_at.astimezone(OSLO).date()
    discussion_case_convert_check(actor=named.converted_by, case=opened, youth=named.youth, on=named_on)

    with pytest.raises(ValidationError, match="has no consent in force"):
        discussion_case_convert_check(
            actor=named.converted_by, case=opened, youth=named.youth, on=named.youth.birth_date
        )
    closed = DiscussionCase.objects.filter(state=DiscussionCase.State.CLOSED).select_related("unit").first()
    assert closed is not None
    assert closed.closed_by is not None
    police = User.objects.filter(roles__unit__kind=Unit.Kind.POLICE).exclude(roles__unit=closed.unit).first()
    assert police is not None
    discussion_case_close_check(actor=closed.closed_by, case=closed, reason=closed.closing_reason)
    with pytest.raises(PermissionDenied):
        discussion_case_close_check(actor=police, case=closed, reason=closed.closing_reason)


def test_a_legal_basis_used_without_a_reason_or_for_too_long_is_refused(seeded: demo.DemoResult) -> None:
    use = LegalBasisUse.objects.select_related("basis", "youth", "actor", "unit").first()
    assert use is not None
    check = functools.partial(
        legal_basis_use_check,
        actor=use.actor,
        youth=use.youth,
        basis=use.basis,
        categories=use.categories,
        unit=use.unit,
        now=use.starts_at,
    )
    check(reason=use.reason, until=use.until)

    with pytest.raises(ValidationError, match="Write why the information must be shared"):
        check(reason="Fordi.", until=use.until)
    with pytest.raises(ValidationError, match="at most"):
        check(reason=use.reason, until=use.starts_at + datetime.timedelta(days=400))


def test_a_written_consent_without_a_pdf_png_or_jpeg_form_is_refused(seeded: demo.DemoResult) -> None:
    version = ConsentVersion.objects.filter(form=ConsentVersion.Form.WRITTEN).exclude(document="").first()
    assert version is not None
    with version.document.open("rb") as document:
        consent_document_check(form=version.form, document=document)

    with pytest.raises(ValidationError, match="must be a PDF, PNG or JPEG"):
        consent_document_check(form=version.form, document=ContentFile(b"not a form", name="skjema.pdf.txt"))
    with pytest.raises(ValidationError, match="Attach the signed consent form"):
        consent_document_check(form=version.form, document=None)


def test_the_demos_checklists_keep_the_checklists_rules_and_a_plan_breaking_them_is_refused(
    built: demo.Demo, stranger: User
) -> None:
    label = demo_transition.TWO_MONTHS
    youth = built.turning_18[label]
    case = next(case for case in built.cases[demo.DEMO_DISTRICT] if case.youth == youth)
    members = list(TeamMember.objects.filter(youth=youth))
    plans = {plan.settled.point: plan for plan in demo_transition._item_plans(built, label, case)}
    for plan in plans.values():
        demo_transition._check_item(plan, members)

    with pytest.raises(ValidationError, match="has no role in force"):
        demo_transition._check_item(dataclasses.replace(plans["lead"], lead_user=stranger), members)
    unanswered = dataclasses.replace(plans["aftercare"].settled, answer="")
    with pytest.raises(ValidationError, match="answer about aftercare"):
        demo_transition._check_item(dataclasses.replace(plans["aftercare"], settled=unanswered), members)
    by_hand = dataclasses.replace(plans["nav"].settled, point="consent")
    with pytest.raises(ValidationError, match="The consent point is settled when a consent"):
        demo_transition._check_item(dataclasses.replace(plans["nav"], settled=by_hand), members)
    with pytest.raises(PermissionDenied, match="was not in the team"):
        demo_transition._check_item(dataclasses.replace(plans["nav"], by=stranger), members)
