"""KS Fiks IO bekymringsmelding v2: import into Laget and export from it.

The national format for concern reports to barnevern (DOMAIN.md, "Concern reports and
routines"). Two schemas: `offentlig` for a public reporter (school, kindergarten, health,
police, NAV) and `privat` for a private person. They are copied into referrals/concerns/ksfiks_schemas/
so the app does not depend on ../shared at run time, and validated with jsonschema's Draft
2019-09 validator; the relative `$ref: ../adresse.json` resolves through a `referencing`
registry rooted at ksfiks_schemas/domain/.

- import_report: validate FIRST (every schema message, with its path), then the checks the
  schema does not make (Laget's length limits, below), then map the document to
  referrals.concerns.services.concern_report_receive, all in one transaction: an invalid document
  saves nothing. The document is kept exactly as received (KsFiksDocument, append-only), with
  the paths that were not taken into the report (`unmapped_paths`): the importer is told them.
- export_report: the v2 JSON for any report (offentlig for a public reporter, privat for a
  private one), validated before it is returned; a failing export is a bug and raises.

`sendingstidspunkt`: the schema's format is "date-time" (RFC 3339, which requires an offset).
KS Fiks's own examples send local Norwegian time without an offset, so the import accepts an ISO
8601 date and time with or without an offset and refuses anything else. A time with an offset is
exactly that moment (the offset also tells the two 02:30s apart on the night summer time ends);
a time without one is read as Europe/Oslo time, and in the repeated hour as the first of the two
(summer time), since nothing in the document says which. The moment is stored in UTC and the
offset the sender wrote is kept (ConcernReport.sent_at_offset). The export ALWAYS writes an
offset, as RFC 3339 wants: the sender's own for an imported report, else Oslo's at that moment.

Limits (LIMITS, in characters): those of Laget's form (referrals.concerns.forms) and fields: the
concern, history and other views 20,000 each; other services involved 5,000; why a child or
guardian was not told 2,000; need for an interpreter 300; names, roles, organisation, relation
and address lines 200; postal town 100; e-mail 254; phone 40; organisation number 20; assumed
age 20; postal code 10; identity number 11; delivery channel 100. The whole document at most
2 MB (MAX_DOCUMENT_BYTES), as on the import page. A value over its limit refuses the import with
"path: at most N characters (it has M)" and nothing is saved.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from jsonschema import Draft201909Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from cases.models import Youth
from cases.policy import restricted_scope
from core import access, audit
from core.dates import OSLO
from core.validators import normalise_national_id
from org.models import Unit
from referrals.concerns import policy as concern_policy
from referrals.models import (
    ADDRESS_LINE_MAX,
    POSTAL_CODE_MAX,
    POSTAL_PLACE_MAX,
    ConcernReport,
    ConcernReportChild,
    ConcernReportGuardian,
    KsFiksDocument,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

OSLO_MUNICIPALITY = "0301"
SCHEMA_ROOT = Path(__file__).resolve().parent / "ksfiks_schemas" / "domain"
SCHEMA_FILES = {
    "offentlig": "v2/offentlig.bekymringsmelding.v2.json",
    "privat": "v2/privat.bekymringsmelding.v2.json",
}
# Earlier sending times are typing mistakes, and far-away years overflow between time zones.
EARLIEST_YEAR = 2000
# At most this many schema messages are reported: enough to fix a document, not a flood.
MAX_MESSAGES = 50
# The whole document, as the import page's file limit: a report's texts at their limits take a
# few hundred kilobytes, and what is received is kept for good (KsFiksDocument).
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024

Variant = Literal["offentlig", "privat"]


class ExportInvalidError(RuntimeError):
    """An export that does not validate against its schema: a bug in the mapping, never bad input."""


# --- Schemas and validation ----------------------------------------------------------------


def _load(relative: str) -> dict[str, Any]:
    with (SCHEMA_ROOT / relative).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _retrieve(uri: str) -> Resource[Any]:
    """Resolve a schema address to a file under ksfiks_schemas/domain/ by its path: the v2
    schemas live at https://fiks.ks.no/…, so `../adresse.json` is https://fiks.ks.no/adresse.json,
    domain/adresse.json here. Nothing outside domain/ and nothing from the network."""
    parts = urlsplit(uri)
    path = (SCHEMA_ROOT / parts.path.lstrip("/")).resolve()
    if parts.scheme not in ("https", "http", "") or SCHEMA_ROOT not in path.parents or not path.is_file():
        raise NoSuchResource(uri)
    return Resource.from_contents(json.loads(path.read_text(encoding="utf-8")))


@functools.cache
def _registry() -> Registry[Any]:
    address = Resource.from_contents(_load("adresse.json"))
    registry: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]  # attrs alias mypy cannot see
    with_address: Registry[Any] = registry.with_resource(address.id() or "", address)
    return with_address


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the schema's "type" speaks about other types
    # ISO 8601 with a "T", seconds optional fractions, offset optional (see the module docstring).
    if not re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?", value
    ):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@functools.cache
def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_is_date_time)
    return checker


@functools.cache
def validator(variant: Variant) -> Draft201909Validator:
    schema = _load(SCHEMA_FILES[variant])
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, registry=_registry(), format_checker=_format_checker())


def _path(error: SchemaError) -> str:
    text = ""
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def schema_messages(variant: Variant, data: Any) -> list[str]:
    """Every schema message for `data`, as "path: message" (the message alone at the top level)."""
    errors = sorted(validator(variant).iter_errors(data), key=lambda e: (_path(e), e.message))
    messages = [f"{_path(e)}: {e.message}" if e.absolute_path else e.message for e in errors]
    return messages[:MAX_MESSAGES]


def variant_of(data: Any) -> Variant:
    """offentlig or privat, by the reporter object the document carries."""
    if not isinstance(data, Mapping):
        raise _invalid([_("The document must be a JSON object (a KS Fiks concern report, v2).")])
    public, private = "offentligMelder" in data, "privatMelder" in data
    if public == private:
        raise _invalid(
            [_("The document must have either offentligMelder (a public reporter) or privatMelder (a private one).")]
        )
    return "offentlig" if public else "privat"


def _invalid(messages: Sequence[str]) -> ValidationError:
    return ValidationError({"document": [ValidationError(m, code="ks_fiks") for m in messages]})


def received_bytes(data: Mapping[str, Any] | bytes | str) -> bytes:
    """The document as the bytes that were received: the body or file itself, or (for a caller
    that hands over a parsed document) its JSON text in UTF-8."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8", errors="surrogatepass")
    return json.dumps(data, ensure_ascii=False).encode("utf-8", errors="surrogatepass")


