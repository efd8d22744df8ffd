"""Parity twins of the intake API (referrals.intake.api) and its pages (/inntak/…): propose a
candidate, decide about one in an intake meeting, draft an intake meeting's minutes from its
decisions, add a youth to a list meeting.

The scene's youth is named only with consent (the intake's rule), so proposing gives the youth
a consent in force first (twins_discussions.with_consent); the meetings are the district's,
planned by the follow-up unit's leader, who runs them and decides.
"""

from __future__ import annotations

from typing import Any

from referrals.models import IntakeCandidate
from teams.meetings import services as meeting_services
from teams.models import ListMeetingEntry, Meeting, MeetingKind, MinutesRevision

from ..teams.factories_meetings import district_meeting
from .base import Scene, Twin
from .twins_discussions import with_consent

REASON = "Mye fravær og flere anmeldelser i år."


def _meeting(scene: Scene, kind: str) -> Meeting:
    made: Meeting = scene.once(kind, lambda: district_meeting(scene.people.leader, scene.people.unit, kind=kind))
    return made


def _candidate(scene: Scene) -> IntakeCandidate:
    def make() -> IntakeCandidate:
        people = scene.people
        return IntakeCandidate.objects.create(
            district=people.district,
            youth=scene.youth,
            proposed_by_unit=people.unit,
            proposed_by=people.follower,
            reason=REASON,
        )

    made: IntakeCandidate = scene.once("candidate", make)
    return made


def _proposal(scene: Scene) -> dict[str, Any]:
    district = scene.people.unit.district
    return {
        "district": district.pk if district else None,
        "youth": scene.youth.pk,
        "unit": scene.people.unit.pk,
        "reason": REASON,
        "urgency": "normal",
    }


def _decision_url(scene: Scene) -> tuple[int, int]:
    return _meeting(scene, MeetingKind.INTAKE).pk, _candidate(scene).pk


def _decide_api(scene: Scene, body: dict[str, Any]) -> tuple[str, str, Any]:
    meeting, candidate = _decision_url(scene)
    return "POST", f"/api/v1/intake/meetings/{meeting}/candidates/{candidate}/decision/", body


def _decide_page(scene: Scene, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    meeting, candidate = _decision_url(scene)
    form = {"follower": "", "override_reason": "", "referred_to": "", "note": ""} | data
    return f"/inntak/mote/{meeting}/kandidat/{candidate}/", form


def _outcome(scene: Scene) -> str:
    return IntakeCandidate.objects.get(pk=_candidate(scene).pk).outcome


def _entries(scene: Scene) -> int:
    return ListMeetingEntry.objects.filter(meeting=_meeting(scene, MeetingKind.LIST)).count()


def _entry_api(scene: Scene, body: dict[str, Any]) -> tuple[str, str, Any]:
    meeting = _meeting(scene, MeetingKind.LIST).pk
    return "POST", f"/api/v1/intake/list-meetings/{meeting}/entries/", {"youth": scene.youth.pk} | body


def _entry_page(scene: Scene, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    meeting = _meeting(scene, MeetingKind.LIST).pk
    return f"/inntak/listemote/{meeting}/", {"youth": scene.youth.pk, "discussion": ""} | data


def _cancelled_intake(scene: Scene) -> Meeting:
    def make() -> Meeting:
        meeting = district_meeting(scene.people.leader, scene.people.unit, kind=MeetingKind.INTAKE)
        return meeting_services.meeting_cancel(actor=scene.people.leader, meeting=meeting, reason="Ingen kandidater.")

    made: Meeting = scene.once("cancelled_intake", make)
    return made


def _revisions(meeting: Meeting) -> int:
    return MinutesRevision.objects.filter(minutes__meeting=meeting).count()


_SAID = {"police_information": "", "decision": "Skolen følger opp, tas opp igjen om en måned."}
_NOTHING_SAID = {"police_information": "", "decision": ""}

TWINS: dict[str, Twin] = {
    "intake_candidates_create": Twin(
        api=lambda s: ("POST", "/api/v1/intake/candidates/", _proposal(with_consent(s))),
        page=lambda s: ("/inntak/ny/", _proposal(with_consent(s)) | {"discussion": ""}),
        effect=lambda s: IntakeCandidate.objects.filter(youth=s.youth).count(),
    ),
    "intake_meetings_candidates_decision_create": Twin(
        api=lambda s: _decide_api(s, {"outcome": "waiting_list"}),
        page=lambda s: _decide_page(s, {"outcome": "waiting_list"}),
        effect=_outcome,
    ),
    "intake_meetings_minutes_draft_create": Twin(
        api=lambda s: ("POST", f"/api/v1/intake/meetings/{_meeting(s, MeetingKind.INTAKE).pk}/minutes/draft/", {}),
        page=lambda s: (f"/inntak/mote/{_meeting(s, MeetingKind.INTAKE).pk}/referat/", {}),
        effect=lambda s: _revisions(_meeting(s, MeetingKind.INTAKE)),
    ),
    "intake_list_meetings_entries_create": Twin(
        api=lambda s: _entry_api(s, _SAID),
        page=lambda s: _entry_page(s, _SAID),
        effect=_entries,
    ),
}

ALLOWED: dict[str, str] = {
    "intake_candidates_create": "follower",
    "intake_meetings_candidates_decision_create": "leader",  # runs the district's intake meeting
    "intake_meetings_minutes_draft_create": "leader",  # runs the district's intake meeting
    "intake_list_meetings_entries_create": "leader",
}

RULE_BREAKS: dict[str, Twin] = {
    "intake_candidates_create": Twin(  # named without consent: bring it as an anonymous discussion
        api=lambda s: ("POST", "/api/v1/intake/candidates/", _proposal(s)),
        page=lambda s: ("/inntak/ny/", _proposal(s) | {"discussion": ""}),
        effect=lambda s: IntakeCandidate.objects.filter(youth=s.youth).count(),
    ),
    "intake_meetings_candidates_decision_create": Twin(  # referred to another service without naming it
        api=lambda s: _decide_api(s, {"outcome": "other_service", "referred_to": ""}),
        page=lambda s: _decide_page(s, {"outcome": "other_service"}),
        effect=_outcome,
    ),
    "intake_meetings_minutes_draft_create": Twin(  # the meeting is cancelled: no minutes are written
        api=lambda s: ("POST", f"/api/v1/intake/meetings/{_cancelled_intake(s).pk}/minutes/draft/", {}),
        page=lambda s: (f"/inntak/mote/{_cancelled_intake(s).pk}/referat/", {}),
        effect=lambda s: _revisions(_cancelled_intake(s)),
    ),
    "intake_list_meetings_entries_create": Twin(  # neither the police's information nor a decision
        api=lambda s: _entry_api(s, _NOTHING_SAID),
        page=lambda s: _entry_page(s, _NOTHING_SAID),
        effect=_entries,
    ),
}
