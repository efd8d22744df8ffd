"""KS Fiks bekymringsmelding v2: the official examples import, invalid documents are refused
with the schema's messages and save nothing, every report Laget makes exports as a valid
document, and a document survives the round trip."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation

from cases.models import Youth
from core.models import AuditEvent
from referrals.concerns import ksfiks
from referrals.concerns import services as concern_services
from referrals.models import ConcernReport, KsFiksDocument

from ..cases.factories import followed_youth
from ..conftest import People
from .ksfiks_helpers import Barnevern, build_barnevern, example, receive, report_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Rules are asserted on the English source messages, whatever the catalogue holds (pages and
    API answers are in bokmål through the middleware whatever is active here)."""
    with translation.override("en"):
        yield


OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def world(people: People) -> Barnevern:
    return build_barnevern(people)


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return error.value.message_dict["document"]


# --- The schemas ---------------------------------------------------------------------------


def test_the_copied_schemas_are_the_shared_standard() -> None:
    shared = ksfiks.SCHEMA_ROOT.parents[2].parent / "shared" / "standards" / "ks-fiks-bekymringsmelding" / "domain"
    if not shared.exists():
        pytest.skip("the shared standards are not next to this checkout")
    for relative in ("adresse.json", *ksfiks.SCHEMA_FILES.values()):
        assert json.loads((ksfiks.SCHEMA_ROOT / relative).read_text()) == json.loads((shared / relative).read_text())


@pytest.mark.parametrize("variant", ["offentlig", "privat"])
def test_the_official_examples_validate(variant: str) -> None:
    assert ksfiks.schema_messages(variant, example(variant)) == []  # type: ignore[arg-type]


def test_the_address_reference_resolves_to_the_address_schema() -> None:
    document = example("privat")
    document["privatBarn"][0]["adresse"] = {"postnummer": 596}
    assert ksfiks.schema_messages("privat", document) == [
        "privatBarn[0].adresse: 'adresselinje1' is a required property",
        "privatBarn[0].adresse.postnummer: 596 is not of type 'string'",
    ]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2020-03-16T13:29:33", True),
        ("2020-03-16T13:29:33.250", True),
        ("2020-03-16T13:29:33+01:00", True),
        ("2020-03-16T12:29:33Z", True),
        ("2020-03-16", False),
        ("16.03.2020 13:29", False),
        ("2020-02-30T10:00:00", False),
        ("i går", False),
        ("٢٠٢٠-03-16T13:29:33", False),
        ("2020-03-16T13:29:33\n", False),
    ],
)
def test_sendingstidspunkt_is_checked_as_a_date_time(value: str, valid: bool) -> None:
    document = example("offentlig") | {"sendingstidspunkt": value}
    messages = ksfiks.schema_messages("offentlig", document)
    assert messages == ([] if valid else [f"sendingstidspunkt: {value!r} is not a 'date-time'"])


def test_a_time_without_offset_is_oslo_time_in_winter_and_in_summer() -> None:
    winter = ksfiks.sent_at_from("2020-03-16T13:29:33")
    summer = ksfiks.sent_at_from("2020-06-16T13:29:33")
    assert winter == datetime.datetime(2020, 3, 16, 12, 29, 33, tzinfo=datetime.UTC)
    assert summer == datetime.datetime(2020, 6, 16, 11, 29, 33, tzinfo=datetime.UTC)
    assert ksfiks.sent_at_from("2020-06-16T13:29:33Z") == datetime.datetime(
        2020, 6, 16, 13, 29, 33, tzinfo=datetime.UTC
    )


# --- Import ----------------------------------------------------------------------------------


