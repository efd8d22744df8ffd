"""The admin of referrals: schools' barnevern contacts kept (never deleted), concern reports
read-only and by their workflow only (no child, guardian, reporter or text)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from core.models import AuditEvent
from org.models import StaffRole, Unit
from referrals.models import ConcernReport, ConcernReportChild, SchoolContact
from tests.conftest import People
from tests.factories import StaffRoleFactory, UnitFactory

CHILD = "Tiril Synlignavn"
CONCERN = "En helt særegen bekymringstekst"
REPORTER = "Rita Meldersen"


@pytest.fixture
def barnevern(people: People) -> dict[str, Any]:
    district = people.unit.district
    service = UnitFactory(name="Barnevernstjenesten i bydel Bjerke", kind=Unit.Kind.BARNEVERN, district=district)
    school = UnitFactory(name="Linderud skole", kind=Unit.Kind.SCHOOL, district=district)
    caseworker = StaffRoleFactory(
        unit=service, role=StaffRole.Role.CASEWORKER, user__full_name="Cecilie Caseworker"
    ).user
    report = ConcernReport.objects.create(
        unit=service,
        channel=ConcernReport.Channel.PHONE,
        reporter_kind=ConcernReport.ReporterKind.PRIVATE,
        reporter_name=REPORTER,
        concern=CONCERN,
        caseworker=caseworker,
    )
    ConcernReportChild.objects.create(report=report, name=CHILD)
    return {"service": service, "school": school, "caseworker": caseworker, "report": report}


def _contact_form(school: Unit, service: Unit, contact: Any, **more: str) -> dict[str, Any]:
    return {
        "school": school.pk,
        "barnevern_unit": service.pk,
        "contact": contact.pk,
        "starts_on": "2026-08-01",
        "ends_on": "",
        **more,
    }


def test_the_admin_lists_concern_reports_by_workflow_without_child_reporter_or_text(
    people: People, barnevern: dict[str, Any], as_user: Any
) -> None:
    client = as_user(people.admin)
    report = barnevern["report"]
    for url in ("/admin/referrals/concernreport/", f"/admin/referrals/concernreport/{report.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Cecilie Caseworker" in page
        assert CHILD not in page
        assert CONCERN not in page
        assert REPORTER not in page


def test_the_admin_cannot_add_change_or_delete_a_concern_report(
    people: People, barnevern: dict[str, Any], as_user: Any
) -> None:
    client = as_user(people.admin)
    report = barnevern["report"]
    assert client.get("/admin/referrals/concernreport/add/").status_code == 403
    response = client.post(f"/admin/referrals/concernreport/{report.pk}/change/", {"state": ConcernReport.State.CLOSED})
    assert response.status_code == 403
    assert client.post(f"/admin/referrals/concernreport/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    report.refresh_from_db()
    assert report.state == ConcernReport.State.RECEIVED


@pytest.mark.parametrize("who", ["follower", "leader", "outsider"])
def test_staff_without_the_administrator_right_do_not_reach_the_referrals_admin(
    people: People, barnevern: dict[str, Any], as_user: Any, who: str
) -> None:
    client = as_user(getattr(people, who))
    for url in ("/admin/referrals/concernreport/", "/admin/referrals/schoolcontact/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/referrals/" not in response["Location"].split("?")[0]


def test_an_administrator_gives_a_school_its_barnevern_contact_and_it_is_audited(
    people: People, barnevern: dict[str, Any], as_user: Any
) -> None:
    client = as_user(people.admin)
    response = client.post(
        "/admin/referrals/schoolcontact/add/",
        _contact_form(barnevern["school"], barnevern["service"], barnevern["caseworker"]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = SchoolContact.objects.get()
    assert contact.contact == barnevern["caseworker"]
    assert contact.starts_on == datetime.date(2026, 8, 1)
    assert AuditEvent.objects.filter(action="admin.add", object_id=str(contact.pk)).exists()


def test_a_contact_must_be_a_caseworker_of_a_barnevern_service_for_a_school(
    people: People, barnevern: dict[str, Any], as_user: Any
) -> None:
    client = as_user(people.admin)
    school, service, caseworker = barnevern["school"], barnevern["service"], barnevern["caseworker"]
    cases = [
        (_contact_form(people.unit, service, caseworker), "Velg en skole."),
        (_contact_form(school, people.unit, caseworker), "Velg en barnevernstjeneste."),
        (_contact_form(school, service, people.follower), "er ikke saksbehandler eller leder i"),
        (_contact_form(school, service, caseworker, ends_on="2026-07-01"), "kan ikke være før startdatoen"),
    ]
    for data, message in cases:
        response = client.post("/admin/referrals/schoolcontact/add/", data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert not SchoolContact.objects.exists()


def test_a_school_has_one_contact_in_force_and_a_contact_is_ended_not_deleted(
    people: People, barnevern: dict[str, Any], as_user: Any
) -> None:
    client = as_user(people.admin)
    school, service, caseworker = barnevern["school"], barnevern["service"], barnevern["caseworker"]
    contact = SchoolContact.objects.create(
        school=school, barnevern_unit=service, contact=caseworker, starts_on=datetime.date(2025, 8, 1)
    )
    response = client.post("/admin/referrals/schoolcontact/add/", _contact_form(school, service, caseworker))
    assert response.status_code == 200
    assert SchoolContact.objects.count() == 1

    assert client.post(f"/admin/referrals/schoolcontact/{contact.pk}/delete/", {"post": "yes"}).status_code == 403
    ended = _contact_form(school, service, caseworker, ends_on="2026-07-31")
    ended["starts_on"] = "2025-08-01"
    response = client.post(f"/admin/referrals/schoolcontact/{contact.pk}/change/", ended)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.ends_on == datetime.date(2026, 7, 31)
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(contact.pk)).exists()
