"""Parity twins of the concern-report API (referrals.concerns.api) and its pages (/meldinger/…):
send a report, and each step on the report's way (assign, close, open the investigation, extend
it, conclude it, record that the guardians may be told, record feedback to the reporter, link a
child to the registered youth, propose the handover meeting, refer a child to one-to-one
follow-up).

Each scene's report is sent through the service by the youth's follower (a Laget form, a public
reporter) to the cast's barnevern service: only the cast's barnevern caseworker sees it and may
act on it (and, as it is unassigned, take it); everyone else gets 404 from both. The report
about the scene's youth names the child by identity number only (the follower may not link
them: that is barnevern's step)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone
from stdnum import exceptions as stdnum_exceptions
from stdnum.no import fodselsnummer

from cases.models import Youth
from core.models import User
from org.models import StaffRole
from referrals.concerns import services as concern_services
from referrals.models import ConcernReport, ConcernReportChild, IntakeCandidate
from teams.models import Meeting, MeetingKind

from .base import Scene, Twin
from .twins_discussions import with_consent

Kind = ConcernReport.Kind
INDIVIDUAL = itertools.count(500)  # individual numbers for the scenes' identity numbers (born after 1999)


def _caseworker(s: Scene) -> User:
    role = StaffRole.objects.select_related("user").get(unit=s.barnevern, role=StaffRole.Role.CASEWORKER)
    return role.user


def _check_digits(first: str) -> str:
    """The two mod-11 check digits of a fødselsnummer's first nine digits ("" when none fits)."""
    digits = [int(d) for d in first]
    k1 = (11 - sum(w * d for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), digits, strict=True)) % 11) % 11
    digits.append(k1)
    k2 = (11 - sum(w * d for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11) % 11
    return "" if 10 in (k1, k2) else f"{k1}{k2}"


def _national_id(youth: Youth) -> str:
    """A valid identity number for the youth's birth date, no one else's."""
    born = youth.birth_date.strftime("%d%m%y")
    while True:
        first = f"{born}{next(INDIVIDUAL) % 500 + 500:03d}"
        number = first + _check_digits(first)
        try:
            fodselsnummer.validate(number)
        except stdnum_exceptions.ValidationError:
            continue
        if not Youth.objects.filter(national_id=number).exists():
            return number


def _receive(s: Scene, *, kind: str = Kind.ORDINARY, child: dict[str, Any] | None = None) -> ConcernReport:
    follower = s.people.follower
    return concern_services.concern_report_receive(
        actor=follower,
        unit=s.barnevern,
        channel=ConcernReport.Channel.LAGET,
        reporter_kind=ConcernReport.ReporterKind.PUBLIC,
        reporter={"name": follower.full_name, "organisation": s.people.unit.name, "user": follower},
        children=[child or {"name": "Per Hansen", "informed": False, "informed_reason": "Han er redd."}],
        guardians=[{"name": "Guri Hansen", "informed": True}],
        kind=kind,
        concern="Per kommer ofte sulten og skitten på skolen.",
    )


def _report(s: Scene) -> ConcernReport:
    made: ConcernReport = s.once("report", lambda: _receive(s))
    return made


def _violence(s: Scene) -> ConcernReport:
    made: ConcernReport = s.once("violence", lambda: _receive(s, kind=Kind.VIOLENCE))
    return made


def _investigating(s: Scene) -> ConcernReport:
    def make() -> ConcernReport:
        report = _receive(s)
        return concern_services.concern_report_open_investigation(actor=_caseworker(s), report=report)

    made: ConcernReport = s.once("investigating", make)
    return made


def _naming(s: Scene) -> ConcernReport:
    """A report naming the scene's youth by identity number, not linked."""

    def make() -> ConcernReport:
        number = _national_id(s.youth)
        Youth.objects.filter(pk=s.youth.pk).update(national_id=number)
        child = {"name": s.youth.display_name, "national_id": number, "informed": True}
        return _receive(s, child=child)

    made: ConcernReport = s.once("naming", make)
    return made


def _referable(s: Scene) -> ConcernReport:
    """A report about the scene's youth (linked by the follower, who sees them) under
    investigation, the youth with a consent that lets the intake name them."""

    def make() -> ConcernReport:
        with_consent(s)
        report = _receive(s, child={"youth": s.youth, "informed": True})
        return concern_services.concern_report_open_investigation(actor=_caseworker(s), report=report)

    made: ConcernReport = s.once("referable", make)
    return made


def _referral(s: Scene, reason: str) -> dict[str, Any]:
    return {"youth": s.youth.pk, "reason": reason, "urgency": "normal"}


def _referral_form(s: Scene, reason: str) -> dict[str, Any]:
    return {"intake-youth": s.youth.pk, "intake-reason": reason, "intake-urgency": "normal"}


def _candidates(s: Scene) -> int:
    return IntakeCandidate.objects.filter(youth=s.youth).count()


REASON = "Mye fravær og bekymring for miljøet."


def _measures(s: Scene) -> ConcernReport:
    """A report about the scene's youth whose investigation ended in measures, the caseworker the
    new contact person."""

    def make() -> ConcernReport:
        caseworker = _caseworker(s)
        report = _receive(s, child={"youth": s.youth, "informed": True})
        report = concern_services.concern_report_open_investigation(actor=caseworker, report=report)
        return concern_services.concern_report_conclude(
            actor=caseworker, report=report, measures=True, conclusion="Tiltak.", contact_person=caseworker
        )

    made: ConcernReport = s.once("measures", make)
    return made


def _starts() -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)