def test_the_official_offentlig_example_imports_with_every_part(world: Barnevern) -> None:
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=example("offentlig"))

    assert report.channel == ConcernReport.Channel.KS_FIKS
    assert report.reporter_kind == ConcernReport.ReporterKind.PUBLIC
    assert report.kind == ConcernReport.Kind.ORDINARY
    assert report.unit == world.unit
    assert (report.reporter_name, report.reporter_role, report.reporter_phone, report.reporter_email) == (
        "Navnesen Navn Mellomnavn",
        "Lærer",
        "99999999",
        "lærer@skole.no",
    )
    assert (report.reporter_organisation, report.reporter_org_number) == ("Lærerskolen", "123455789")
    assert report.reporter_address["adresselinje1"] == "Rosenkrantzgaten 3"
    assert report.concern == "Her kommer selve innholdet i bekymringsmeldingen!"
    assert report.history == "Her kommer selve historien i bekymringsmeldingen!"
    assert report.other_views == "Her kommer andre synspunkter i bekymringsmeldingen!"
    assert report.interpreter_need == "Nei, de snakker norsk."
    assert report.other_agencies == "Nei, ikke vært i kontakt med andre hjelpeinstanser."
    assert report.sent_at == datetime.datetime(2020, 3, 16, 13, 29, 33, tzinfo=OSLO)
    assert report.delivery_channel == "Fagsystem"
    assert report.municipality_number == "1201"
    children = list(report.children.order_by("id"))
    assert [(c.name, c.national_id, c.unborn, c.phone, c.informed) for c in children] == [
        ("Barn Barnesen", "28071364498", False, "12121212", False),
        ("Bare Barnet", "16081688781", False, "13131313", False),
    ]
    assert children[0].informed_reason == "Synes det er vanskelig å snakke om dette."
    assert children[0].address["poststed"] == "Bergen"
    assert [(g.name, g.phone, g.informed) for g in report.guardians.all()] == [("Foresatt Foresatt", "45444342", True)]
    assert list(report.events.values_list("action", flat=True)) == ["received"]
    audit = AuditEvent.objects.get(action="concern_report.received", object_id=str(report.pk))
    assert audit.detail["channel"] == "ks_fiks"


def test_the_official_privat_example_imports(world: Barnevern) -> None:
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=json.dumps(example("privat")).encode())

    assert report.reporter_kind == ConcernReport.ReporterKind.PRIVATE
    assert (report.reporter_name, report.reporter_phone) == ("Navnesen Navn Mellomnavn", "99999999")
    assert report.reporter_address["postnummer"] == "5003"
    assert report.concern == "Her kommer selve innholdet i bekymringsmeldingen!"
    assert report.history == report.other_views == ""
    assert report.sent_at == datetime.datetime(2020, 3, 17, 0, 31, 56, tzinfo=OSLO)
    assert [(c.name, c.assumed_age, c.relation, c.informed) for c in report.children.order_by("id")] == [
        ("Barn Barnesen", "10", "Nabo, fritekstfelt", None),
        ("Bare Barnet", "10", "Nabo, fritekstfelt", None),
    ]
    assert not report.guardians.exists()


def _broken(change: str) -> Any:
    document = example("offentlig")
    if change == "missing melding":
        del document["melding"]
    elif change == "bad email":
        document["offentligMelder"]["epost"] = "x"
    elif change == "wrong type":
        document["offentligBarn"][0]["ufoedt"] = "nei"
    elif change == "no children":
        document["offentligBarn"] = []
    elif change == "three guardians":
        document["foresatte"] *= 3
    elif change == "bad bydel":
        document["bydelsnummer"] = "2"
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing melding", "'melding' is a required property"),
        ("bad email", "offentligMelder.epost: 'x' does not match '^[A-Za-zæøåÆØÅ0-9-_]+"),
        ("wrong type", "offentligBarn[0].ufoedt: 'nei' is not of type 'boolean'"),
        ("no children", "offentligBarn: [] should be non-empty"),
        ("three guardians", "foresatte: [{"),
        ("bad bydel", "bydelsnummer: '2' does not match '^[0-9]{2}$'"),
    ],
)
def test_an_invalid_document_is_refused_with_the_schema_message_and_saves_nothing(
    world: Barnevern, change: str, message: str
) -> None:
    before = report_rows()
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=_broken(change))
    assert any(m.startswith(message) for m in _messages(error)), _messages(error)
    assert report_rows() == before
    assert AuditEvent.objects.count() == audits


