"""The demo obeys the services' rules: a planned row that breaks one stops the build, with the
service's own message (demo/builders.py upsert, and each step's check before its bulk save)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import Contact, FollowUp, Youth
from consent.models import Consent, ConsentVersion
from core.dates import OSLO
from core.models import User
from demo import builders as demo
from demo import concerns as demo_concerns
from demo import consents as demo_consents
from demo import followups as demo_followups
from demo import meetings as demo_meetings
from demo import steps
from demo import teams as demo_teams
from demo.followups import DEMO_TODAY
from org.models import District, Unit
from referrals.models import ConcernReport
from teams.models import ActionItem, MeetingKind, TeamMember


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The services' messages are asserted on their English source."""
    with translation.override("en"):
        yield


def test_a_row_that_breaks_a_field_rule_stops_the_build(seeded: demo.DemoResult) -> None:
    with pytest.raises(ValidationError) as refused:
        demo.upsert(District, [{"number": 99, "name": "x" * 500}], key=("number",))

    assert "name" in refused.value.message_dict
    assert not District.objects.filter(number=99).exists()


def test_a_service_check_runs_on_each_changed_row_before_the_bulk_save(seeded: demo.DemoResult) -> None:
    def refuse(district: District) -> None:
        raise ValidationError("refused")

    with pytest.raises(ValidationError, match="refused"):
        demo.upsert(District, [{"number": 9, "name": "Marka"}], key=("number",), check=refuse)

    assert District.objects.get(number=9).name == "Bjerke"


def test_a_follower_over_the_districts_limit_stops_the_build(
    seeded: demo.DemoResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "MAX_YOUTHS_PER_FOLLOWER", 4)

    with pytest.raises(ValidationError) as refused:
        steps.build(seed=2026)

    assert refused.value.error_list[0].code == "over_capacity"


def test_a_team_member_without_a_role_in_the_unit_is_refused(seeded: demo.DemoResult) -> None:
    youth = Youth.objects.filter(followups__state=FollowUp.State.ACTIVE).first()
    assert youth is not None
    stranger = User.objects.create_user("stranger@example.invalid", full_name="Sara Stranger")
    row = {
        "youth": youth,
        "kind": TeamMember.Kind.STAFF,
        "role": TeamMember.Role.FOLLOWER,
        "user": stranger,
        "unit": Unit.objects.filter(kind=Unit.Kind.SALTO).first(),
        "starts_on": DEMO_TODAY,
    }

    with pytest.raises(ValidationError, match="has no role in force"):
        demo_teams._check(row)


def test_a_consent_under_15_without_the_youths_view_is_refused(built: demo.Demo) -> None:
    consent = next(
        c for c in Consent.objects.select_related("youth") if c.versions.filter(age_rule="under_15").exists()
    )
    version = consent.versions.get(number=1)
    guardians = [answer.guardian for answer in version.answers.all() if answer.guardian is not None]
    plan = demo_consents.VersionPlan(
        number=1,
        event=ConsentVersion.Event.RECORDED,
        categories=list(version.categories),
        units=list(version.units.all()),
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        age_rule=ConsentVersion.AgeRule.UNDER_15,
        at=version.recorded_at,
        by=version.recorded_by,
        written=False,
        youth_answer=None,
        guardian_answers=[(guardian, "given") for guardian in guardians],
        youth_view="",
    )

    with pytest.raises(ValidationError, match="must be heard"):
        demo_consents._check(consent.youth, plan)
    demo_consents._check(consent.youth, dataclasses.replace(plan, youth_view="Hørt."))


