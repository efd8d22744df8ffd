"""A school's fixed barnevern contact obeys its rules wherever it is written (SchoolContact.clean:
the admin's form, the demo, any later service), not only in the admin's own form."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from org.models import StaffRole, Unit
from referrals.models import SchoolContact

from ..factories import DistrictFactory, StaffRoleFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _setting() -> tuple[Unit, Unit, StaffRole]:
    district = DistrictFactory()
    school = UnitFactory(district=district, kind=Unit.Kind.SCHOOL)
    barnevern = UnitFactory(district=district, kind=Unit.Kind.BARNEVERN)
    caseworker = StaffRoleFactory(unit=barnevern, role=StaffRole.Role.CASEWORKER)
    return school, barnevern, caseworker


def _errors(contact: SchoolContact) -> set[str]:
    with pytest.raises(ValidationError) as raised:
        contact.full_clean()
    return set(raised.value.message_dict)


def test_a_caseworker_of_the_schools_district_is_a_valid_contact() -> None:
    school, barnevern, caseworker = _setting()
    SchoolContact(school=school, barnevern_unit=barnevern, contact=caseworker.user).full_clean()


def test_the_school_must_be_a_school_and_the_service_barnevern() -> None:
    school, barnevern, caseworker = _setting()
    assert "school" in _errors(SchoolContact(school=barnevern, barnevern_unit=barnevern, contact=caseworker.user))
    assert "barnevern_unit" in _errors(SchoolContact(school=school, barnevern_unit=school, contact=caseworker.user))


def test_the_service_must_be_the_schools_district_and_the_contact_work_there() -> None:
    school, _, caseworker = _setting()
    elsewhere = UnitFactory(district=DistrictFactory(), kind=Unit.Kind.BARNEVERN)
    assert _errors(SchoolContact(school=school, barnevern_unit=elsewhere, contact=caseworker.user)) == {
        "barnevern_unit"
    }
    school, barnevern, _ = _setting()
    stranger = StaffRoleFactory(unit=school, role=StaffRole.Role.SCHOOL_CONTACT).user
    assert _errors(SchoolContact(school=school, barnevern_unit=barnevern, contact=stranger)) == {"contact"}


def test_the_end_is_not_before_the_start() -> None:
    school, barnevern, caseworker = _setting()
    contact = SchoolContact(
        school=school,
        barnevern_unit=barnevern,
        contact=caseworker.user,
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 4, 1),
    )
    assert _errors(contact) == {"ends_on"}