def test_every_schema_problem_is_reported_at_once(world: Barnevern) -> None:
    document = _broken("bad email")
    del document["leveringskanal"]
    document["offentligBarn"][1]["orientert"] = "ja"
    with pytest.raises(ValidationError) as error:
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)
    messages = _messages(error)
    assert len(messages) == 3
    assert messages[0] == "'leveringskanal' is a required property"
    assert "offentligBarn[1].orientert: 'ja' is not of type 'boolean'" in messages


def test_only_the_receiving_services_caseworkers_and_leaders_import(world: Barnevern) -> None:
    before = report_rows()
    for outsider in (world.other_caseworker, world.people.follower):
        with pytest.raises(PermissionDenied):
            ksfiks.import_report(actor=outsider, unit=world.unit, data=example("offentlig"))
    assert report_rows() == before
    assert ksfiks.import_report(actor=world.leader, unit=world.unit, data=example("offentlig")).unit == world.unit


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "The document is not valid JSON."),
        (b"", "The document is not valid JSON."),
        (b"[1, 2]", "The document must be a JSON object (a KS Fiks concern report, v2)."),
        (b'{"kommunenummer": "0301"}', "The document must have either offentligMelder"),
    ],
)
def test_a_document_that_is_not_a_concern_report_is_refused(world: Barnevern, data: bytes, message: str) -> None:
    before = report_rows()
    with pytest.raises(ValidationError) as error:
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=data)
    assert _messages(error)[0].startswith(message)
    assert report_rows() == before


def test_a_document_with_both_reporters_is_refused(world: Barnevern) -> None:
    document = example("offentlig") | {"privatMelder": example("privat")["privatMelder"]}
    with pytest.raises(ValidationError):
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)
    assert ConcernReport.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("offentligBarn", 0, "fnr"), "1" * 12, "offentligBarn[0].fnr: at most 11 characters (it has 12)."),
        (("offentligMelder", "personnavn"), "N" * 201, "offentligMelder.personnavn: at most 200 characters"),
        (("melding", "historie"), "før\x00etter", "melding.historie: contains a NUL character."),
        (("melding", "melding"), "   ", "melding.melding: the concern itself is empty."),
        (("offentligBarn", 1, "personnavn"), "", "offentligBarn[1].personnavn: the child's name is empty."),
        (("kommunenummer",), "0301\n", "kommunenummer: four digits (0301 is Oslo)."),
        (("sendingstidspunkt",), "0001-01-01T00:00:00+01:00", "sendingstidspunkt: the report cannot have been sent"),
        (("offentligMelder", "virksomhet", "adresse", "poststed"), "O\x00slo", "offentligMelder.virksomhet.adresse"),
    ],
)
def test_what_laget_cannot_keep_is_refused_by_its_path_and_saves_nothing(
    world: Barnevern, path: tuple[Any, ...], value: str, message: str
) -> None:
    document = example("offentlig")
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    before = report_rows()
    with pytest.raises(ValidationError) as error:
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)
    assert any(m.startswith(message) for m in _messages(error)), _messages(error)
    assert report_rows() == before


def test_a_rule_of_the_service_refuses_the_whole_import(world: Barnevern) -> None:
    document = example("offentlig")
    document["offentligBarn"][1]["fnr"] = "16081688782"  # wrong check digits
    before = report_rows()
    with pytest.raises(ValidationError) as error:
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)
    assert "children" in error.value.message_dict
    assert report_rows() == before


def test_a_child_is_matched_to_a_youth_only_when_the_importer_may_see_the_youth(world: Barnevern) -> None:
    people = world.people
    seen = followed_youth(
        people.unit, family=world.caseworker, national_id="28071364498", birth_date=datetime.date(2013, 7, 28)
    )
    unseen = followed_youth(
        people.unit, lead=people.follower, national_id="16081688781", birth_date=datetime.date(2016, 8, 16)
    )
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=example("offentlig"))
    matched = {c.national_id: c.youth_id for c in report.children.all()}
    assert matched == {"28071364498": seen.pk, "16081688781": None}
    assert Youth.objects.filter(pk=unseen.pk).exists()


