"""The concern-report workflow through the API (issue 12, point 7): what a person does on the
report pages, for another system, through the same selectors and services. A reporter sends a
report and sees only the receipt; barnevern reads the report (audited, with the steps open now)
and takes each step; outsiders get 404, a step the person may not take 403, and a broken rule a
structured 400 with its field."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from cases.models import Guardian, Guardianship, Youth
from consent import services as consent_services
from consent.models import Category
from core.models import AuditEvent
from referrals.concerns import services as concern_services
from referrals.models import ConcernReport, IntakeCandidate
from teams.models import Meeting, MeetingKind, MeetingParticipant

from ..conftest import People
from ..factories import api_key
from .concern_pages import Pages, build_pages, receive

pytestmark = pytest.mark.django_db

State = ConcernReport.State
FNR = "28071364498"  # valid check digits, born 28.7.2013
BASE = "/api/v1/concern-reports/"
RECEIPT_FIELDS = {
    "id",
    "received_on",
    "kind_label",
    "receipt_sent_on",
    "investigation_opened",
    "opening_feedback_sent_on",
    "conclusion_feedback_sent_on",
    "contact_person_name",
    "school_contact_name",
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def pages(people: People) -> Pages:
    return build_pages(people)


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def audited(action: str, report: ConcernReport) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(report.pk)).exists()


def report_body(pages: Pages, **more: Any) -> dict[str, Any]:
    return {
        "unit": pages.barnevern.pk,
        "kind": ConcernReport.Kind.ORDINARY,
        "reporter_name": "Sonja Sosiallærer",
        "reporter_organisation": "Veitvet skole",
        "concern": "Per kommer ofte sulten og skitten på skolen.",
        "children": [{"name": "Per Hansen", "informed": False, "informed_reason": "Han er redd."}],
        "guardians": [{"name": "Guri Hansen", "informed": True}],
        **more,
    }


# --- Sending a report, and the reporter's receipts -----------------------------------------------


def test_a_school_contact_sends_a_report_and_gets_only_the_receipt(pages: Pages) -> None:
    response = post(api(pages.school_contact), BASE, report_body(pages))

    assert response.status_code == 201, response.content
    report = ConcernReport.objects.get()
    assert (report.channel, report.reporter_user, report.reporter_unit) == (
        ConcernReport.Channel.SCHOOL_FORM,
        pages.school_contact,
        pages.school,
    )
    assert report.caseworker == pages.caseworker  # the school's fixed contact (routine 1)
    body = response.json()
    assert body["report"] is None
    assert set(body["receipt"]) == RECEIPT_FIELDS
    assert body["receipt"]["school_contact_name"] == "Kari Saksbehandler"
    assert response["Location"] == f"{BASE}sent/{report.pk}/"
    assert audited("concern_report.received", report)


def test_the_reporter_sees_only_their_own_receipts_with_the_receipt_fields(pages: Pages) -> None:
    mine = receive(pages)
    theirs = receive(pages, actor=pages.other_school_contact, reporter={"name": "Odd", "organisation": "Linderud"})
    client = api(pages.school_contact)

    listed = client.get(f"{BASE}sent/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [mine.pk]
    assert set(listed.json()[0]) == RECEIPT_FIELDS

    receipt = client.get(f"{BASE}sent/{mine.pk}/")
    assert receipt.status_code == 200
    assert set(receipt.json()) == RECEIPT_FIELDS
    assert audited("concern_report.receipt_viewed", mine)
    assert client.get(f"{BASE}sent/{theirs.pk}/").status_code == 404
    # The reporter is not in the report's access policy: the report itself is 404 to them.
    assert client.get(f"{BASE}{mine.pk}/").status_code == 404


def test_a_report_breaking_a_rule_is_a_structured_400_and_nothing_is_saved(pages: Pages) -> None:
    body = report_body(pages, reporter_organisation="", children=[])

    response = post(api(pages.school_contact), BASE, body)

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert {"reporter_organisation", "children"} <= set(error["fields"])
    assert not ConcernReport.objects.exists()


def test_a_person_without_a_role_in_force_may_not_send(pages: Pages) -> None:
    staff = pages.people.outsider
    staff.roles.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    response = post(api(staff), BASE, report_body(pages))
    assert response.status_code in (401, 403)
    assert not ConcernReport.objects.exists()


def test_only_barnevern_staff_register_a_phone_report_on_someone_elses_behalf(pages: Pages) -> None:
    # For the school contact the field is not offered (as on the page): the report is their own.
    post(api(pages.school_contact), BASE, report_body(pages, channel="phone"))
    assert ConcernReport.objects.get().channel == ConcernReport.Channel.SCHOOL_FORM

    response = post(api(pages.caseworker), BASE, report_body(pages, channel="phone", reporter_name="Naboen"))
    assert response.status_code == 201, response.content
    report = ConcernReport.objects.get(channel=ConcernReport.Channel.PHONE)
    assert report.reporter_user is None
    body = response.json()
    assert body["receipt"] is None
    assert body["report"]["report"]["id"] == report.pk


def test_a_youth_the_reporter_does_not_see_is_not_a_choice(pages: Pages) -> None:
    body = report_body(pages, children=[{"youth": pages.youth.pk, "informed": True}])
    response = post(api(pages.school_contact), BASE, body)
    assert response.status_code == 400
    assert "children" in response.json()["error"]["fields"]
    assert not ConcernReport.objects.exists()


# --- The report as its page shows it -------------------------------------------------------------


def test_the_caseworker_reads_the_report_with_the_steps_open_now_and_the_read_is_audited(pages: Pages) -> None:
    report = receive(pages)

    response = api(pages.caseworker).get(f"{BASE}{report.pk}/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["report"]["state"] == State.RECEIVED
    assert body["concern"] == report.concern
    assert [child["name"] for child in body["children"]] == ["Per Hansen"]
    assert body["children"][0]["details"]["informed_reason"] == "Han er redd."
    assert body["may_act"] is True
    assert body["may_assign"] is False  # assigned already, and she is not the leader
    assert set(body["actions"]) == {"close", "open"}
    assert body["feedback_open"] == ["receipt"]
    assert body["school_contact_name"] == "Kari Saksbehandler"
    assert audited("concern_report.viewed", report)


def test_the_leader_may_assign_too(pages: Pages) -> None:
    report = receive(pages)
    body = api(pages.bv_leader).get(f"{BASE}{report.pk}/").json()
    assert set(body["actions"]) == {"close", "open", "assign"}


@pytest.mark.parametrize("step", ["", "assign/", "close/", "investigation/", "feedback/", "link-child/"])
def test_an_outsider_gets_404_and_nothing_is_audited(pages: Pages, step: str) -> None:
    report = receive(pages)
    for who in (pages.people.outsider, pages.people.follower, pages.measures_worker):
        client = api(who)
        response = client.get(f"{BASE}{report.pk}/") if not step else post(client, f"{BASE}{report.pk}/{step}", {})
        assert response.status_code == 404, (who, step)
    assert not audited("concern_report.viewed", report)
    assert ConcernReport.objects.get(pk=report.pk).state == State.RECEIVED


# --- The steps -----------------------------------------------------------------------------------


def test_a_caseworker_may_not_reassign_a_report_given_to_her(pages: Pages) -> None:
    report = receive(pages)
    response = post(api(pages.caseworker), f"{BASE}{report.pk}/assign/", {"caseworker": pages.bv_leader.pk})
    assert response.status_code == 403
    assert ConcernReport.objects.get(pk=report.pk).caseworker == pages.caseworker


def test_the_leader_assigns_within_the_unit(pages: Pages) -> None:
    report = receive(pages)
    client = api(pages.bv_leader)

    outside = post(client, f"{BASE}{report.pk}/assign/", {"caseworker": pages.measures_worker.pk})
    assert outside.status_code == 400
    assert set(outside.json()["error"]["fields"]) == {"caseworker"}

    response = post(client, f"{BASE}{report.pk}/assign/", {"caseworker": pages.bv_leader.pk})
    assert response.status_code == 200, response.content
    assert response.json()["caseworker"] == pages.bv_leader.pk
    assert audited("concern_report.assigned", report)


def test_closing_needs_a_written_reason(pages: Pages) -> None:
    report = receive(pages)
    client = api(pages.caseworker)

    response = post(client, f"{BASE}{report.pk}/close/", {"reason": ""})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"reason"}
    assert ConcernReport.objects.get(pk=report.pk).state == State.RECEIVED

    response = post(client, f"{BASE}{report.pk}/close/", {"reason": "Ingen grunn til undersøkelse."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.CLOSED_UNINVESTIGATED
    assert response.json()["actions"] == ["feedback_opening"]  # telling the reporter what was decided
    assert audited("concern_report.closed_uninvestigated", report)


def test_a_step_the_state_does_not_allow_is_a_400(pages: Pages) -> None:
    report = receive(pages)
    client = api(pages.caseworker)
    response = post(client, f"{BASE}{report.pk}/extend/", {"reason": "Trenger mer tid."})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert not ConcernReport.objects.get(pk=report.pk).investigation_extended


def test_investigation_extension_conclusion_with_measures_and_feedback(pages: Pages) -> None:
    report = receive(pages)
    client = api(pages.caseworker)
    url = f"{BASE}{report.pk}/"

    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    refused = post(client, f"{url}investigation/", {"started_on": future})
    assert refused.status_code == 400
    assert "started_on" in refused.json()["error"]["fields"]

    assert post(client, f"{url}investigation/", {}).json()["state"] == State.INVESTIGATING
    assert post(client, f"{url}feedback/", {"which": "opening"}).status_code == 200
    assert post(client, f"{url}feedback/", {"which": "opening"}).status_code == 400  # each once
    extended = post(client, f"{url}extend/", {"reason": "Venter på sakkyndig vurdering."})
    assert extended.status_code == 200, extended.content
    assert "extend" not in extended.json()["actions"]

    no_contact = post(client, f"{url}conclude/", {"outcome": "measures", "conclusion": "Tiltak."})
    assert no_contact.status_code == 400
    assert set(no_contact.json()["error"]["fields"]) == {"contact_person"}

    concluded = post(
        client,
        f"{url}conclude/",
        {
            "outcome": "measures",
            "conclusion": "Hjelpetiltak i hjemmet.",
            "contact_person": pages.measures_worker.pk,
            "measures_started_on": timezone.localdate().isoformat(),
        },
    )
    assert concluded.status_code == 200, concluded.content
    report.refresh_from_db()
    assert (report.state, report.contact_person) == (State.MEASURES, pages.measures_worker)
    assert audited("concern_report.concluded", report)
    # The school is told the new contact person's name, and nothing more.
    receipt = api(pages.school_contact).get(f"{BASE}sent/{report.pk}/").json()
    assert receipt["contact_person_name"] == "Tina Tiltak"
    assert receipt["investigation_opened"] is True


def test_guardians_may_be_told_of_a_violence_report_once_with_a_note(pages: Pages) -> None:
    report = receive(pages, kind=ConcernReport.Kind.VIOLENCE)
    client = api(pages.caseworker)
    assert "guardians" in client.get(f"{BASE}{report.pk}/").json()["actions"]

    empty = post(client, f"{BASE}{report.pk}/guardians-may-be-told/", {"note": ""})
    assert empty.status_code == 400
    assert set(empty.json()["error"]["fields"]) == {"note"}

    response = post(client, f"{BASE}{report.pk}/guardians-may-be-told/", {"note": "Politiet er enige."})
    assert response.status_code == 200, response.content
    assert response.json()["guardians_may_be_told"] is True
    assert audited("concern_report.guardians_may_be_told", report)
    assert post(client, f"{BASE}{report.pk}/guardians-may-be-told/", {"note": "Igjen."}).status_code == 400


def test_barnevern_links_a_child_the_school_named_to_the_registered_youth(pages: Pages) -> None:
    Youth.objects.filter(pk=pages.youth.pk).update(national_id=FNR, birth_date=datetime.date(2013, 7, 28))
    report = receive(
        pages, children=[{"name": "Sara Berg", "national_id": FNR, "informed": False, "informed_reason": "x"}]
    )
    child = report.children.get()
    client = api(pages.caseworker)
    detail = client.get(f"{BASE}{report.pk}/").json()
    assert detail["children_to_link"] == [{"child": child.pk, "name": "Sara Berg", "youth": pages.youth.pk}]

    wrong = post(client, f"{BASE}{report.pk}/link-child/", {"child": 0})
    assert wrong.status_code == 400
    assert set(wrong.json()["error"]["fields"]) == {"child"}

    response = post(client, f"{BASE}{report.pk}/link-child/", {"child": child.pk})
    assert response.status_code == 200, response.content
    child.refresh_from_db()
    assert child.youth_id == pages.youth.pk
    assert audited("concern_report.child_linked", report)
    # Linked: nothing more to link, and the step is no longer open.
    assert post(client, f"{BASE}{report.pk}/link-child/", {"child": child.pk}).status_code == 400


def test_feedback_is_a_choice_of_the_three(pages: Pages) -> None:
    report = receive(pages)
    response = post(api(pages.caseworker), f"{BASE}{report.pk}/feedback/", {"which": "everything"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"which"}
    assert concern_services.feedback_open(ConcernReport.objects.get(pk=report.pk)) == ["receipt"]


def test_the_new_operations_are_in_the_schema(client: Client) -> None:
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        BASE,
        f"{BASE}sent/",
        f"{BASE}sent/{{id}}/",
        f"{BASE}{{id}}/",
        f"{BASE}{{id}}/assign/",
        f"{BASE}{{id}}/close/",
        f"{BASE}{{id}}/investigation/",
        f"{BASE}{{id}}/extend/",
        f"{BASE}{{id}}/conclude/",
        f"{BASE}{{id}}/guardians-may-be-told/",
        f"{BASE}{{id}}/feedback/",
        f"{BASE}{{id}}/link-child/",
        f"{BASE}{{id}}/intake/",
        f"{BASE}{{id}}/handover/",
    ):
        assert path in paths, path


def _consent(pages: Pages) -> None:
    """A consent in force opening who the youth is to the follow-up unit (what the intake needs)."""
    youth, people = pages.youth, pages.people
    today = timezone.localdate()
    guardian = Guardian.objects.create(first_name="Forelder", last_name=youth.last_name)
    Guardianship.objects.create(youth=youth, guardian=guardian, relation="mother")
    answers: dict[str, Any] = {"guardian_answers": {guardian: "given"}}
    answers |= {"youth_answer": "given"} if youth.age_on(today) >= 15 else {"youth_view": "Greit."}
    consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Drøfting i inntaksmøtet",
        categories=[Category.IDENTITY_CONTACT],
        units=[people.unit],
        form="oral",
        valid_from=today - datetime.timedelta(days=30),
        valid_to=today + datetime.timedelta(days=180),
        **answers,
    )


def test_a_child_of_the_report_is_referred_to_one_to_one_follow_up(pages: Pages) -> None:
    report = receive(
        pages,
        actor=pages.caseworker,
        children=[{"youth": pages.youth, "informed": True}],
    )
    client = api(pages.caseworker)
    url = f"{BASE}{report.pk}/intake/"
    body = {"youth": pages.youth.pk, "reason": "Mye fravær.", "urgency": "normal"}

    not_yet = post(client, url, body)  # the review opens an investigation first
    assert not_yet.status_code == 400
    assert "fields" not in not_yet.json()["error"]

    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=report)
    assert "intake" in client.get(f"{BASE}{report.pk}/").json()["actions"]
    without_consent = post(client, url, body)
    assert without_consent.status_code == 400
    assert set(without_consent.json()["error"]["fields"]) == {"youth"}

    _consent(pages)
    stranger = post(client, url, body | {"youth": 0})
    assert stranger.status_code == 400
    assert set(stranger.json()["error"]["fields"]) == {"youth"}
    response = post(client, url, body)
    assert response.status_code == 201, response.content
    candidate = IntakeCandidate.objects.get(pk=response.json()["id"])
    assert (candidate.youth, candidate.concern_report) == (pages.youth, report)
    assert AuditEvent.objects.filter(action="intake.proposed", object_id=str(candidate.pk)).exists()
    assert post(api(pages.people.outsider), url, body).status_code == 404


def test_barnevern_proposes_the_handover_meeting_once_there_are_measures(pages: Pages) -> None:
    report = receive(pages, actor=pages.caseworker, children=[{"youth": pages.youth, "informed": True}])
    client = api(pages.caseworker)
    url = f"{BASE}{report.pk}/handover/"
    starts = (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    body = {"youth": pages.youth.pk, "starts_at": starts.isoformat(), "minutes": 60, "place": "Møterom 2"}

    not_yet = post(client, url, body)
    assert not_yet.status_code == 400
    assert "fields" not in not_yet.json()["error"]

    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=report)
    concern_services.concern_report_conclude(
        actor=pages.caseworker, report=report, measures=True, conclusion="Tiltak.", contact_person=pages.measures_worker
    )
    assert "handover" in client.get(f"{BASE}{report.pk}/").json()["actions"]
    stranger = post(client, url, body | {"youth": 0})
    assert stranger.status_code == 400
    assert set(stranger.json()["error"]["fields"]) == {"youth"}
    assert post(api(pages.people.follower), url, body).status_code == 404

    response = post(client, url, body)
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(kind=MeetingKind.HANDOVER)
    assert (response.json()["id"], meeting.youth) == (meeting.pk, pages.youth)
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=60)
    invited = set(MeetingParticipant.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    assert {pages.measures_worker.pk, pages.caseworker.pk} <= invited
    assert pages.school_contact.pk not in invited  # no consent lets the school see barnevern information


def test_the_deadline_list_names_the_report_and_never_the_child(pages: Pages) -> None:
    report = receive(pages, received_at=timezone.now() - datetime.timedelta(days=30))

    response = api(pages.caseworker).get(f"{BASE}deadlines/")

    assert response.status_code == 200, response.content
    body = response.json()
    overdue = [row for row in body["overdue"] if row["report"] == report.pk]
    assert overdue
    assert set(overdue[0]) == {"report", "kind", "received_at", "deadline"}
    assert "Per Hansen" not in response.content.decode()
    assert body["handover_gaps"] == []
    for who in (pages.school_contact, pages.people.outsider):
        assert api(who).get(f"{BASE}deadlines/").status_code == 403