def test_a_meeting_without_a_place_or_under_another_templates_headings_is_refused(built: demo.Demo) -> None:
    number = demo.DEMO_DISTRICT
    plan = demo_meetings.Plan(
        uid=demo_meetings._uid("test"),
        kind=MeetingKind.TEAM,
        unit=built.units[number].followup,
        district=built.districts[number],
        starts_at=datetime.datetime(2026, 12, 10, 10, tzinfo=OSLO),
        minutes_long=60,
        created_by=built.staff[number].leader,
        place="Linderud",
    )
    demo_meetings._check(plan)

    with pytest.raises(ValidationError, match="video link"):
        demo_meetings._check(dataclasses.replace(plan, place=""))
    revision = demo_meetings.Revision(
        number=1,
        version=1,
        sections={"no_such_heading": "…"},
        decisions="",
        saved_by=plan.created_by,
        saved_at=plan.starts_at,
    )
    minutes = demo_meetings.MinutesPlan(state="draft", revisions=[revision])
    with pytest.raises(ValidationError, match="not in the template"):
        demo_meetings._check(dataclasses.replace(plan, minutes=minutes))


def test_a_concern_report_whose_steps_the_workflow_does_not_allow_is_refused(seeded: demo.DemoResult) -> None:
    report = ConcernReport.objects.filter(state=ConcernReport.State.CLOSED).first()
    assert report is not None
    events = list(report.events.all())
    demo_concerns._check_way(report, events)
    skipped = [event for event in events if event.action != demo_concerns.INVESTIGATION_OPENED]

    with pytest.raises(ValidationError, match="Review the report before telling the reporter"):
        demo_concerns._check_way(report, skipped)


def test_a_follow_up_closed_without_a_summary_or_paused_before_it_started_is_refused(built: demo.Demo) -> None:
    closed = next(case for cases in built.cases.values() for case in cases if case.state == FollowUp.State.CLOSED)
    demo_followups._check_way(closed)

    with pytest.raises(ValidationError, match="Write a closing summary"):
        demo_followups._check_way(dataclasses.replace(closed, closing_summary=" "))
    with pytest.raises(ValidationError):
        demo_followups._check_way(dataclasses.replace(closed, state=FollowUp.State.PAUSED, started_on=None))


def test_a_contact_after_the_demos_day_is_refused(seeded: demo.DemoResult) -> None:
    contact = Contact.objects.order_by("-occurred_at").first()
    assert contact is not None
    demo_followups._check_contact(contact)
    contact.occurred_at = demo_followups.DEMO_CLOCK + datetime.timedelta(hours=1)

    with pytest.raises(ValidationError, match="cannot be in the future"):
        demo_followups._check_contact(contact)


def test_an_action_item_done_without_a_note_or_with_two_owners_is_refused(seeded: demo.DemoResult) -> None:
    item = ActionItem.objects.filter(status=ActionItem.Status.DONE, owner__isnull=False).first()
    assert item is not None
    demo_meetings._check_action(item)

    item.done_note = ""
    with pytest.raises(ValidationError, match="Write what was done"):
        demo_meetings._check_action(item)
    item.done_note, item.owner_name = "Gjort.", "Mor"
    with pytest.raises(ValidationError, match="one owner"):
        demo_meetings._check_action(item)


def test_a_withdrawal_without_a_reason_is_refused(built: demo.Demo) -> None:
    version = (
        ConsentVersion.objects.filter(event=ConsentVersion.Event.WITHDRAWN).select_related("consent__youth").first()
    )
    assert version is not None
    assert version.withdrawn_at is not None
    plan = demo_consents.VersionPlan(
        number=version.number,
        event=version.event,
        categories=list(version.categories),
        units=list(version.units.all()),
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        age_rule=version.age_rule,
        at=version.consent.versions.get(number=1).recorded_at,
        by=version.recorded_by,
        written=False,
        youth_answer=next((a.answer for a in version.answers.all() if a.guardian is None), None),
        guardian_answers=[(a.guardian, a.answer) for a in version.answers.all() if a.guardian is not None],
        youth_view=version.youth_view,
        withdrawn_at=version.withdrawn_at,
        withdrawn_by_party=version.withdrawn_by_party,
        withdrawn_by_guardian=version.withdrawn_by_guardian,
        withdrawal_reason=version.withdrawal_reason,
    )
    demo_consents._check(version.consent.youth, plan)

    with pytest.raises(ValidationError, match="Write why the consent is withdrawn"):
        demo_consents._check(version.consent.youth, dataclasses.replace(plan, withdrawal_reason=" "))