def test_the_type_of_report_is_the_callers_and_violence_leaves_every_guardian_uninformed(world: Barnevern) -> None:
    report = ksfiks.import_report(
        actor=world.caseworker, unit=world.unit, data=example("offentlig"), kind=ConcernReport.Kind.VIOLENCE
    )
    assert report.is_violence
    assert not report.guardians_may_be_told
    assert [g.informed for g in report.guardians.all()] == [False]
    exported = ksfiks.export_report(report=report)
    assert [g["orientert"] for g in exported["foresatte"]] == [False]


# --- Export ----------------------------------------------------------------------------------


def _reports_of_every_kind(world: Barnevern) -> list[ConcernReport]:
    reports = []
    for reporter_kind in ConcernReport.ReporterKind.values:
        ordinary = receive(world, reporter_kind=reporter_kind)
        reports.append(ordinary)
        reports.append(receive(world, reporter_kind=reporter_kind, kind=ConcernReport.Kind.VIOLENCE))
        reports.append(
            receive(
                world,
                reporter_kind=reporter_kind,
                kind=ConcernReport.Kind.ACTIVE_CASE,
                active_case=ordinary,
                guardians=3,
                history="Tidligere meldt i 2023.",
                other_views="Mor er uenig.",
                interpreter_need="Arabisk",
                other_agencies="Helsestasjonen",
            )
        )
    return reports


def test_every_report_made_through_the_service_exports_as_a_valid_document(world: Barnevern) -> None:
    for report in _reports_of_every_kind(world):
        document = ksfiks.export_report(report=report)
        variant: ksfiks.Variant = "offentlig" if report.reporter_kind == ConcernReport.ReporterKind.PUBLIC else "privat"
        assert ksfiks.schema_messages(variant, document) == [], (report.kind, variant)
        assert document["kommunenummer"] == "0301"
        assert document["kommunenavn"] == "Oslo"
        assert document["bydelsnummer"] == "09"
        assert document["bydelsnavn"] == "Bjerke"
        assert document["leveringskanal"] == "Laget"
        assert ksfiks.sent_at_from(document["sendingstidspunkt"]) == report.received_at.replace(microsecond=0)


def test_a_public_reporters_export_carries_every_part(world: Barnevern) -> None:
    report = receive(world, guardians=3, history="Historie.", other_views="Synspunkt.", interpreter_need="Nei")
    document = ksfiks.export_report(report=report)
    melder = document["offentligMelder"]
    assert melder["telefonnummer"] == "47 22 33 44 55"  # the brackets the schema refuses are dropped
    assert melder["epost"] == "siri.sosiallaerer@osloskolen.no"
    assert melder["virksomhet"]["navn"] == "Bjerke skole"
    barn = document["offentligBarn"]
    assert barn[0]["fnr"] == "28071364498"
    assert barn[0]["orientertGrunn"] == "Han er redd. Vil ikke at mor skal vite."
    assert barn[1] == {
        "fnr": "",
        "ufoedt": True,
        "personnavn": "Ufødt barn",
        "adresse": {"adresselinje1": ""},
        "orientert": False,
        "orientertGrunn": "",
    }
    assert [g["personnavn"] for g in document["foresatte"]] == ["Foresatt 1", "Foresatt 2"]
    assert "Foresatt 3, 41 00 00 03" in document["melding"]["andreSynspunkter"]
    assert document["melding"]["historie"] == "Historie."
    assert document["behovForTolk"] == "Nei"


def test_a_public_reporter_without_phone_or_email_gets_the_units(world: Barnevern) -> None:
    report = receive(world)
    ConcernReport.objects.filter(pk=report.pk).update(reporter_phone="", reporter_email="", reporter_organisation="")
    report.refresh_from_db()
    melder = ksfiks.export_report(report=report)["offentligMelder"]
    assert melder["telefonnummer"] == "23 43 00 00"
    assert melder["epost"] == "postmottak@bbj.oslo.kommune.no"
    assert melder["virksomhet"]["navn"] == ""


