"""The KS Fiks world for tests: two districts' barnevern services with a caseworker and a leader
each, the official v2 examples, and reports made through concern_report_receive."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.test import Client

from core.models import User
from org.models import StaffRole, Unit
from referrals.concerns import services as concern_services
from referrals.models import (
    ConcernReport,
    ConcernReportAttachment,
    ConcernReportChild,
    ConcernReportEvent,
    ConcernReportGuardian,
)

from ..conftest import People
from ..factories import StaffRoleFactory, TOTPDeviceFactory, UnitFactory, api_key

FIXTURES = Path(__file__).parent / "fixtures"


def example(variant: str) -> dict[str, Any]:
    """A fresh copy of the official KS Fiks example (offentlig or privat)."""
    data: dict[str, Any] = json.loads((FIXTURES / f"{variant}BekymringsmeldingV2.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


@dataclass
class Barnevern:
    people: People
    unit: Unit
    caseworker: User
    leader: User
    other_unit: Unit
    other_caseworker: User


def build_barnevern(people: People) -> Barnevern:
    bjerke, alna = people.unit.district, people.other_unit.district
    unit = UnitFactory(
        name="Barnevernstjenesten Bjerke",
        district=bjerke,
        kind=Unit.Kind.BARNEVERN,
        phone="23 43 00 00",
        email="postmottak@bbj.oslo.kommune.no",
    )
    other = UnitFactory(name="Barnevernstjenesten Alna", district=alna, kind=Unit.Kind.BARNEVERN)
    caseworker = StaffRoleFactory(unit=unit, role=StaffRole.Role.CASEWORKER, user__full_name="Kari Saksbehandler").user
    leader = StaffRoleFactory(unit=unit, role=StaffRole.Role.LEADER, user__full_name="Liv Leder").user
    other_caseworker = StaffRoleFactory(
        unit=other, role=StaffRole.Role.CASEWORKER, user__full_name="Per Saksbehandler"
    ).user
    for user in (caseworker, leader, other_caseworker):
        TOTPDeviceFactory(user=user)
    return Barnevern(people, unit, caseworker, leader, other, other_caseworker)


def report_rows() -> dict[str, int]:
    """How many rows each concern-report table holds (an invalid import leaves them all as they were)."""
    return {
        model.__name__: model.objects.count()
        for model in (
            ConcernReport,
            ConcernReportChild,
            ConcernReportGuardian,
            ConcernReportEvent,
            ConcernReportAttachment,
        )
    }


def receive(
    world: Barnevern,
    *,
    reporter_kind: str = ConcernReport.ReporterKind.PUBLIC,
    kind: str = ConcernReport.Kind.ORDINARY,
    guardians: int = 1,
    **fields: Any,
) -> ConcernReport:
    """A report made through the service, as a caseworker registers one that came by phone."""
    public = reporter_kind == ConcernReport.ReporterKind.PUBLIC
    reporter: dict[str, Any] = (
        {
            "name": "Siri Sosiallærer",
            "role": "Sosiallærer",
            "organisation": "Bjerke skole",
            "phone": "(+47) 22 33 44 55",
            "email": "siri.sosiallaerer@osloskolen.no",
            "address": {"adresselinje1": "Bjerkeveien 1", "postnummer": "0596", "poststed": "Oslo"},
        }
        if public
        else {"name": "Nils Nabo", "phone": "", "relation": "Nabo"}
    )
    fields.setdefault("concern", "Gutten kommer sulten på skolen og sier han ikke vil gå hjem.\nFlere ganger.")
    return concern_services.concern_report_receive(
        actor=world.caseworker,
        unit=world.unit,
        channel=ConcernReport.Channel.PHONE,
        reporter_kind=reporter_kind,
        reporter=reporter,
        children=[
            {
                "name": "Ola Nordmann",
                "national_id": "28071364498",
                "address": {"adresselinje1": "Trondheimsveien 300", "postnummer": "0598", "poststed": "Oslo"},
                "phone": "900 00 000",
                "informed": False,
                "informed_reason": "Han er redd.\nVil ikke at mor skal vite.",
                "assumed_age": "10",
                "relation": "Nabo",
            },
            {"name": "Ufødt barn", "unborn": True},
        ],
        guardians=[
            {"name": f"Foresatt {n}", "phone": f"41 00 00 0{n}", "informed": True, "informed_reason": ""}
            for n in range(1, guardians + 1)
        ],
        kind=kind,
        **fields,
    )


def api_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")
