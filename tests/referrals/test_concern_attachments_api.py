"""A concern report's attachments through the API (issue 12, point 7): sent as multipart/form-data
beside the report's fields, as the page /meldinger/ny/ takes them, and checked by the same
service call (type by content, size, how many: a structured 400 with fields.attachments and
nothing saved); read back by whoever may see the report, through
concern_selectors.concern_attachment_get (404 outsiders, audited, a neutral file name)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from core.models import AuditEvent
from referrals.concerns import services as concern_services
from referrals.models import ConcernReport, ConcernReportAttachment

from ..conftest import People
from ..factories import api_key
from .concern_pages import Pages, build_pages, receive

pytestmark = pytest.mark.django_db

BASE = "/api/v1/concern-reports/"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pages(people: People) -> Pages:
    return build_pages(people)


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")


def report_fields(pages: Pages, **more: Any) -> dict[str, Any]:
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


def send(pages: Pages, files: list[Any], report: Any = None) -> Any:
    part = json.dumps(report_fields(pages)) if report is None else report
    return api(pages.school_contact).post(BASE, {"report": part, "attachments": files})


def pdf(name: str = "Per Hansen notat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fields_of(response: Any) -> set[str]:
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return set(error["fields"])


def test_a_multipart_report_is_saved_with_its_pdf_attachment(pages: Pages) -> None:
    response = send(pages, [pdf()])

    assert response.status_code == 201, response.content
    report = ConcernReport.objects.get()
    assert report.reporter_user == pages.school_contact
    attachment = ConcernReportAttachment.objects.get(report=report)
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "Per Hansen notat.pdf",
        "application/pdf",
        len(PDF),
    )
    assert response.json()["receipt"]["id"] == report.pk  # the reporter sees the receipt only
    assert AuditEvent.objects.get(action="concern_report.received", object_id=str(report.pk)).detail["attachments"] == 1


def test_a_json_body_still_sends_a_report_without_attachments(pages: Pages) -> None:
    response = api(pages.school_contact).post(BASE, json.dumps(report_fields(pages)), content_type="application/json")

    assert response.status_code == 201, response.content
    assert not ConcernReportAttachment.objects.exists()


def test_a_fake_pdf_is_a_structured_400_on_attachments_and_nothing_is_saved(pages: Pages) -> None:
    fake = SimpleUploadedFile("notat.pdf", b"Dette er bare tekst.", content_type="application/pdf")

    response = send(pages, [pdf(), fake])

    assert response.status_code == 400, response.content
    assert fields_of(response) == {"attachments"}
    assert "notat.pdf" in " ".join(response.json()["error"]["fields"]["attachments"])
    assert not ConcernReport.objects.exists()
    assert not ConcernReportAttachment.objects.exists()


def test_too_many_files_is_a_400_and_nothing_is_saved(pages: Pages) -> None:
    files = [pdf(f"side-{n}.pdf") for n in range(concern_services.MAX_ATTACHMENTS + 1)]

    response = send(pages, files)

    assert response.status_code == 400, response.content
    assert "attachments" in fields_of(response)
    assert not ConcernReport.objects.exists()


def test_the_report_part_is_checked_as_the_json_body_is(pages: Pages) -> None:
    missing = report_fields(pages)
    del missing["concern"]
    assert "concern" in fields_of(send(pages, [pdf()], report=json.dumps(missing)))
    assert fields_of(send(pages, [pdf()], report="{not json")) == {"report"}
    assert fields_of(send(pages, [pdf()], report="[1, 2]")) == {"report"}
    assert fields_of(api(pages.school_contact).post(BASE, {"attachments": [pdf()]})) == {"report"}
    assert not ConcernReport.objects.exists()


def test_the_caseworker_lists_and_downloads_an_attachment_and_the_download_is_audited(pages: Pages) -> None:
    assert send(pages, [pdf()]).status_code == 201
    report = ConcernReport.objects.get()
    attachment = report.attachments.get()
    client = api(pages.caseworker)

    detail = client.get(f"{BASE}{report.pk}/")
    assert detail.status_code == 200, detail.content
    assert detail.json()["attachments"] == [
        {"id": attachment.pk, "name": "Per Hansen notat.pdf", "content_type": "application/pdf", "size": len(PDF)}
    ]

    response = client.get(f"{BASE}{report.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response.getvalue() == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"bekymringsmelding-{report.pk}-vedlegg-{attachment.pk}.pdf" in disposition
    assert "Hansen" not in disposition  # a neutral name: the child's name stays off the device
    event = AuditEvent.objects.get(action="concern_report.attachment_viewed", object_id=str(report.pk))
    assert (event.actor, event.detail["attachment"]) == (pages.caseworker, attachment.pk)


def test_an_outsider_gets_404_for_an_attachment_and_nothing_is_audited(pages: Pages) -> None:
    assert send(pages, [pdf()]).status_code == 201
    report = ConcernReport.objects.get()
    attachment = report.attachments.get()
    url = f"{BASE}{report.pk}/attachments/{attachment.pk}/"

    for who in (pages.people.outsider, pages.people.follower, pages.measures_worker, pages.school_contact):
        assert api(who).get(url).status_code == 404, who
    # Another report the caseworker sees does not open this report's file.
    other = receive(pages)
    assert api(pages.caseworker).get(f"{BASE}{other.pk}/attachments/{attachment.pk}/").status_code == 404
    assert api(pages.caseworker).get(f"{BASE}{report.pk}/attachments/{2**63}/").status_code == 404
    assert not AuditEvent.objects.filter(action="concern_report.attachment_viewed").exists()


def test_the_report_page_links_the_same_download(as_user: Any, pages: Pages) -> None:
    assert send(pages, [pdf()]).status_code == 201
    report = ConcernReport.objects.get()
    attachment = report.attachments.get()
    url = f"/meldinger/{report.pk}/vedlegg/{attachment.pk}/"

    client = as_user(pages.caseworker)
    assert f'href="{url}"' in client.get(f"/meldinger/{report.pk}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response.getvalue() == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f"bekymringsmelding-{report.pk}-vedlegg-{attachment.pk}.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.get(action="concern_report.attachment_viewed").detail["channel"] == "view"
    assert as_user(pages.people.outsider).get(url).status_code == 404
