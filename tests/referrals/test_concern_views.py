"""The concern-report pages: the form any staff member sends (400 with everything kept, nothing
half-saved; violence forces guardians "not told"), the reporter's receipt and feedback (and
nothing more; another school gets 404), barnevern's inbox, deadline list and report page with
its actions (outsider 404, a member without the right 403), and the handover meeting."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from cases.models import Guardian, Guardianship, Youth
from core.models import AuditEvent
from referrals.concerns import services as concern_services
from referrals.concerns.deadlines import add_months, oslo_date
from referrals.models import (
    ConcernReport,
    ConcernReportAttachment,
    ConcernReportChild,
    ConcernReportGuardian,
    KsFiksDocument,
)
from teams import services as team_services
from teams.models import Meeting, MeetingKind, MeetingParticipant, TeamMember

from ..conftest import People
from .concern_pages import WRONG_FNR, Pages, build_pages, form_data, receive

pytestmark = pytest.mark.django_db

State = ConcernReport.State


@pytest.fixture
def pages(people: People) -> Pages:
    return build_pages(people)


def _text(response: Any) -> str:
    return response.content.decode()


# --- Sending a report ------------------------------------------------------------------------


def test_the_form_is_prefilled_with_the_reporter_and_the_schools_barnevern(as_user, pages: Pages) -> None:
    response = as_user(pages.school_contact).get("/meldinger/ny/")

    assert response.status_code == 200
    html = _text(response)
    assert 'value="Sonja Sosiallærer"' in html
    assert 'value="Veitvet skole"' in html
    assert f'<option value="{pages.barnevern.pk}" selected>' in html
    # Only barnevern staff pick an active case or register phone reports.
    assert 'name="active_case"' not in html
    assert 'name="channel"' not in html


def test_a_school_contact_sends_a_report_and_sees_the_receipt_with_the_fixed_contact(as_user, pages: Pages) -> None:
    client = as_user(pages.school_contact)

    response = client.post("/meldinger/ny/", form_data(pages))

    report = ConcernReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meldinger/sendt/{report.pk}/"
    assert report.channel == ConcernReport.Channel.SCHOOL_FORM
    assert report.reporter_user == pages.school_contact
    assert report.reporter_unit == pages.school
    assert report.caseworker == pages.caseworker  # the school's fixed contact person
    child = report.children.get()
    assert child.national_id == "15108695088"
    assert child.address == {"adresselinje1": "Veitvetveien 1", "postnummer": "0596", "poststed": "Oslo"}
    assert child.informed is False
    assert child.informed_reason
    assert report.guardians.get().informed is True
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "Kari Saksbehandler" in _text(receipt)
    assert timezone.localdate().strftime("%d.%m.%Y") in _text(receipt)


def test_any_staff_member_may_send_a_report_without_a_leaders_approval(as_user, pages: Pages) -> None:
    response = as_user(pages.people.police).post("/meldinger/ny/", form_data(pages, reporter_organisation="Politiet"))

    assert response.status_code == 302
    assert ConcernReport.objects.get().reporter_user == pages.people.police


def test_bad_input_gives_400_with_everything_typed_kept_and_nothing_saved(as_user, pages: Pages) -> None:
    data = form_data(
        pages,
        concern="",
        **{
            "children-TOTAL_FORMS": "2",
            "children-1-name": "Lise Hansen",
            "children-1-national_id": WRONG_FNR,
            "children-1-informed": "no",
            "children-1-informed_reason": "",
        },
    )

    response = as_user(pages.school_contact).post("/meldinger/ny/", data)

    assert response.status_code == 400
    html = _text(response)
    assert "Lise Hansen" in html
    assert "Per Hansen" in html
    assert "Bekymringen har vart siden august." in html
    assert WRONG_FNR in html
    assert 'aria-invalid="true"' in html
    assert not ConcernReport.objects.exists()
    assert not ConcernReportChild.objects.exists()
    assert not ConcernReportGuardian.objects.exists()


def test_a_report_without_a_child_is_refused(as_user, pages: Pages) -> None:
    data = form_data(pages, **{"children-0-name": "", "children-0-national_id": "", "children-0-informed": ""})
    for key in ("children-0-address_line", "children-0-postal_code", "children-0-postal_place"):
        data[key] = ""
    data["children-0-informed_reason"] = ""

    response = as_user(pages.school_contact).post("/meldinger/ny/", data)

    assert response.status_code == 400
    assert not ConcernReport.objects.exists()


def test_adding_a_child_row_keeps_what_was_typed_and_saves_nothing(as_user, pages: Pages) -> None:
    response = as_user(pages.school_contact).post("/meldinger/ny/", form_data(pages, action="add_child"))

    assert response.status_code == 200
    html = _text(response)
    assert 'name="children-1-name"' in html
    assert "Per Hansen" in html
    assert 'aria-invalid="true"' not in html
    assert not ConcernReport.objects.exists()


def test_a_violence_report_records_every_guardian_as_not_told(as_user, pages: Pages) -> None:
    form = as_user(pages.school_contact).get("/meldinger/ny/")
    assert "foresatte skal IKKE informeres" in _text(form)

    response = as_user(pages.school_contact).post(
        "/meldinger/ny/", form_data(pages, kind=ConcernReport.Kind.VIOLENCE, **{"guardians-0-informed": "yes"})
    )

    assert response.status_code == 302
    guardian = ConcernReportGuardian.objects.get()
    assert guardian.informed is False
    assert guardian.informed_reason


def test_an_attachment_is_checked_by_its_content(as_user, pages: Pages) -> None:
    client = as_user(pages.school_contact)
    fake = SimpleUploadedFile("notat.pdf", b"MZ this is not a pdf", content_type="application/pdf")

    refused = client.post("/meldinger/ny/", {**form_data(pages), "attachments": [fake]})

    assert refused.status_code == 400
    assert "notat.pdf" in _text(refused)
    assert not ConcernReport.objects.exists()
    real = SimpleUploadedFile("notat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    sent = client.post("/meldinger/ny/", {**form_data(pages), "attachments": [real]})
    assert sent.status_code == 302
    assert ConcernReportAttachment.objects.get().content_type == "application/pdf"


def test_barnevern_staff_register_a_new_report_in_an_active_case(as_user, pages: Pages) -> None:
    case = receive(pages)
    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=case)
    client = as_user(pages.caseworker)
    assert f'value="{case.pk}"' in _text(client.get("/meldinger/ny/"))
    data = form_data(
        pages,
        kind=ConcernReport.Kind.ACTIVE_CASE,
        active_case=str(case.pk),
        channel=ConcernReport.Channel.PHONE,
        reporter_kind=ConcernReport.ReporterKind.PRIVATE,
        reporter_name="Nabo Nilsen",
        reporter_relation="nabo",
    )

    response = client.post("/meldinger/ny/", data)

    report = ConcernReport.objects.get(kind=ConcernReport.Kind.ACTIVE_CASE)
    assert response.status_code == 302
    assert response["Location"] == f"/meldinger/{report.pk}/"
    assert report.active_case == case
    assert report.channel == ConcernReport.Channel.PHONE
    assert report.reporter_user is None  # a phoned-in report is not the caseworker's own


def test_someone_without_a_role_gets_403_on_the_form(client, people: People) -> None:
    from ..conftest import sign_in
    from ..factories import TOTPDeviceFactory, UserFactory

    nobody = UserFactory()
    TOTPDeviceFactory(user=nobody)
    assert sign_in(client, nobody).get("/meldinger/ny/").status_code == 403


# --- The reporter's view -----------------------------------------------------------------------


def test_the_school_contact_sees_only_the_receipt_and_the_feedback(as_user, pages: Pages) -> None:
    report = receive(pages)
    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=report)
    concern_services.concern_report_feedback_sent(actor=pages.caseworker, report=report, which="receipt")
    concern_services.concern_report_feedback_sent(actor=pages.caseworker, report=report, which="opening")
    concern_services.concern_report_conclude(
        actor=pages.caseworker,
        report=report,
        measures=True,
        conclusion="Hemmelig konklusjon om familien.",
        contact_person=pages.measures_worker,
    )
    client = as_user(pages.school_contact)

    for url in ("/meldinger/sendt/", f"/meldinger/sendt/{report.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        html = _text(response)
        assert "Tina Tiltak" in html  # the new contact person's name
        assert "Kari Saksbehandler" in html  # the school's fixed contact
        assert "Hemmelig konklusjon" not in html
        assert "Guri Hansen" not in html  # the guardians
        assert "sulten og skitten" not in html  # the report's text
    assert client.get(f"/meldinger/{report.pk}/").status_code == 404


def test_another_schools_contact_gets_404_and_an_empty_list(as_user, pages: Pages) -> None:
    report = receive(pages)
    client = as_user(pages.other_school_contact)

    assert client.get(f"/meldinger/sendt/{report.pk}/").status_code == 404
    assert f"/meldinger/sendt/{report.pk}/" not in _text(client.get("/meldinger/sendt/"))


# --- Barnevern: inbox, deadlines, the report -------------------------------------------------


def test_the_inbox_lists_the_units_reports_with_the_violence_warning_in_constant_queries(
    as_user, pages: Pages, django_assert_max_num_queries
) -> None:
    receive(pages, kind=ConcernReport.Kind.VIOLENCE)
    client = as_user(pages.bv_leader)
    client.get("/meldinger/innkommende/")
    with django_assert_max_num_queries(20) as few:
        client.get("/meldinger/innkommende/")
    for _ in range(5):
        receive(pages)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/meldinger/innkommende/")

    assert response.status_code == 200
    assert _text(response).count("/meldinger/") >= 6
    assert "Foresatte skal ikke informeres ennå" in _text(response) or "must not be told yet" in _text(response)


def test_the_inbox_and_deadline_list_are_403_for_staff_outside_barnevern(as_user, pages: Pages) -> None:
    receive(pages)
    client = as_user(pages.people.outsider)

    assert client.get("/meldinger/innkommende/").status_code == 403
    assert client.get("/meldinger/frister/").status_code == 403


def test_the_deadline_list_shows_an_overdue_review(as_user, pages: Pages) -> None:
    receive(pages, received_at=timezone.now() - datetime.timedelta(days=10))

    response = as_user(pages.caseworker).get("/meldinger/frister/")

    assert response.status_code == 200
    html = _text(response)
    overdue = html.split('id="week"')[0]
    assert "§ 2-1" in overdue


def test_the_report_page_shows_everything_and_is_audited(as_user, pages: Pages) -> None:
    report = receive(
        pages, actor=pages.caseworker, children=[{"youth": pages.youth, "informed": False, "informed_reason": "Redd."}]
    )

    response = as_user(pages.caseworker).get(f"/meldinger/{report.pk}/")

    assert response.status_code == 200
    html = _text(response)
    assert "Guri Hansen" in html
    assert "sulten og skitten" in html
    assert "Sara Berg" in html
    assert AuditEvent.objects.filter(action="concern_report.viewed", object_id=str(report.pk)).exists()


def test_every_view_of_a_violence_report_carries_the_banner(as_user, pages: Pages) -> None:
    report = receive(pages, kind=ConcernReport.Kind.VIOLENCE)
    client = as_user(pages.caseworker)

    page = client.get(f"/meldinger/{report.pk}/")
    refused_action = client.post(f"/meldinger/{report.pk}/henlegg/", {"close-reason": ""})

    for response in (page, refused_action):
        assert "data-concern-violence-banner" in _text(response)
    concern_services.concern_report_guardians_may_be_told(
        actor=pages.caseworker, report=report, note="Politiet er varslet."
    )
    assert "data-concern-violence-banner" not in _text(client.get(f"/meldinger/{report.pk}/"))


@pytest.mark.parametrize(
    "url",
    [
        "",
        "tildel/",
        "henlegg/",
        "undersokelse/",
        "forleng/",
        "konkluder/",
        "foresatte/",
        "tilbakemelding/",
        "overgangsmote/",
    ],
)
def test_an_outsider_gets_404_on_the_report_and_every_action(as_user, pages: Pages, url: str) -> None:
    report = receive(pages)
    client = as_user(pages.people.outsider)

    response = client.get(f"/meldinger/{report.pk}/") if not url else client.post(f"/meldinger/{report.pk}/{url}", {})

    assert response.status_code == 404


@pytest.mark.parametrize("url", ["tildel/", "henlegg/", "undersokelse/", "forleng/", "konkluder/", "tilbakemelding/"])
def test_the_contact_person_from_another_unit_sees_the_report_but_gets_403_on_actions(
    as_user, pages: Pages, url: str
) -> None:
    report = receive(pages)
    ConcernReport.objects.filter(pk=report.pk).update(contact_person=pages.measures_worker)
    client = as_user(pages.measures_worker)

    assert client.get(f"/meldinger/{report.pk}/").status_code == 200
    assert client.post(f"/meldinger/{report.pk}/{url}", {}).status_code == 403


def test_closing_without_a_reason_is_refused_with_400_and_with_one_it_is_closed(as_user, pages: Pages) -> None:
    report = receive(pages)
    client = as_user(pages.caseworker)

    refused = client.post(f"/meldinger/{report.pk}/henlegg/", {"close-reason": "  "})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.state == State.RECEIVED

    closed = client.post(f"/meldinger/{report.pk}/henlegg/", {"close-reason": "Ikke grunnlag for undersøkelse."})
    assert closed.status_code == 302
    report.refresh_from_db()
    assert report.state == State.CLOSED_UNINVESTIGATED
    assert report.closing_reason == "Ikke grunnlag for undersøkelse."


def test_the_whole_way_from_review_to_measures_through_the_pages(as_user, pages: Pages) -> None:
    report = receive(pages)
    client = as_user(pages.caseworker)
    url = f"/meldinger/{report.pk}/"

    assert client.post(url + "undersokelse/", {"open-started_on": ""}).status_code == 302
    assert client.post(url + "forleng/", {"extend-reason": ""}).status_code == 400
    assert client.post(url + "forleng/", {"extend-reason": "Sakkyndig utredning tar tid."}).status_code == 302
    assert client.post(url + "tilbakemelding/", {"feedback-which": "receipt"}).status_code == 302
    missing_contact = client.post(
        url + "konkluder/", {"conclude-outcome": "measures", "conclude-conclusion": "Tiltak."}
    )
    assert missing_contact.status_code == 400
    assert "Tiltak." in _text(missing_contact)
    concluded = client.post(
        url + "konkluder/",
        {
            "conclude-outcome": "measures",
            "conclude-conclusion": "Hjelpetiltak i hjemmet.",
            "conclude-contact_person": str(pages.measures_worker.pk),
            "conclude-measures_started_on": timezone.localdate().isoformat(),
        },
    )
    assert concluded.status_code == 302
    report.refresh_from_db()
    assert report.state == State.MEASURES
    assert report.investigation_extended
    assert report.receipt_sent_at is not None
    assert report.contact_person == pages.measures_worker
    # A step that no longer fits the state is refused on the page, not a 500.
    assert client.post(url + "undersokelse/", {}).status_code == 400


def test_a_caseworker_may_take_an_unassigned_report_but_only_a_leader_gives_it_to_someone(
    as_user, pages: Pages
) -> None:
    report = receive(pages)
    ConcernReport.objects.filter(pk=report.pk).update(caseworker=None)

    leader = as_user(pages.bv_leader)
    assert leader.post(f"/meldinger/{report.pk}/tildel/", {"caseworker": str(pages.caseworker.pk)}).status_code == 302
    report.refresh_from_db()
    assert report.caseworker == pages.caseworker


def test_the_handover_meeting_invites_the_new_contact_and_the_caseworker_but_not_the_school_without_consent(
    as_user, pages: Pages
) -> None:
    report = receive(
        pages, actor=pages.caseworker, children=[{"youth": pages.youth, "informed": False, "informed_reason": "Redd."}]
    )
    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=report)
    concern_services.concern_report_conclude(
        actor=pages.caseworker, report=report, measures=True, conclusion="Tiltak.", contact_person=pages.measures_worker
    )
    # The caseworker works in the youth's team, so may plan meetings about the youth.
    team_services.team_member_add(
        actor=pages.people.follower,
        youth=pages.youth,
        kind=TeamMember.Kind.STAFF,
        user=pages.people.follower,
        unit=pages.people.unit,
        role=TeamMember.Role.FOLLOWER,
    )
    team_services.team_member_add(
        actor=pages.people.follower,
        youth=pages.youth,
        kind=TeamMember.Kind.STAFF,
        user=pages.caseworker,
        unit=pages.barnevern,
        role=TeamMember.Role.BARNEVERN_CASEWORKER,
    )
    starts = (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)

    response = as_user(pages.caseworker).post(
        f"/meldinger/{report.pk}/overgangsmote/",
        {
            "handover-youth": str(pages.youth.pk),
            "handover-starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "handover-minutes": "60",
            "handover-place": "Barneverntjenesten, møterom 2",
        },
    )

    assert response.status_code == 302, _text(response)
    meeting = Meeting.objects.get(kind=MeetingKind.HANDOVER)
    assert meeting.youth == pages.youth
    invited = set(MeetingParticipant.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    assert {pages.measures_worker.pk, pages.caseworker.pk} <= invited
    assert pages.school_contact.pk not in invited


def test_barnevern_plans_the_handover_meeting_for_a_child_without_a_one_to_one_team(as_user, pages: Pages) -> None:
    report = receive(
        pages, actor=pages.caseworker, children=[{"youth": pages.youth, "informed": False, "informed_reason": "Redd."}]
    )
    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=report)
    concern_services.concern_report_conclude(
        actor=pages.caseworker, report=report, measures=True, conclusion="Tiltak.", contact_person=pages.measures_worker
    )
    starts = (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)

    response = as_user(pages.caseworker).post(
        f"/meldinger/{report.pk}/overgangsmote/",
        {
            "handover-youth": str(pages.youth.pk),
            "handover-starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "handover-minutes": "60",
            "handover-place": "Barneverntjenesten, møterom 2",
        },
    )

    assert response.status_code == 302, _text(response)
    meeting = Meeting.objects.get(kind=MeetingKind.HANDOVER)
    invited = set(MeetingParticipant.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    assert {pages.measures_worker.pk, pages.caseworker.pk} <= invited


def test_the_leaders_deadline_list_shows_children_left_without_activity_after_the_transition(
    as_user, pages: Pages
) -> None:
    report = receive(
        pages,
        actor=pages.caseworker,
        children=[{"youth": pages.youth, "informed": False, "informed_reason": "Redd."}],
        received_at=timezone.now() - datetime.timedelta(days=45),
    )
    start = timezone.localdate() - datetime.timedelta(days=40)
    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=report, started_on=start)
    concern_services.concern_report_conclude(
        actor=pages.caseworker,
        report=report,
        measures=True,
        conclusion="Tiltak.",
        contact_person=pages.measures_worker,
        measures_started_on=start + datetime.timedelta(days=5),
        concluded_on=start + datetime.timedelta(days=5),
    )

    leader_page = _text(as_user(pages.bv_leader).get("/meldinger/frister/"))
    assert "Ingen aktivitet etter overgangen til tiltak" in leader_page
    assert f"/meldinger/{report.pk}/" in leader_page


def _consent_to_followup(pages: Pages) -> None:
    from consent import services as consent_services
    from consent.models import Category

    youth = pages.youth
    guardian = Guardian.objects.create(first_name="Mor", last_name=youth.last_name)
    Guardianship.objects.create(youth=youth, guardian=guardian, relation="mother", parental_responsibility=True)
    answers: dict[str, Any] = {"guardian_answers": {guardian: "given"}}
    if youth.age_on(timezone.localdate()) >= 15:
        answers["youth_answer"] = "given"
    else:
        answers["youth_view"] = "Greit."
    consent_services.consent_record(
        actor=pages.people.follower,
        youth=youth,
        purpose="Én-til-én-oppfølging",
        categories=[Category.IDENTITY_CONTACT],
        units=[pages.people.unit],
        form="oral",
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + datetime.timedelta(days=180),
        **answers,
    )


def test_barnevern_refers_a_child_of_the_report_to_the_intake_queue_only_with_consent(as_user, pages: Pages) -> None:
    from referrals.models import IntakeCandidate

    report = receive(
        pages, actor=pages.caseworker, children=[{"youth": pages.youth, "informed": False, "informed_reason": "Redd."}]
    )
    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=report)
    client = as_user(pages.caseworker)
    data = {"intake-youth": str(pages.youth.pk), "intake-reason": "Trenger en fast voksen.", "intake-urgency": "normal"}

    refused = client.post(f"/meldinger/{report.pk}/inntak/", data)
    assert refused.status_code == 400
    assert "Trenger en fast voksen." in _text(refused)  # what was typed is kept
    assert not IntakeCandidate.objects.exists()

    _consent_to_followup(pages)
    assert client.post(f"/meldinger/{report.pk}/inntak/", data).status_code == 302
    candidate = IntakeCandidate.objects.get()
    assert candidate.concern_report == report
    assert candidate.youth == pages.youth
    assert candidate.proposed_by_unit == pages.barnevern

    assert as_user(pages.people.outsider).post(f"/meldinger/{report.pk}/inntak/", data).status_code == 404


def test_barnevern_links_a_child_the_school_named_to_the_registered_youth_with_that_identity_number(
    as_user, pages: Pages
) -> None:
    Youth.objects.filter(pk=pages.youth.pk).update(national_id="28071364498", birth_date=datetime.date(2013, 7, 28))
    # The school does not work with the youth in Laget: it names the child with the identity number.
    report = receive(
        pages, children=[{"name": "Sara Berg", "national_id": "28071364498", "informed": False, "informed_reason": "x"}]
    )
    child = report.children.get()
    assert child.youth is None
    url = f"/meldinger/{report.pk}/koble-barn/"
    data = {"link-child": str(child.pk)}
    caseworker = as_user(pages.caseworker)
    assert "Koble barnet til den registrerte ungdommen" in _text(caseworker.get(f"/meldinger/{report.pk}/"))
    assert caseworker.post(url, {"link-child": "0"}).status_code == 400
    child.refresh_from_db()
    assert child.youth is None

    assert caseworker.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.youth == pages.youth
    event = report.events.get(action="child_linked")
    assert event.actor == pages.caseworker
    assert AuditEvent.objects.filter(action="concern_report.child_linked", object_id=str(report.pk)).exists()
    assert "Barnet koblet til registrert ungdom" in _text(caseworker.get(f"/meldinger/{report.pk}/"))
    # Linked: nothing more to link.
    assert caseworker.post(url, data).status_code == 400

    assert as_user(pages.people.outsider).post(url, data).status_code == 404
    ConcernReport.objects.filter(pk=report.pk).update(contact_person=pages.measures_worker)
    assert as_user(pages.measures_worker).post(url, data).status_code == 403  # sees it, may not act


def _example(name: str) -> bytes:
    from pathlib import Path

    return (Path(__file__).parent / "fixtures" / name).read_bytes()


def test_a_caseworker_imports_the_official_ks_fiks_example_through_the_page(as_user, pages: Pages) -> None:
    client = as_user(pages.caseworker)
    assert client.get("/meldinger/importer/").status_code == 200
    upload = SimpleUploadedFile("melding.json", _example("offentligBekymringsmeldingV2.json"), "application/json")

    response = client.post("/meldinger/importer/", {"unit": str(pages.barnevern.pk), "document": upload})

    assert response.status_code == 302, _text(response)
    report = ConcernReport.objects.get()
    assert response["Location"] == f"/meldinger/{report.pk}/"
    assert report.channel == ConcernReport.Channel.KS_FIKS
    assert report.children.count() == 2


def test_an_invalid_ks_fiks_document_is_refused_with_the_schemas_message_and_nothing_saved(
    as_user, pages: Pages
) -> None:
    import json

    document = json.loads(_example("offentligBekymringsmeldingV2.json"))
    del document["offentligMelder"]["epost"]
    upload = SimpleUploadedFile("melding.json", json.dumps(document).encode(), "application/json")

    response = as_user(pages.caseworker).post(
        "/meldinger/importer/", {"unit": str(pages.barnevern.pk), "document": upload}
    )

    assert response.status_code == 400
    assert "epost" in _text(response)
    assert not ConcernReport.objects.exists()
    assert not ConcernReportChild.objects.exists()


def test_only_barnevern_staff_import(as_user, pages: Pages) -> None:
    assert as_user(pages.school_contact).get("/meldinger/importer/").status_code == 403


def test_the_report_page_counts_the_investigation_from_receipt_and_says_so(as_user, pages: Pages) -> None:
    received = timezone.now() - datetime.timedelta(days=6)
    report = receive(pages, actor=pages.caseworker, received_at=received)
    concern_services.concern_report_open_investigation(actor=pages.caseworker, report=report)
    due = add_months(oslo_date(received), 3)
    opened_due = add_months(timezone.localdate(), 3)
    assert due != opened_due
    page = _text(as_user(pages.caseworker).get(f"/meldinger/{report.pk}/"))
    with override("nb"):
        assert date_format(due, "SHORT_DATE_FORMAT") in page
        assert date_format(opened_due, "SHORT_DATE_FORMAT") not in page
    assert "Fristen løper fra mottak av meldingen, ikke fra dagen undersøkelsen ble åpnet." in page


def test_the_import_page_tells_what_was_not_taken_and_the_original_can_be_read_by_barnevern_only(
    as_user, pages: Pages
) -> None:
    document = json.loads(_example("privatBekymringsmeldingV2.json"))
    document["foresatte"] = [{"personnavn": "Guri Hansen", "orientert": False}]
    body = json.dumps(document, ensure_ascii=False).encode()
    client = as_user(pages.caseworker)
    upload = SimpleUploadedFile("melding.json", body, "application/json")

    response = client.post("/meldinger/importer/", {"unit": str(pages.barnevern.pk), "document": upload}, follow=True)

    page = _text(response)
    assert "Ikke tatt inn i meldingen, men tatt vare på i det opprinnelige KS Fiks-dokumentet" in page
    assert "<code>foresatte</code>" in page
    report = ConcernReport.objects.get()
    original = client.get(f"/meldinger/{report.pk}/ks-fiks-original.json")
    assert original.status_code == 200
    assert original.content == body
    download = client.get(f"/meldinger/{report.pk}/ks-fiks-original.json?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action="concern_report.ksfiks_original_viewed").count() == 2
    for outsider in (pages.people.outsider, pages.school_contact):
        assert as_user(outsider).get(f"/meldinger/{report.pk}/ks-fiks-original.json").status_code == 404
    assert AuditEvent.objects.filter(action="concern_report.ksfiks_original_viewed").count() == 2


def test_a_2_mb_text_on_the_import_page_is_refused_with_its_limit_and_nothing_saved(as_user, pages: Pages) -> None:
    document = json.loads(_example("offentligBekymringsmeldingV2.json"))
    document["melding"]["melding"] = "x" * 2_000_000
    upload = SimpleUploadedFile("melding.json", json.dumps(document).encode(), "application/json")

    response = as_user(pages.caseworker).post(
        "/meldinger/importer/", {"unit": str(pages.barnevern.pk), "document": upload}
    )

    assert response.status_code == 400
    assert "melding.melding: høyst 20000 tegn (det har 2000000)." in _text(response)
    assert not ConcernReport.objects.exists()
    assert not KsFiksDocument.objects.exists()


def test_the_import_page_states_the_limits(as_user, pages: Pages) -> None:
    page = _text(as_user(pages.caseworker).get("/meldinger/importer/"))
    assert "bekymringen, bakgrunnen og andre synspunkter høyst 20 000 tegn hver" in page
    assert "hele dokumentet høyst 2 MB" in page


def test_the_page_asks_to_choose_attachments_again_only_when_some_were_chosen(as_user, pages: Pages) -> None:
    client = as_user(pages.school_contact)
    without = client.post("/meldinger/ny/", form_data(pages, concern="")).content.decode()
    assert "Vedlegg må velges på nytt." not in without
    pdf = SimpleUploadedFile("notat.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    with_file = client.post("/meldinger/ny/", {**form_data(pages, concern=""), "attachments": pdf})
    assert with_file.status_code == 400
    assert "Vedlegg må velges på nytt." in with_file.content.decode()
