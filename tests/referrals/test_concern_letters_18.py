"""The letter to the guardians about a concern report stops at 00:00 Oslo time on the 18th
birthday of a registered child of the report, unless the youth has consented to involving the
guardians (issue 14, point 4: referrals.concerns.services.guardian_output_check asks
consent.policy.guardians_told). Refused with the reason (403 on the PDF, the reason on the page
and in the API's detail) and audited; the youth's consent opens it again."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from cases.models import Youth
from consent import services as consent_services
from core.models import AuditEvent
from referrals.concerns import selectors as concern_selectors
from referrals.models import ConcernReport, ConcernReportChild

from ..cases.helpers_records import api_client
from ..conftest import People
from .concern_pages import Pages, build_pages, receive

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
BORN = datetime.date(2008, 5, 10)  # 18 on 10 May 2026


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def report(people: People) -> tuple[Pages, ConcernReport]:
    with time_machine.travel(oslo(2026, 5, 1, 12, 0), tick=False):
        pages = build_pages(people)
        Youth.objects.filter(pk=pages.youth.pk).update(birth_date=BORN)
        pages.youth.refresh_from_db()
        report = receive(pages)
    ConcernReportChild.objects.filter(report=report).update(youth=pages.youth)
    return pages, report


def test_the_guardian_letter_is_made_until_23_59_and_refused_from_midnight_on_the_birthday(
    as_user: Any, report: tuple[Pages, ConcernReport]
) -> None:
    pages, concern = report
    url = f"/meldinger/{concern.pk}/brev-foresatte.pdf"
    with time_machine.travel(oslo(2026, 5, 9, 23, 59), tick=False):
        assert as_user(pages.caseworker).get(url).status_code == 200
        assert concern_selectors.guardian_letter_refusal(report=concern) == ""
    with time_machine.travel(oslo(2026, 5, 10, 0, 0), tick=False):
        client = as_user(pages.caseworker)
        refused = client.get(url)
        assert refused.status_code == 403
        assert "fylte 18 år 10.5.2026" in refused.content.decode()
        assert AuditEvent.objects.filter(action="concern_report.guardian_output_refused").count() == 1
        page = client.get(f"/meldinger/{concern.pk}/").content.decode()
        assert "brev-foresatte.pdf" not in page
        assert "Brev til foresatte: ikke tilgjengelig." in page
        detail = api_client(pages.caseworker).get(f"/api/v1/concern-reports/{concern.pk}/")
        assert detail.status_code == 200, detail.content
        assert "18" in detail.json()["guardian_letter_refusal"]
        with pytest.raises(PermissionDenied):
            concern_selectors.guardian_letter_output(user=pages.caseworker, report=concern, channel="pdf")


def test_the_youths_consent_to_involving_the_guardians_opens_the_letter_again(
    as_user: Any, report: tuple[Pages, ConcernReport]
) -> None:
    pages, concern = report
    with time_machine.travel(oslo(2026, 5, 10, 9, 0), tick=False):
        consent_services.consent_record(
            actor=pages.people.follower,
            youth=pages.youth,
            purpose="Mor skal få vite om meldingen",
            categories=["family"],
            units=[pages.people.unit],
            form="oral",
            valid_to=datetime.date(2027, 5, 9),
            youth_answer="given",
            involve_guardians=True,
        )
        assert as_user(pages.caseworker).get(f"/meldinger/{concern.pk}/brev-foresatte.pdf").status_code == 200
        assert (
            api_client(pages.caseworker).get(f"/api/v1/concern-reports/{concern.pk}/").json()["guardian_letter_refusal"]
            is None
        )