def test_a_private_reporters_export_keeps_laget_parts_in_the_one_text(world: Barnevern) -> None:
    report = receive(
        world, reporter_kind=ConcernReport.ReporterKind.PRIVATE, history="Har vart lenge.", other_agencies="BUP"
    )
    document = ksfiks.export_report(report=report)
    assert document["privatMelder"] == {"personnavn": "Nils Nabo"}
    assert document["privatBarn"][0]["antattAlder"] == "10"
    assert document["melding"].startswith(report.concern)
    assert "Har vart lenge." in document["melding"]
    assert "BUP" in document["melding"]
    assert "Foresatt 1" in document["melding"]


def test_withheld_children_go_out_without_their_details(world: Barnevern) -> None:
    report = receive(world)
    first = report.children.order_by("id").first()
    assert first is not None
    child = ksfiks.export_report(report=report, withheld=[first.pk])["offentligBarn"][0]
    assert (child["fnr"], child["adresse"], "telefonnummer" in child) == ("", {"adresselinje1": ""}, False)


def test_an_export_that_would_not_validate_raises(world: Barnevern) -> None:
    report = receive(world)
    report.children.all().delete()  # a public report with no child cannot be a valid document
    with pytest.raises(ksfiks.ExportInvalidError):
        ksfiks.export_report(report=report)


# --- Round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["offentlig", "privat"])
def test_an_imported_example_exports_valid_and_with_the_same_content(world: Barnevern, variant: str) -> None:
    original = example(variant)
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=original)
    exported = ksfiks.export_report(report=ConcernReport.objects.get(pk=report.pk))

    assert ksfiks.schema_messages(variant, exported) == []  # type: ignore[arg-type]
    # The receiving service is Laget's: the bydel is the unit's district.
    assert (exported["bydelsnummer"], exported["bydelsnavn"]) == ("09", "Bjerke")
    assert exported["kommunenummer"] == original["kommunenummer"]
    same = {
        k: v for k, v in original.items() if k not in ("kommunenavn", "bydelsnummer", "bydelsnavn", "sendingstidspunkt")
    }
    assert {k: v for k, v in exported.items() if k in same} == same
    # The example's time has no offset (Oslo time): the export gives the same moment and, as
    # RFC 3339 wants, says its offset.
    assert exported["sendingstidspunkt"] == original["sendingstidspunkt"] + "+01:00"
    assert ksfiks.sent_at_from(exported["sendingstidspunkt"]) == ksfiks.sent_at_from(original["sendingstidspunkt"])
    again = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=exported)
    assert ksfiks.export_report(report=again) == exported


def test_the_round_trip_survives_the_change_to_summer_time(world: Barnevern) -> None:
    document = example("privat") | {"sendingstidspunkt": "2024-03-31T03:30:00"}
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)
    assert report.sent_at == datetime.datetime(2024, 3, 31, 1, 30, tzinfo=datetime.UTC)
    assert ksfiks.export_report(report=report)["sendingstidspunkt"] == "2024-03-31T03:30:00+02:00"


def test_an_export_after_the_workflow_still_validates(world: Barnevern) -> None:
    report = receive(world)
    report = concern_services.concern_report_open_investigation(actor=world.caseworker, report=report)
    report = concern_services.concern_report_conclude(
        actor=world.caseworker,
        report=report,
        measures=True,
        conclusion="Hjelpetiltak i hjemmet.",
        contact_person=world.other_caseworker,
        measures_started_on=timezone.localdate(),
    )
    assert ksfiks.schema_messages("offentlig", ksfiks.export_report(report=report)) == []


