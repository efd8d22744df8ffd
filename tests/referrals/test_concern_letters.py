"""The letters (PDF): the receipt to the reporter, and the letter to the guardians, which is
refused (403 with the reason) for a report about violence or abuse until a caseworker records
that the guardians may be told. Outsider 404, a member without the right 403; audited."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from core.models import AuditEvent
from referrals.concerns import selectors as concern_selectors
from referrals.concerns import services as concern_services
from referrals.models import ConcernReport

from ..conftest import People
from .concern_pages import Pages, build_pages, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(people: People) -> Pages:
    return build_pages(people)


def _pdf_text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_receipt_letter_names_the_reporter_and_the_schools_fixed_contact(as_user, pages: Pages) -> None:
    report = receive(pages)

    text = _pdf_text(as_user(pages.caseworker).get(f"/meldinger/{report.pk}/kvittering.pdf"))

    assert "Sonja Sosiallærer" in text
    assert "Kari Saksbehandler" in text
    assert AuditEvent.objects.filter(action="concern_report.receipt_printed", object_id=str(report.pk)).exists()


def test_the_guardian_letter_is_made_for_an_ordinary_report(as_user, pages: Pages) -> None:
    report = receive(pages)

    text = _pdf_text(as_user(pages.caseworker).get(f"/meldinger/{report.pk}/brev-foresatte.pdf"))

    assert "Per Hansen" in text
    assert AuditEvent.objects.filter(action="concern_report.guardian_letter_printed").exists()


def test_the_guardian_letter_about_violence_is_refused_until_the_guardians_may_be_told(as_user, pages: Pages) -> None:
    report = receive(pages, kind=ConcernReport.Kind.VIOLENCE)
    client = as_user(pages.caseworker)

    refused = client.get(f"/meldinger/{report.pk}/brev-foresatte.pdf")

    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("text/html")
    html = refused.content.decode()
    assert "data-concern-violence-banner" in html
    assert "vold" in html.lower() or "violence" in html.lower()
    assert AuditEvent.objects.filter(action="concern_report.guardian_output_refused").exists()
    # The report page offers no link to the letter meanwhile.
    assert "brev-foresatte.pdf" not in client.get(f"/meldinger/{report.pk}/").content.decode()

    concern_services.concern_report_guardians_may_be_told(
        actor=pages.caseworker, report=report, note="Barnevernet har snakket med politiet."
    )

    assert "Per Hansen" in _pdf_text(client.get(f"/meldinger/{report.pk}/brev-foresatte.pdf"))


@pytest.mark.parametrize("letter", ["kvittering.pdf", "brev-foresatte.pdf"])
def test_an_outsider_and_the_reporter_get_404_on_the_letters(as_user, pages: Pages, letter: str) -> None:
    report = receive(pages)

    assert as_user(pages.people.outsider).get(f"/meldinger/{report.pk}/{letter}").status_code == 404
    assert as_user(pages.school_contact).get(f"/meldinger/{report.pk}/{letter}").status_code == 404


@pytest.mark.parametrize("letter", ["kvittering.pdf", "brev-foresatte.pdf"])
def test_the_contact_person_from_another_unit_gets_403_on_the_letters(as_user, pages: Pages, letter: str) -> None:
    report = receive(pages)
    ConcernReport.objects.filter(pk=report.pk).update(contact_person=pages.measures_worker)

    assert as_user(pages.measures_worker).get(f"/meldinger/{report.pk}/{letter}").status_code == 403


def test_the_selector_that_returns_a_guardian_output_records_its_refusal(pages: Pages) -> None:
    """Routine 2 is refused and audited in one call, whatever output asks (page, PDF or API)."""
    report = receive(pages, kind=ConcernReport.Kind.VIOLENCE)

    with pytest.raises(PermissionDenied):
        concern_selectors.guardian_letter_output(user=pages.caseworker, report=report, channel="pdf")

    refused = AuditEvent.objects.get(action="concern_report.guardian_output_refused")
    assert (refused.actor, refused.object_id) == (pages.caseworker, str(report.pk))
    assert not AuditEvent.objects.filter(action="concern_report.guardian_letter_printed").exists()