def parse(data: Mapping[str, Any] | bytes | str) -> tuple[Variant, dict[str, Any]]:
    """The document as a dict and its variant, validated against its schema. Raises
    ValidationError {"document": ["path: message", …]} when it is too large, not JSON or not valid."""
    if isinstance(data, bytes | str):
        size = len(received_bytes(data))
        if size > MAX_DOCUMENT_BYTES:
            raise _invalid(
                [
                    _("The document is too large: at most %(limit)d bytes (it has %(size)d).")
                    % {"limit": MAX_DOCUMENT_BYTES, "size": size}
                ]
            )
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            raise _invalid([_("The document is not valid JSON.")]) from None
    variant = variant_of(data)
    assert isinstance(data, Mapping)
    document = dict(data)
    messages = schema_messages(variant, document)
    if messages:
        raise _invalid(messages)
    return variant, document


# --- Import ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _address(value: Any) -> dict[str, str]:
    """An adresse object as Laget keeps it: the schema's keys, strings only."""
    if not isinstance(value, Mapping):
        return {}
    keys = ("adresselinje1", "adresselinje2", "adresselinje3", "postnummer", "poststed")
    return {key: value[key] for key in keys if isinstance(value.get(key), str)}


def sent_at_with_offset(value: str) -> tuple[datetime.datetime, int | None]:
    """sendingstidspunkt as an aware datetime in UTC, and the UTC offset in minutes the sender
    wrote (None when it wrote none). With an offset the moment is exact, also in the hour that
    comes twice when summer time ends; without one it is Oslo time, the first of the two in that
    hour (fold=0: nothing in the document says which)."""
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    offset = moment.utcoffset()
    if offset is None:
        return moment.replace(tzinfo=OSLO, fold=0).astimezone(datetime.UTC), None
    return moment.astimezone(datetime.UTC), int(offset.total_seconds() // 60)


def sent_at_from(value: str) -> datetime.datetime:
    """sendingstidspunkt as an aware datetime (UTC): see sent_at_with_offset."""
    return sent_at_with_offset(value)[0]


def _max_length(model: Any, field: str) -> int:
    length = model._meta.get_field(field).max_length
    assert length is not None, f"{model.__name__}.{field} has no max_length"
    return int(length)


# Laget's field lengths, read from the model fields the values go into (and the address parts,
# kept as JSON, from referrals.models), so that an over-long value is a message with its path and
# limit, not a database error or a 2 MB text; the form checks the same numbers.
LIMITS: dict[str, int] = {
    "name": _max_length(ConcernReport, "reporter_name"),
    "role": _max_length(ConcernReport, "reporter_role"),
    "organisation": _max_length(ConcernReport, "reporter_organisation"),
    "org_number": _max_length(ConcernReport, "reporter_org_number"),
    "phone": _max_length(ConcernReport, "reporter_phone"),
    "email": _max_length(ConcernReport, "reporter_email"),
    "relation": _max_length(ConcernReport, "reporter_relation"),
    "national_id": _max_length(ConcernReportChild, "national_id"),
    "assumed_age": _max_length(ConcernReportChild, "assumed_age"),
    "interpreter_need": _max_length(ConcernReport, "interpreter_need"),
    "delivery_channel": _max_length(ConcernReport, "delivery_channel"),
    "concern": _max_length(ConcernReport, "concern"),
    "history": _max_length(ConcernReport, "history"),
    "other_views": _max_length(ConcernReport, "other_views"),
    "other_agencies": _max_length(ConcernReport, "other_agencies"),
    "informed_reason": _max_length(ConcernReportChild, "informed_reason"),
    "address_line": ADDRESS_LINE_MAX,
    "postal_code": POSTAL_CODE_MAX,
    "postal_place": POSTAL_PLACE_MAX,
}
_ADDRESS_LIMITS = {
    "adresselinje1": "address_line",
    "adresselinje2": "address_line",
    "adresselinje3": "address_line",
    "postnummer": "postal_code",
    "poststed": "postal_place",
}


class _Checker:
    """Collects the checks the schema does not make (lengths, NUL characters, an empty report)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def text(self, path: str, value: Any, limit: int | None = None) -> str:
        text = _text(value)
        if "\x00" in text:
            self.messages.append(_("%(path)s: contains a NUL character.") % {"path": path})
        elif limit is not None and len(text) > limit:
            self.messages.append(
                _("%(path)s: at most %(limit)d characters (it has %(length)d).")
                % {"path": path, "limit": limit, "length": len(text)}
            )
        return text

    def address(self, path: str, value: Any) -> dict[str, str]:
        address = _address(value)
        for key, text in address.items():
            self.text(f"{path}.{key}", text, LIMITS[_ADDRESS_LIMITS[key]])
        return address


def _matching_youths(*, actor: User | AnonymousUser, national_ids: Iterable[str]) -> dict[str, Youth]:
    """The registered youths with these national identity numbers (one query), only those the
    importing person may see with their national identity number (core.access, cases.policy);
    any other child stays a new person, and the import tells nothing of who is registered."""
    digits = {normalise_national_id(n) for n in national_ids} - {""}
    if not digits:
        return {}
    qs = Youth.objects.filter(restricted_scope(actor), national_id__in=digits)
    return {youth.national_id: youth for youth in access.visible(actor, qs)}


def _reporter(variant: Variant, document: Mapping[str, Any], check: _Checker) -> dict[str, Any]:
    if variant == "offentlig":
        melder = document["offentligMelder"]
        business = melder.get("virksomhet") or {}
        return {
            "name": check.text("offentligMelder.personnavn", melder.get("personnavn"), LIMITS["name"]),
            "role": check.text("offentligMelder.rolle", melder.get("rolle"), LIMITS["role"]),
            "phone": check.text("offentligMelder.telefonnummer", melder.get("telefonnummer"), LIMITS["phone"]),
            "email": check.text("offentligMelder.epost", melder.get("epost"), LIMITS["email"]),
            "organisation": check.text("offentligMelder.virksomhet.navn", business.get("navn"), LIMITS["organisation"]),
            "org_number": check.text("offentligMelder.virksomhet.orgnr", business.get("orgnr"), LIMITS["org_number"]),
            "address": check.address("offentligMelder.virksomhet.adresse", business.get("adresse")),
        }
    melder = document["privatMelder"]
    return {
        "name": check.text("privatMelder.personnavn", melder.get("personnavn"), LIMITS["name"]),
        "phone": check.text("privatMelder.telefonnummer", melder.get("telefonnummer"), LIMITS["phone"]),
        "address": check.address("privatMelder.adresse", melder.get("adresse")),
    }


def _children(
    variant: Variant, document: Mapping[str, Any], check: _Checker, actor: User | AnonymousUser
) -> list[dict[str, Any]]:
    children: list[dict[str, Any]] = []
    key = "offentligBarn" if variant == "offentlig" else "privatBarn"
    for index, child in enumerate(document[key]):
        path = f"{key}[{index}]"
        row: dict[str, Any] = {
            "name": check.text(f"{path}.personnavn", child.get("personnavn"), LIMITS["name"]),
            "address": check.address(f"{path}.adresse", child.get("adresse")),
        }
        if variant == "offentlig":
            national_id = check.text(f"{path}.fnr", child.get("fnr"), LIMITS["national_id"])
            row |= {
                "national_id": national_id,
                "unborn": bool(child.get("ufoedt")),
                "phone": check.text(f"{path}.telefonnummer", child.get("telefonnummer"), LIMITS["phone"]),
                "informed": bool(child.get("orientert")),
                "informed_reason": check.text(
                    f"{path}.orientertGrunn", child.get("orientertGrunn"), LIMITS["informed_reason"]
                ),
            }
        else:
            row |= {
                "assumed_age": check.text(f"{path}.antattAlder", child.get("antattAlder"), LIMITS["assumed_age"]),
                "relation": check.text(f"{path}.relasjon", child.get("relasjon"), LIMITS["relation"]),
            }
        if not row["name"].strip():
            check.messages.append(_("%(path)s.personnavn: the child's name is empty.") % {"path": path})
        children.append(row)
    if not children:
        check.messages.append(_("%(key)s: the report names no child.") % {"key": key})
    youths = _matching_youths(actor=actor, national_ids=(c.get("national_id", "") for c in children))
    for row in children:
        youth = youths.get(normalise_national_id(row.get("national_id", "")))
        if youth is not None:
            row["youth"] = youth
    return children


def _guardians(variant: Variant, document: Mapping[str, Any], check: _Checker) -> list[dict[str, Any]]:
    if variant != "offentlig":
        return []
    guardians = []
    for index, guardian in enumerate(document["foresatte"]):
        path = f"foresatte[{index}]"
        name = check.text(f"{path}.personnavn", guardian.get("personnavn"), LIMITS["name"])
        if not name.strip():
            # KS Fiks requires a guardian entry; an unnamed one carries nothing to keep.
            continue
        guardians.append(
            {
                "name": name,
                "phone": check.text(f"{path}.telefonnummer", guardian.get("telefonnummer"), LIMITS["phone"]),
                "informed": bool(guardian.get("orientert")),
                "informed_reason": check.text(
                    f"{path}.orientertGrunn", guardian.get("orientertGrunn"), LIMITS["informed_reason"]
                ),
            }
        )
    return guardians


def _report_text(variant: Variant, document: Mapping[str, Any], check: _Checker) -> dict[str, str]:
    if variant == "offentlig":
        melding = document["melding"]
        text = {
            "concern": check.text("melding.melding", melding.get("melding"), LIMITS["concern"]),
            "history": check.text("melding.historie", melding.get("historie"), LIMITS["history"]),
            "other_views": check.text(
                "melding.andreSynspunkter", melding.get("andreSynspunkter"), LIMITS["other_views"]
            ),
        }
        path = "melding.melding"
    else:
        text = {"concern": check.text("melding", document["melding"], LIMITS["concern"])}
        path = "melding"
    if not text["concern"].strip():
        check.messages.append(_("%(path)s: the concern itself is empty.") % {"path": path})
    return text


# --- What Laget takes from a document ----------------------------------------------------------
# Every path Laget maps into the report (True: the value as a whole; a dict: the keys of an
# object; a one-item list: each element of an array). Anything else in a document, however valid,
# is kept only in the original (KsFiksDocument) and named to the importer.

_ADDRESS_SPEC: dict[str, Any] = dict.fromkeys(_ADDRESS_LIMITS, True)
MAPPED: dict[Variant, dict[str, Any]] = {
    "offentlig": {
        "kommunenummer": True,
        "sendingstidspunkt": True,
        "leveringskanal": True,
        "behovForTolk": True,
        "andreHjelpeinstanser": True,
        "offentligMelder": {
            "personnavn": True,
            "rolle": True,
            "telefonnummer": True,
            "epost": True,
            "virksomhet": {"navn": True, "orgnr": True, "adresse": _ADDRESS_SPEC},
        },
        "offentligBarn": [
            {
                "fnr": True,
                "ufoedt": True,
                "personnavn": True,
                "telefonnummer": True,
                "adresse": _ADDRESS_SPEC,
                "orientert": True,
                "orientertGrunn": True,
            }
        ],
        "foresatte": [{"personnavn": True, "telefonnummer": True, "orientert": True, "orientertGrunn": True}],
        "melding": {"melding": True, "historie": True, "andreSynspunkter": True},
    },
    "privat": {
        "kommunenummer": True,
        "sendingstidspunkt": True,
        "leveringskanal": True,
        "privatMelder": {"personnavn": True, "telefonnummer": True, "adresse": _ADDRESS_SPEC},
        "privatBarn": [{"personnavn": True, "antattAlder": True, "relasjon": True, "adresse": _ADDRESS_SPEC}],
        "melding": True,
    },
}


def _has_content(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def _unmapped(value: Any, spec: Any, path: str) -> list[str]:
    if spec is True:
        return []
    if isinstance(spec, list):
        if not isinstance(value, list):
            return [path] if _has_content(value) else []
        return [p for index, item in enumerate(value) for p in _unmapped(item, spec[0], f"{path}[{index}]")]
    if not isinstance(value, Mapping):
        return [path] if _has_content(value) else []
    found: list[str] = []
    for key, item in value.items():
        sub = f"{path}.{key}" if path else str(key)
        if key in spec:
            found += _unmapped(item, spec[key], sub)
        elif _has_content(item):
            found.append(sub)
    return found


def unmapped_paths(variant: Variant, document: Mapping[str, Any]) -> list[str]:
    """The paths of a (valid) document whose content is not taken into the report: fields
    Laget has no place for (kommunenavn and the bydel: the receiving service is chosen on import;
    foresatte on a private reporter's message; fields of a later version), and what an unnamed
    guardian says (such an entry is not kept as a guardian). Empty values are not named."""
    found = _unmapped(document, MAPPED[variant], "")
    if variant == "offentlig":
        for index, guardian in enumerate(document.get("foresatte") or []):
            if isinstance(guardian, Mapping) and not _text(guardian.get("personnavn")).strip():
                found += [
                    f"foresatte[{index}].{key}"
                    for key, value in guardian.items()
                    if key in MAPPED["offentlig"]["foresatte"][0]
                    and key != "personnavn"
                    and _has_content(value)
                    and value is not False
                ]
    return found


def import_report(
    *,
    actor: User | AnonymousUser,
    unit: Unit,
    data: Mapping[str, Any] | bytes | str,
    kind: str = ConcernReport.Kind.ORDINARY,
    active_case: ConcernReport | None = None,
) -> ConcernReport:
    """A KS Fiks bekymringsmelding v2 (offentlig or privat) received by the barnevern `unit`.

    The document is validated against its schema first; every problem comes back at once as
    ValidationError {"document": ["path: message", …]} and nothing is saved. A valid document
    goes through concern_report_receive (channel KS Fiks) in the same transaction, so the
    report, its children, guardians, event and audit row are written together or not at all.
    KS Fiks does not carry the type of report: it is ordinary unless the caller says otherwise.

    The document is kept exactly as received (report.ksfiks_document, append-only), with the
    paths not taken into the report (`unmapped`), which the page and the API tell the importer.
    Every text is checked against LIMITS (the form's and the model's) and the document against
    MAX_DOCUMENT_BYTES here, the one place both the page and the API go through. Only the
    receiving service's caseworkers and leaders import (concern_policy.may_import: PermissionDenied
    otherwise, whichever the caller).
    """
    from referrals.concerns import services as concern_services

    if not concern_policy.may_import(actor, unit):
        raise PermissionDenied(
            _("Only caseworkers and leaders in a barnevern service import concern reports from KS Fiks.")
        )
    variant, document = parse(data)
    content = received_bytes(data)
    check = _Checker()
    reporter = _reporter(variant, document, check)
    report_text = _report_text(variant, document, check)
    interpreter_need = check.text("behovForTolk", document.get("behovForTolk"), LIMITS["interpreter_need"])
    other_agencies = check.text("andreHjelpeinstanser", document.get("andreHjelpeinstanser"), LIMITS["other_agencies"])
    delivery_channel = check.text("leveringskanal", document.get("leveringskanal"), LIMITS["delivery_channel"])
    # The schema's ^\d{4}$ lets a trailing line break and other scripts' digits through.
    municipality = _text(document.get("kommunenummer"))
    if not re.fullmatch(r"[0-9]{4}", municipality):
        check.messages.append(_("kommunenummer: four digits (0301 is Oslo)."))
    # The schema's format check has made sure of the form: the year is its first four digits,
    # checked before any conversion (year 1 at +01:00 would overflow in UTC).
    sent_at, sent_at_offset = None, None
    if int(document["sendingstidspunkt"][:4]) < EARLIEST_YEAR:
        check.messages.append(
            _("sendingstidspunkt: the report cannot have been sent before %(year)d.") % {"year": EARLIEST_YEAR}
        )
    else:
        sent_at, sent_at_offset = sent_at_with_offset(document["sendingstidspunkt"])
    with transaction.atomic():
        children = _children(variant, document, check, actor)
        guardians = _guardians(variant, document, check)
        if check.messages:
            raise _invalid(check.messages[:MAX_MESSAGES])
        report = concern_services.concern_report_receive(
            actor=actor,
            unit=unit,
            channel=ConcernReport.Channel.KS_FIKS,
            reporter_kind=(
                ConcernReport.ReporterKind.PUBLIC if variant == "offentlig" else ConcernReport.ReporterKind.PRIVATE
            ),
            reporter=reporter,
            children=children,
            guardians=guardians,
            kind=kind,
            active_case=active_case,
            sent_at=sent_at,
            delivery_channel=delivery_channel,
            interpreter_need=interpreter_need,
            other_agencies=other_agencies,
            concern=report_text["concern"],
            history=report_text.get("history", ""),
            other_views=report_text.get("other_views", ""),
        )
        if municipality and municipality != report.municipality_number:
            # The municipality the sender addressed (the official examples are from Bergen).
            report.municipality_number = municipality
        report.sent_at_offset = sent_at_offset
        ConcernReport.objects.filter(pk=report.pk).update(
            municipality_number=report.municipality_number, sent_at_offset=sent_at_offset
        )
        unmapped = unmapped_paths(variant, document)
        original = KsFiksDocument.objects.create(
            report=report,
            variant=variant,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            unmapped=unmapped,
            received_by=access.signed_in(actor) if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="concern_report.ksfiks_original_kept",
            target=report,
            detail={"variant": variant, "size": original.size, "sha256": original.sha256, "unmapped": len(unmapped)},
        )
    return report


# --- Export ----------------------------------------------------------------------------------

_PHONE = re.compile(r"^[+]?[0-9]+([- ][0-9]+)*$")
_EMAIL = re.compile(
    r"^[A-Za-zæøåÆØÅ0-9-_]+(\.[A-Za-zæøåÆØÅ0-9-_]+)*@[A-Za-zæøåÆØÅ0-9-]+(\.[A-Za-zæøåÆØÅ0-9-]+)*(\.[A-Za-z]{2,})$"
)
# Oslo kommune's central post address: where a public reporter without a usable address of
# their own can be reached through the municipality.
OSLO_POST_EMAIL = "postmottak@oslo.kommune.no"


def _line(value: str) -> str:
    """One line: fields with the schema pattern ^(.*)$ take no line breaks."""
    return " ".join(value.split())


def _phone(*candidates: str) -> str:
    """The first candidate that is, or can be written as, a phone number in the schema's form."""
    for candidate in candidates:
        plus = candidate.strip().startswith("+")
        digits = re.sub(r"[^0-9 -]", " ", candidate)
        groups = [g for g in re.split(r"[ -]+", digits) if g]
        text = ("+" if plus else "") + " ".join(groups)
        if groups and _PHONE.match(text):
            return text
    return ""


def _email(*candidates: str) -> str:
    for candidate in candidates:
        if candidate and _EMAIL.match(candidate):
            return candidate
    return ""


def _export_address(address: Any) -> dict[str, str]:
    value = _address(address)
    value.setdefault("adresselinje1", "")
    return value


def sent_at_text(moment: datetime.datetime, offset_minutes: int | None) -> str:
    """A moment as RFC 3339 with an explicit offset: the sender's own (`offset_minutes`, kept
    from an imported document), else Oslo's at that moment (+01:00 or +02:00; the right one of
    the two 02:30s on the night summer time ends)."""
    zone: datetime.tzinfo = OSLO
    if offset_minutes is not None:
        zone = datetime.timezone(datetime.timedelta(minutes=offset_minutes))
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def _municipality(report: ConcernReport) -> dict[str, str]:
    district = report.unit.district
    number = report.municipality_number or OSLO_MUNICIPALITY
    return {
        "kommunenummer": number,
        "kommunenavn": "Oslo" if number == OSLO_MUNICIPALITY else _("Municipality %(number)s") % {"number": number},
        "bydelsnummer": f"{district.number:02d}" if district is not None and district.number < 100 else "00",
        "bydelsnavn": _line(district.name) if district is not None else "",
    }


def _guardian_line(guardian: ConcernReportGuardian) -> str:
    told = _("informed") if guardian.informed else _("not informed")
    reason = f" ({_line(guardian.informed_reason)})" if guardian.informed_reason else ""
    phone = f", {guardian.phone}" if guardian.phone else ""
    return f"{guardian.name}{phone}: {told}{reason}"


def _export_offentlig(
    report: ConcernReport, children: list[ConcernReportChild], guardians: list[Any], withheld: frozenset[int]
) -> dict[str, Any]:
    reporter_user, reporter_unit = report.reporter_user, report.reporter_unit
    business: dict[str, Any] = {
        "navn": _line(report.reporter_organisation or (reporter_unit.name if reporter_unit else "")),
        "adresse": _export_address(report.reporter_address),
    }
    if report.reporter_org_number:
        business["orgnr"] = _line(report.reporter_org_number)
    melder = {
        "personnavn": _line(report.reporter_name),
        "rolle": _line(report.reporter_role),
        "telefonnummer": _phone(
            report.reporter_phone,
            reporter_user.phone if reporter_user else "",
            reporter_unit.phone if reporter_unit else "",
            report.unit.phone,
        )
        or "0",
        "epost": _email(
            report.reporter_email,
            reporter_user.email if reporter_user else "",
            reporter_unit.email if reporter_unit else "",
            report.unit.email,
        )
        or OSLO_POST_EMAIL,
        "virksomhet": business,
    }
    barn = []
    for child in children:
        hidden = child.pk in withheld
        row: dict[str, Any] = {
            "fnr": "" if hidden else child.national_id,
            "ufoedt": child.unborn,
            "personnavn": _line(child.name),
            "adresse": _export_address({} if hidden else child.address),
            "orientert": bool(child.informed),
            "orientertGrunn": _line(child.informed_reason),
        }
        if child.phone and not hidden:
            row["telefonnummer"] = child.phone
        barn.append(row)
    foresatte: list[dict[str, Any]] = []
    for guardian in guardians[:2]:
        row = {
            "personnavn": _line(guardian.name),
            "orientert": guardian.informed,
            "orientertGrunn": _line(guardian.informed_reason),
        }
        if guardian.phone:
            row["telefonnummer"] = _line(guardian.phone)
        foresatte.append(row)
    if not foresatte:
        # The schema wants at least one guardian; Laget has none recorded for this report.
        foresatte.append({"personnavn": "", "orientert": False, "orientertGrunn": ""})
    other_views = report.other_views
    if len(guardians) > 2:
        # KS Fiks takes two guardians; the others go with the other views rather than be lost.
        more = "\n".join(_guardian_line(g) for g in guardians[2:])
        other_views = "\n\n".join(p for p in (other_views, _("More guardians:") + "\n" + more) if p)
    melding: dict[str, str] = {"melding": report.concern, "historie": report.history}
    if other_views:
        melding["andreSynspunkter"] = other_views
    document: dict[str, Any] = {
        "offentligMelder": melder,
        "offentligBarn": barn,
        "foresatte": foresatte,
        "melding": melding,
    }
    if report.interpreter_need:
        document["behovForTolk"] = report.interpreter_need
    if report.other_agencies:
        document["andreHjelpeinstanser"] = report.other_agencies
    return document


def _export_privat(
    report: ConcernReport, children: list[ConcernReportChild], guardians: list[Any], withheld: frozenset[int]
) -> dict[str, Any]:
    melder: dict[str, Any] = {"personnavn": report.reporter_name}
    phone = _phone(report.reporter_phone)
    if phone:
        melder["telefonnummer"] = phone
    if _address(report.reporter_address):
        melder["adresse"] = _export_address(report.reporter_address)
    barn = []
    for child in children:
        hidden = child.pk in withheld
        row: dict[str, Any] = {"personnavn": child.name, "adresse": _export_address({} if hidden else child.address)}
        if child.assumed_age:
            row["antattAlder"] = child.assumed_age
        if child.relation:
            row["relasjon"] = child.relation
        barn.append(row)
    # The privat format has one text: Laget's other parts follow the concern, each under its
    # heading, so that nothing the reporter said is lost.
    parts = [report.concern]
    for heading, text in (
        (_("Background and history"), report.history),
        (_("Other views"), report.other_views),
        (_("Need for an interpreter"), report.interpreter_need),
        (_("Other services involved"), report.other_agencies),
        (_("Guardians"), "\n".join(_guardian_line(g) for g in guardians)),
    ):
        if text:
            parts.append(f"{heading}:\n{text}")
    return {"privatMelder": melder, "privatBarn": barn, "melding": "\n\n".join(parts)}


def export_report(*, report: ConcernReport, withheld: Iterable[int] = ()) -> dict[str, Any]:
    """The report as KS Fiks bekymringsmelding v2: offentlig for a public reporter, privat for
    a private one. Required fields Laget has no value for are filled as the schema allows
    (an empty string, Oslo, the unit's district as bydel). `withheld`: ids of the report's
    children whose details (identity number, address, phone) the sharing policy withholds from
    the person exporting; they go out empty. Validated before it is returned: an export that
    does not validate raises ExportInvalidError (a bug, never the user's)."""
    children = list(report.children.all())
    guardians = list(report.guardians.all())
    hidden = frozenset(withheld)
    variant: Variant
    # The document goes to Norwegian systems: its few words of Laget's are in bokmål whoever asks.
    with translation.override(settings.LANGUAGE_CODE):
        if report.reporter_kind == ConcernReport.ReporterKind.PUBLIC:
            variant, body = "offentlig", _export_offentlig(report, children, guardians, hidden)
        else:
            variant, body = "privat", _export_privat(report, children, guardians, hidden)
        document = {
            **_municipality(report),
            **body,
            "sendingstidspunkt": (
                sent_at_text(report.sent_at, report.sent_at_offset)
                if report.sent_at is not None
                else sent_at_text(report.received_at, None)
            ),
            "leveringskanal": report.delivery_channel or "Laget",
        }
    messages = schema_messages(variant, document)
    if messages:
        raise ExportInvalidError(f"KS Fiks export of concern report {report.pk} is invalid: {messages}")
    return document