# --- Issue 11, defect 9: the repeated hour, offsets, the original kept, limits -----------------

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@pytest.mark.parametrize(
    ("sent", "utc"),
    [
        # 2025-10-26 02:30 happens twice in Oslo: first in summer time, then in winter time (as
        # 2027-10-31 02:30 will; a sending time cannot be in the future).
        ("2025-10-26T02:30:00+02:00", datetime.datetime(2025, 10, 26, 0, 30, tzinfo=datetime.UTC)),
        ("2025-10-26T02:30:00+01:00", datetime.datetime(2025, 10, 26, 1, 30, tzinfo=datetime.UTC)),
    ],
)
def test_both_0230s_of_the_night_summer_time_ends_survive_export_and_import(
    world: Barnevern, sent: str, utc: datetime.datetime
) -> None:
    report = ksfiks.import_report(
        actor=world.caseworker, unit=world.unit, data=example("offentlig") | {"sendingstidspunkt": sent}
    )
    stored = ConcernReport.objects.get(pk=report.pk)
    assert stored.sent_at == utc
    exported = ksfiks.export_report(report=stored)
    assert exported["sendingstidspunkt"] == sent
    again = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=exported)
    assert ConcernReport.objects.get(pk=again.pk).sent_at == utc


@pytest.mark.parametrize("hour_utc", [0, 1])
def test_a_report_made_in_laget_in_the_repeated_hour_exports_with_the_offset_that_tells_which(
    world: Barnevern, hour_utc: int
) -> None:
    moment = datetime.datetime(2025, 10, 26, hour_utc, 30, tzinfo=datetime.UTC)
    report = receive(world, sent_at=moment)
    exported = ksfiks.export_report(report=report)
    assert exported["sendingstidspunkt"] == (
        "2025-10-26T02:30:00+02:00" if hour_utc == 0 else "2025-10-26T02:30:00+01:00"
    )
    again = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=exported)
    assert ConcernReport.objects.get(pk=again.pk).sent_at == moment


@pytest.mark.parametrize(
    "sent", ["2026-06-01T10:00:00+00:00", "2026-06-01T15:30:00+05:30", "2026-01-05T08:00:00-05:00"]
)
def test_the_export_of_an_imported_report_keeps_the_senders_offset(world: Barnevern, sent: str) -> None:
    report = ksfiks.import_report(
        actor=world.caseworker, unit=world.unit, data=example("privat") | {"sendingstidspunkt": sent}
    )
    assert ksfiks.export_report(report=ConcernReport.objects.get(pk=report.pk))["sendingstidspunkt"] == sent


def test_a_utc_z_comes_back_as_the_same_moment_with_offset_zero(world: Barnevern) -> None:
    report = ksfiks.import_report(
        actor=world.caseworker, unit=world.unit, data=example("privat") | {"sendingstidspunkt": "2026-06-01T10:00:00Z"}
    )
    assert ksfiks.export_report(report=report)["sendingstidspunkt"] == "2026-06-01T10:00:00+00:00"


def test_every_export_writes_the_time_with_an_explicit_offset_as_rfc_3339_wants(world: Barnevern) -> None:
    for report in _reports_of_every_kind(world):
        assert RFC3339.fullmatch(ksfiks.export_report(report=report)["sendingstidspunkt"])


def test_the_document_is_kept_byte_for_byte_with_what_was_not_taken_into_the_report(world: Barnevern) -> None:
    document = example("privat")
    document["foresatte"] = [{"personnavn": "Guri Hansen", "telefonnummer": "41 00 00 01", "orientert": False}]
    document["privatBarn"][0]["skole"] = "Linderud skole"
    document["privatMelder"]["epost"] = ""  # empty: nothing is lost
    # Odd spacing and key order, as a sender may write it: the bytes are kept as they came.
    body = ("\n  " + json.dumps(document, ensure_ascii=False, indent=3) + "\n").encode()
    before = AuditEvent.objects.count()

    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=body)

    original = KsFiksDocument.objects.get(report=report)
    assert bytes(original.content) == body
    assert original.size == len(body)
    assert original.sha256 == hashlib.sha256(body).hexdigest()
    assert original.variant == "privat"
    assert original.received_by == world.caseworker
    assert set(original.unmapped) == {
        "kommunenavn",
        "bydelsnummer",
        "bydelsnavn",
        "foresatte",
        "privatBarn[0].skole",
    }
    assert AuditEvent.objects.filter(action="concern_report.ksfiks_original_kept").count() == 1
    assert AuditEvent.objects.count() > before


