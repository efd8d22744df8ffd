"""The world of the concern-report page tests: Bjerke's barnevern with a caseworker and a leader,
a school with its school contact and fixed barnevern contact person, another school, and a
youth followed by the follow-up unit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from cases.models import Youth
from core.models import User
from org.models import StaffRole, Unit
from referrals.concerns import services as concern_services
from referrals.models import ConcernReport, SchoolContact

from ..cases.factories import followed_youth
from ..conftest import People
from ..factories import StaffRoleFactory, TOTPDeviceFactory, UnitFactory

# A fødselsnummer with valid check digits (python-stdnum's example), and one with wrong ones.
VALID_FNR = "15108695088"
WRONG_FNR = "15108695077"


@dataclass
class Pages:
    people: People
    barnevern: Unit
    caseworker: User
    bv_leader: User
    measures_worker: User  # another barnevern unit (the measures department)
    school: Unit
    school_contact: User
    other_school_contact: User
    youth: Youth


def _person(unit: Unit, role: str, name: str) -> User:
    user = StaffRoleFactory(unit=unit, role=role, user__full_name=name).user
    TOTPDeviceFactory(user=user)
    return user


def build_pages(people: People) -> Pages:
    district = people.unit.district
    barnevern = UnitFactory(name="Barneverntjenesten Bjerke", kind=Unit.Kind.BARNEVERN, district=district)
    measures = UnitFactory(name="Tiltaksavdelingen Bjerke", kind=Unit.Kind.BARNEVERN, district=district)
    school = UnitFactory(name="Veitvet skole", kind=Unit.Kind.SCHOOL, district=district)
    other_school = UnitFactory(name="Linderud skole", kind=Unit.Kind.SCHOOL, district=district)
    caseworker = _person(barnevern, StaffRole.Role.CASEWORKER, "Kari Saksbehandler")
    SchoolContact.objects.create(
        school=school, barnevern_unit=barnevern, contact=caseworker, starts_on=datetime.date(2024, 1, 1)
    )
    return Pages(
        people=people,
        barnevern=barnevern,
        caseworker=caseworker,
        bv_leader=_person(barnevern, StaffRole.Role.LEADER, "Leif Barnevernleder"),
        measures_worker=_person(measures, StaffRole.Role.CASEWORKER, "Tina Tiltak"),
        school=school,
        school_contact=_person(school, StaffRole.Role.SCHOOL_CONTACT, "Sonja Sosiallærer"),
        other_school_contact=_person(other_school, StaffRole.Role.SCHOOL_CONTACT, "Odd Annenskole"),
        youth=followed_youth(people.unit, lead=people.follower, first_name="Sara", last_name="Berg"),
    )


def receive(pages: Pages, *, kind: str = ConcernReport.Kind.ORDINARY, **more: Any) -> ConcernReport:
    """A report from the school's contact, through the service."""
    fields: dict[str, Any] = {
        "actor": pages.school_contact,
        "unit": pages.barnevern,
        "channel": ConcernReport.Channel.SCHOOL_FORM,
        "reporter_kind": ConcernReport.ReporterKind.PUBLIC,
        "reporter": {
            "name": pages.school_contact.full_name,
            "organisation": pages.school.name,
            "user": pages.school_contact,
            "unit": pages.school,
        },
        "children": [{"name": "Per Hansen", "informed": False, "informed_reason": "Han er redd."}],
        "guardians": [{"name": "Guri Hansen", "informed": True}],
        "kind": kind,
        "concern": "Per kommer ofte sulten og skitten på skolen.",
        "history": "Bekymringen har vart siden august.",
        **more,
    }
    return concern_services.concern_report_receive(**fields)


def form_data(pages: Pages, **more: Any) -> dict[str, Any]:
    """A complete report as the school's form sends it."""
    data: dict[str, Any] = {
        "action": "send",
        "unit": str(pages.barnevern.pk),
        "kind": ConcernReport.Kind.ORDINARY,
        "reporter_name": "Sonja Sosiallærer",
        "reporter_role": "Sosiallærer",
        "reporter_organisation": "Veitvet skole",
        "reporter_phone": "22 33 44 55",
        "reporter_email": "sonja@veitvet.no",
        "reporter_relation": "",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "20",
        "children-0-name": "Per Hansen",
        "children-0-national_id": VALID_FNR,
        "children-0-address_line": "Veitvetveien 1",
        "children-0-postal_code": "0596",
        "children-0-postal_place": "Oslo",
        "children-0-informed": "no",
        "children-0-informed_reason": "Han er redd for reaksjonen hjemme.",
        "guardians-TOTAL_FORMS": "1",
        "guardians-INITIAL_FORMS": "0",
        "guardians-MIN_NUM_FORMS": "0",
        "guardians-MAX_NUM_FORMS": "20",
        "guardians-0-name": "Guri Hansen",
        "guardians-0-phone": "900 00 000",
        "guardians-0-informed": "yes",
        "concern": "Per kommer ofte sulten og skitten på skolen.",
        "history": "Bekymringen har vart siden august.",
        "other_views": "",
        "interpreter_need": "",
        "other_agencies": "Helsesykepleier",
    }
    data.update(more)
    return data