def _handover(s: Scene, youth: int) -> dict[str, Any]:
    return {"youth": youth, "starts_at": _starts().isoformat(), "minutes": 60, "place": "Møterom 2"}


def _handover_form(s: Scene, youth: int) -> dict[str, Any]:
    return {
        "handover-youth": str(youth),
        "handover-starts_at": _starts().strftime("%Y-%m-%dT%H:%M"),
        "handover-minutes": "60",
        "handover-place": "Møterom 2",
    }


def _handovers(s: Scene) -> int:
    return Meeting.objects.filter(youth=s.youth, kind=MeetingKind.HANDOVER).count()


def _child(s: Scene) -> ConcernReportChild:
    return _naming(s).children.get()


def _fresh(report: ConcernReport) -> ConcernReport:
    return ConcernReport.objects.get(pk=report.pk)


def _step(s: Scene, report: ConcernReport, step: str, body: dict[str, Any]) -> tuple[str, str, Any]:
    return "POST", f"/api/v1/concern-reports/{report.pk}/{step}/", body


def _page(report: ConcernReport, path: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"/meldinger/{report.pk}/{path}/", data


def _send_body(s: Scene, **more: Any) -> dict[str, Any]:
    return {
        "unit": s.barnevern.pk,
        "kind": Kind.ORDINARY,
        "reporter_name": "Sonja Sosiallærer",
        "reporter_organisation": "Furuset skole",
        "concern": "Per kommer ofte sulten og skitten på skolen.",
        "children": [{"name": "Per Hansen", "informed": False, "informed_reason": "Han er redd."}],
        "guardians": [{"name": "Guri Hansen", "informed": True}],
    } | more


def _send_form(s: Scene, **more: Any) -> dict[str, Any]:
    return {
        "action": "send",
        "unit": str(s.barnevern.pk),
        "kind": Kind.ORDINARY,
        "reporter_name": "Sonja Sosiallærer",
        "reporter_role": "",
        "reporter_organisation": "Furuset skole",
        "reporter_phone": "",
        "reporter_email": "",
        "reporter_relation": "",
        "concern": "Per kommer ofte sulten og skitten på skolen.",
        "history": "",
        "other_views": "",
        "interpreter_need": "",
        "other_agencies": "",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "20",
        "children-0-name": "Per Hansen",
        "children-0-informed": "no",
        "children-0-informed_reason": "Han er redd.",
        "guardians-TOTAL_FORMS": "1",
        "guardians-INITIAL_FORMS": "0",
        "guardians-MIN_NUM_FORMS": "0",
        "guardians-MAX_NUM_FORMS": "20",
        "guardians-0-name": "Guri Hansen",
        "guardians-0-informed": "yes",
    } | more


def _reports(s: Scene) -> int:
    return ConcernReport.objects.count()


def _conclude_form(**more: Any) -> dict[str, Any]:
    return {
        "conclude-outcome": "closed",
        "conclude-conclusion": "Ingen grunn til tiltak.",
        "conclude-contact_person": "",
        "conclude-measures_started_on": "",
    } | more


def _today() -> str:
    return timezone.localdate().isoformat()


def _future() -> str:
    return (timezone.localdate() + datetime.timedelta(days=3)).isoformat()


TWINS: dict[str, Twin] = {
    "concern_reports_create": Twin(
        api=lambda s: ("POST", "/api/v1/concern-reports/", _send_body(s)),
        page=lambda s: ("/meldinger/ny/", _send_form(s)),
        effect=_reports,
    ),
    "concern_reports_assign_create": Twin(
        api=lambda s: _step(s, _report(s), "assign", {"caseworker": _caseworker(s).pk}),
        page=lambda s: _page(_report(s), "tildel", {"caseworker": _caseworker(s).pk}),
        effect=lambda s: _fresh(_report(s)).caseworker_id,
    ),
    "concern_reports_close_create": Twin(
        api=lambda s: _step(s, _report(s), "close", {"reason": "Ingen grunn til undersøkelse."}),
        page=lambda s: _page(_report(s), "henlegg", {"close-reason": "Ingen grunn til undersøkelse."}),
        effect=lambda s: _fresh(_report(s)).state,
    ),
    "concern_reports_investigation_create": Twin(
        api=lambda s: _step(s, _report(s), "investigation", {}),
        page=lambda s: _page(_report(s), "undersokelse", {"open-started_on": ""}),
        effect=lambda s: _fresh(_report(s)).state,
    ),
    "concern_reports_extend_create": Twin(
        api=lambda s: _step(s, _investigating(s), "extend", {"reason": "Venter på sakkyndig."}),
        page=lambda s: _page(_investigating(s), "forleng", {"extend-reason": "Venter på sakkyndig."}),
        effect=lambda s: _fresh(_investigating(s)).investigation_extended,
    ),
    "concern_reports_conclude_create": Twin(
        api=lambda s: _step(
            s, _investigating(s), "conclude", {"outcome": "closed", "conclusion": "Ingen grunn til tiltak."}
        ),
        page=lambda s: _page(_investigating(s), "konkluder", _conclude_form()),
        effect=lambda s: _fresh(_investigating(s)).state,
    ),
    "concern_reports_guardians_may_be_told_create": Twin(
        api=lambda s: _step(s, _violence(s), "guardians-may-be-told", {"note": "Politiet er enige."}),
        page=lambda s: _page(_violence(s), "foresatte", {"guardians-note": "Politiet er enige."}),
        effect=lambda s: _fresh(_violence(s)).guardians_may_be_told,
    ),
    "concern_reports_feedback_create": Twin(
        api=lambda s: _step(s, _report(s), "feedback", {"which": "receipt"}),
        page=lambda s: _page(_report(s), "tilbakemelding", {"feedback-which": "receipt"}),
        effect=lambda s: _fresh(_report(s)).receipt_sent_at is not None,
    ),
    "concern_reports_handover_create": Twin(
        api=lambda s: _step(s, _measures(s), "handover", _handover(s, s.youth.pk)),
        page=lambda s: _page(_measures(s), "overgangsmote", _handover_form(s, s.youth.pk)),
        effect=_handovers,
    ),
    "concern_reports_intake_create": Twin(
        api=lambda s: _step(s, _referable(s), "intake", _referral(s, REASON)),
        page=lambda s: _page(_referable(s), "inntak", _referral_form(s, REASON)),
        effect=_candidates,
    ),
    "concern_reports_link_child_create": Twin(
        api=lambda s: _step(s, _naming(s), "link-child", {"child": _child(s).pk}),
        page=lambda s: _page(_naming(s), "koble-barn", {"link-child": _child(s).pk}),
        effect=lambda s: _child(s).youth_id,
    ),
}

# The reporter may be anyone with a role in force (the school contact here); every step on the
# report is barnevern's.
ALLOWED: dict[str, str] = {
    "concern_reports_create": "member_without_consent",
    "concern_reports_assign_create": "caseworker",
    "concern_reports_close_create": "caseworker",
    "concern_reports_investigation_create": "caseworker",
    "concern_reports_extend_create": "caseworker",
    "concern_reports_conclude_create": "caseworker",
    "concern_reports_guardians_may_be_told_create": "caseworker",
    "concern_reports_feedback_create": "caseworker",
    "concern_reports_handover_create": "caseworker",
    "concern_reports_intake_create": "caseworker",
    "concern_reports_link_child_create": "caseworker",
}

RULE_BREAKS: dict[str, Twin] = {
    "concern_reports_create": Twin(  # a public reporter without the organisation they work for
        api=lambda s: ("POST", "/api/v1/concern-reports/", _send_body(s, reporter_organisation="")),
        page=lambda s: ("/meldinger/ny/", _send_form(s, reporter_organisation="")),
        effect=_reports,
    ),
    "concern_reports_assign_create": Twin(  # someone outside the report's barnevern service
        api=lambda s: _step(s, _report(s), "assign", {"caseworker": s.people.leader.pk}),
        page=lambda s: _page(_report(s), "tildel", {"caseworker": s.people.leader.pk}),
        effect=lambda s: _fresh(_report(s)).caseworker_id,
    ),
    "concern_reports_close_create": Twin(  # no written reason
        api=lambda s: _step(s, _report(s), "close", {"reason": ""}),
        page=lambda s: _page(_report(s), "henlegg", {"close-reason": ""}),
        effect=lambda s: _fresh(_report(s)).state,
    ),
    "concern_reports_investigation_create": Twin(  # starting in the future
        api=lambda s: _step(s, _report(s), "investigation", {"started_on": _future()}),
        page=lambda s: _page(_report(s), "undersokelse", {"open-started_on": _future()}),
        effect=lambda s: _fresh(_report(s)).state,
    ),
    "concern_reports_extend_create": Twin(  # no special reason
        api=lambda s: _step(s, _investigating(s), "extend", {"reason": ""}),
        page=lambda s: _page(_investigating(s), "forleng", {"extend-reason": ""}),
        effect=lambda s: _fresh(_investigating(s)).investigation_extended,
    ),
    "concern_reports_conclude_create": Twin(  # measures without a new contact person
        api=lambda s: _step(
            s,
            _investigating(s),
            "conclude",
            {"outcome": "measures", "conclusion": "Tiltak i hjemmet.", "measures_started_on": _today()},
        ),
        page=lambda s: _page(
            _investigating(s),
            "konkluder",
            _conclude_form(
                **{
                    "conclude-outcome": "measures",
                    "conclude-conclusion": "Tiltak i hjemmet.",
                    "conclude-measures_started_on": _today(),
                }
            ),
        ),
        effect=lambda s: _fresh(_investigating(s)).state,
    ),
    "concern_reports_guardians_may_be_told_create": Twin(  # no note of what barnevern has done
        api=lambda s: _step(s, _violence(s), "guardians-may-be-told", {"note": ""}),
        page=lambda s: _page(_violence(s), "foresatte", {"guardians-note": ""}),
        effect=lambda s: _fresh(_violence(s)).guardians_may_be_told,
    ),
    "concern_reports_feedback_create": Twin(  # whether an investigation was opened, before the review
        api=lambda s: _step(s, _report(s), "feedback", {"which": "opening"}),
        page=lambda s: _page(_report(s), "tilbakemelding", {"feedback-which": "opening"}),
        effect=lambda s: _fresh(_report(s)).opening_feedback_sent_at,
    ),
    "concern_reports_handover_create": Twin(  # a youth the report is not about
        api=lambda s: _step(s, _measures(s), "handover", _handover(s, 0)),
        page=lambda s: _page(_measures(s), "overgangsmote", _handover_form(s, 0)),
        effect=_handovers,
    ),
    "concern_reports_intake_create": Twin(  # no reason for one-to-one follow-up
        api=lambda s: _step(s, _referable(s), "intake", _referral(s, "")),
        page=lambda s: _page(_referable(s), "inntak", _referral_form(s, "")),
        effect=_candidates,
    ),
    "concern_reports_link_child_create": Twin(  # a child the report does not offer to link
        api=lambda s: _step(s, _naming(s), "link-child", {"child": 0}),
        page=lambda s: _page(_naming(s), "koble-barn", {"link-child": 0}),
        effect=lambda s: _child(s).youth_id,
    ),
}
