"""The fixture set of people (STYLE.md): a follower and a teammate in one unit, its leader,
a police contact, an outsider in another district, and an administrator."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.postgresql.operations import DatabaseOperations
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import User
from org.models import District, StaffRole, Unit

from .factories import PASSWORD, DistrictFactory, StaffRoleFactory, TOTPDeviceFactory, UnitFactory, UserFactory


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist (`make test`), the tests of the demo data run on one worker, which builds
    the demo once for them all (tests/demo/conftest.py); `--dist loadgroup` honours the group."""
    for item in items:
        if "demo_built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))


@pytest.fixture(autouse=True, scope="session")
def _flush_bypasses_audit_triggers() -> Iterator[None]:
    """Transactional tests end with TRUNCATE of every table, which the audit trail refuses
    by design. The test database's superuser sets session_replication_role for the flush only."""
    original = DatabaseOperations.sql_flush

    def sql_flush(
        self: BaseDatabaseOperations,
        style: Any,
        tables: Sequence[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        assert isinstance(self, DatabaseOperations)
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not statements:
            return statements
        return ["SET session_replication_role = replica;", *statements, "SET session_replication_role = origin;"]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Each test starts with no requests counted (core.throttling keeps its counts in Redis,
    which outlives a test's database transaction)."""
    cache.delete_pattern("throttle_*")  # type: ignore[attr-defined]


@dataclass
class People:
    unit: Unit
    police_unit: Unit
    other_unit: Unit
    follower: User
    teammate: User
    leader: User
    police: User
    outsider: User
    admin: User

    @property
    def district(self) -> District:
        """The district of the unit (Bjerke): the people's unit always has one."""
        assert self.unit.district is not None
        return self.unit.district


@pytest.fixture
def people(db: None) -> People:
    bjerke = DistrictFactory(number=9, name="Bjerke")
    alna = DistrictFactory(number=12, name="Alna")
    unit = UnitFactory(name="Én-til-én-oppfølging Bjerke", district=bjerke, kind=Unit.Kind.SALTO)
    police_unit = UnitFactory(name="Politiet Øst", district=None, kind=Unit.Kind.POLICE)
    other_unit = UnitFactory(name="Én-til-én-oppfølging Alna", district=alna, kind=Unit.Kind.SALTO)
    follower = StaffRoleFactory(unit=unit, role=StaffRole.Role.FOLLOWER, user__full_name="Alice Follower").user
    teammate = StaffRoleFactory(unit=unit, role=StaffRole.Role.FAMILY_FOLLOWER, user__full_name="Bob Teammate").user
    leader = StaffRoleFactory(unit=unit, role=StaffRole.Role.LEADER, user__full_name="Lena Leader").user
    police = StaffRoleFactory(unit=police_unit, role=StaffRole.Role.POLICE_CONTACT).user
    outsider = StaffRoleFactory(unit=other_unit, role=StaffRole.Role.FOLLOWER, user__full_name="Olav Outsider").user
    admin = UserFactory(full_name="Ada Admin", is_staff=True, is_superuser=True)
    StaffRoleFactory(user=admin, unit=unit, role=StaffRole.Role.ADMINISTRATOR)
    for user in (follower, teammate, leader, police, outsider, admin):
        TOTPDeviceFactory(user=user)
    return People(unit, police_unit, other_unit, follower, teammate, leader, police, outsider, admin)


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(client: Client, user: User) -> Client:
    """The whole sign-in as a person does it: password, then the TOTP code."""
    response = client.post("/logg-inn/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    response = client.post("/logg-inn/kode/", {"token": current_code(user)})
    assert response.status_code == 302, response.content
    return client


@pytest.fixture
def as_user(client: Client) -> Any:
    def _as(user: User) -> Client:
        return sign_in(client, user)

    return _as