def test_an_imported_official_example_loses_only_the_addressing_it_is_received_by(world: Barnevern) -> None:
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=example("offentlig"))
    assert KsFiksDocument.objects.get(report=report).unmapped == ["kommunenavn", "bydelsnummer", "bydelsnavn"]


def test_what_an_unnamed_guardian_says_is_named_as_not_taken(world: Barnevern) -> None:
    document = example("offentlig")
    document["foresatte"] = [
        document["foresatte"][0],
        {"personnavn": "", "orientert": True, "telefonnummer": "41 00 00 01"},
    ]
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)
    unmapped = KsFiksDocument.objects.get(report=report).unmapped
    assert {"foresatte[1].orientert", "foresatte[1].telefonnummer"} <= set(unmapped)


def test_the_kept_document_cannot_be_changed_or_deleted_in_postgresql(world: Barnevern) -> None:
    report = ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=example("offentlig"))
    original = KsFiksDocument.objects.get(report=report)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        KsFiksDocument.objects.filter(pk=original.pk).update(content=b"{}")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        KsFiksDocument.objects.filter(pk=original.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_ksfiksdocument SET unmapped = '[]' WHERE id = %s", [original.pk])
    assert bytes(KsFiksDocument.objects.get(pk=original.pk).content) == bytes(original.content)


def test_an_invalid_document_keeps_no_original(world: Barnevern) -> None:
    document = example("offentlig")
    del document["offentligMelder"]["epost"]
    with pytest.raises(ValidationError):
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)
    assert not KsFiksDocument.objects.exists()


@pytest.mark.parametrize(
    ("variant", "path", "field", "limit"),
    [
        ("offentlig", ("melding", "melding"), "melding.melding", 20_000),
        ("offentlig", ("melding", "historie"), "melding.historie", 20_000),
        ("offentlig", ("melding", "andreSynspunkter"), "melding.andreSynspunkter", 20_000),
        ("offentlig", ("andreHjelpeinstanser",), "andreHjelpeinstanser", 5_000),
        ("offentlig", ("offentligBarn", 0, "orientertGrunn"), "offentligBarn[0].orientertGrunn", 2_000),
        ("offentlig", ("foresatte", 0, "orientertGrunn"), "foresatte[0].orientertGrunn", 2_000),
        ("privat", ("melding",), "melding", 20_000),
        ("privat", ("privatBarn", 0, "adresse", "adresselinje1"), "privatBarn[0].adresse.adresselinje1", 200),
    ],
)
def test_a_text_over_the_forms_limit_is_refused_by_its_path_and_limit_and_nothing_is_saved(
    world: Barnevern, variant: str, path: tuple[Any, ...], field: str, limit: int
) -> None:
    document = example(variant)
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = "x" * (limit + 1)
    before = report_rows()
    with pytest.raises(ValidationError) as error:
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)
    assert f"{field}: at most {limit} characters (it has {limit + 1})." in _messages(error)
    assert report_rows() == before
    assert not KsFiksDocument.objects.exists()
    # At the limit it is taken.
    target[path[-1]] = "x" * limit
    ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=document)


def test_a_2_mb_text_is_refused_and_nothing_is_saved(world: Barnevern) -> None:
    document = example("offentlig")
    document["melding"]["melding"] = "x" * 2_000_000
    before = report_rows()
    with pytest.raises(ValidationError) as error:
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=json.dumps(document).encode())
    assert _messages(error) == ["melding.melding: at most 20000 characters (it has 2000000)."]
    assert report_rows() == before
    assert not KsFiksDocument.objects.exists()


def test_a_document_over_2_mb_is_refused_before_it_is_read(world: Barnevern) -> None:
    document = example("offentlig") | {"vedlegg": "x" * (ksfiks.MAX_DOCUMENT_BYTES + 1)}
    with pytest.raises(ValidationError) as error:
        ksfiks.import_report(actor=world.caseworker, unit=world.unit, data=json.dumps(document).encode())
    [message] = _messages(error)
    assert message.startswith(f"The document is too large: at most {ksfiks.MAX_DOCUMENT_BYTES} bytes")
    assert not ConcernReport.objects.exists()
