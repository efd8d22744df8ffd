"""Parity (issue 12, point 5): every write operation in the OpenAPI schema and its HTML twin give
the same answer to the same persona: allowed (with the change saved), 400, 403 or 404, and the
same database effect.

Each case runs the API call and the page's form post as the same person after two-factor sign-in
(the API through that session, or through an API key for BEARER_PERSONAS), each on its own fresh
youth, so neither sees the other's write.
`TWINS` maps each operation to its page; `test_every_write_operation_has_a_twin` fails when the
schema gains a write operation that is in neither `TWINS` nor `WITHOUT_TWIN`.
"""

from __future__ import annotations

import datetime
import importlib
import itertools
import json
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from cases import services as case_services
from cases.models import Contact, FollowUp, FollowUpAssignment, Offence, Youth
from core.dates import OSLO
from core.models import User
from referrals.models import ConcernReport

from ..conftest import sign_in
from ..factories import api_key
from ..referrals.ksfiks_helpers import example
from .base import NAMES, PERSONAS, Cast, Scene, Twin, make_scene, persona_user

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")

# Write operations with no HTML twin walked here, and why. Keep this short: a page that does the
# same job is a twin and belongs in TWINS.
WITHOUT_TWIN: dict[str, str] = {}
# API keys (core.api_tokens) are issued and revoked on the page /konto/api-nokler/ only: they are
# not in the API (a key must not mint keys), so there is nothing to pair.


# --- The twins -----------------------------------------------------------------------------------


def _yesterday() -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=OSLO)


def _register_fields(scene: Scene) -> dict[str, Any]:
    n = next(NAMES)
    return {
        "unit": scene.people.unit.pk,
        "first_name": f"Ny{n}",
        "last_name": f"Registrert{n}",
        "birth_date": "2011-05-17",
        "gender": "male",
        "district": scene.people.unit.district_id,
    }


def _youth_form(scene: Scene, **changes: Any) -> dict[str, Any]:
    data = model_to_dict(scene.youth, fields=list(case_services.YOUTH_FIELDS))
    data = {key: ("" if value is None else value) for key, value in data.items()}
    return data | changes


def _contact_form(contact: Contact, **changes: Any) -> dict[str, Any]:
    local = contact.occurred_at.astimezone(OSLO)
    return {
        "occurred_date": local.strftime("%Y-%m-%d"),
        "occurred_time": local.strftime("%H:%M"),
        "duration_minutes": str(contact.duration_minutes),
        "kind": contact.kind,
        "place": contact.place,
        "participants": contact.participants,
        "life_areas": contact.life_areas,
        "text": contact.text,
        "task": "",
        "task_due_on": "",
    } | changes


def _new_contact_form(scene: Scene) -> dict[str, Any]:
    when = _yesterday()
    return {
        "youths": [str(scene.youth.pk)],
        "occurred_date": when.strftime("%Y-%m-%d"),
        "occurred_time": when.strftime("%H:%M"),
        "duration_minutes": "45",
        "kind": "conversation",
        "place": "Fritidsklubben",
        "participants": ["youth"],
        "life_areas": ["school"],
        f"text_{scene.youth.pk}": "Snakket om skolen.",
        "task": "",
        "task_due_on": "",
        "action": "save",
    }


def _active_assignments(scene: Scene) -> set[tuple[int, str]]:
    rows = FollowUpAssignment.objects.filter(followup=scene.followup, ends_on__isnull=True)
    return set(rows.values_list("user_id", "role"))


TWINS: dict[str, Twin] = {
    "youths_create": Twin(
        api=lambda s: ("POST", "/api/v1/youths/", _register_fields(s)),
        page=lambda s: ("/ungdommer/ny/", _register_fields(s) | {"school_class": "", "address": ""}),
        effect=lambda s: Youth.objects.count(),
    ),
    "youths_partial_update": Twin(
        api=lambda s: ("PATCH", f"/api/v1/youths/{s.youth.pk}/", {"phone": "40000001"}),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/endre/", _youth_form(s, phone="40000001")),
        effect=lambda s: Youth.objects.get(pk=s.youth.pk).phone,
    ),
    "youths_contacts_create": Twin(
        api=lambda s: (
            "POST",
            f"/api/v1/youths/{s.youth.pk}/contacts/",
            {
                "occurred_at": _yesterday().isoformat(),
                "duration_minutes": 45,
                "kind": "conversation",
                "place": "Fritidsklubben",
                "participants": ["youth"],
                "life_areas": ["school"],
                "text": "Snakket om skolen.",
            },
        ),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/kontakt/ny/", _new_contact_form(s)),
        effect=lambda s: Contact.objects.filter(youth=s.youth).count(),
    ),
    "youths_offences_create": Twin(
        api=lambda s: (
            "POST",
            f"/api/v1/youths/{s.youth.pk}/offences/",
            {"kind": "theft", "committed_on": "2026-03-01"},
        ),
        page=lambda s: (
            f"/ungdommer/{s.youth.pk}/lovbrudd/ny/",
            {"kind": "theft", "committed_on": "2026-03-01", "police_reference": "", "description": ""},
        ),
        effect=lambda s: Offence.objects.filter(youth=s.youth).count(),
    ),
    "youths_followup_assign_create": Twin(
        api=lambda s: (
            "POST",
            f"/api/v1/youths/{s.youth.pk}/followup/assign/",
            {"user": s.people.teammate.pk, "role": "coordinator"},
        ),
        page=lambda s: (
            f"/ungdommer/{s.youth.pk}/oppfolging/",
            {"action": "assign", "role": "coordinator", "coordinator-user": s.people.teammate.pk},
        ),
        effect=_active_assignments,
    ),
    "youths_followup_close_create": Twin(
        api=lambda s: (
            "POST",
            f"/api/v1/youths/{s.youth.pk}/followup/close/",
            {"reason": "moved", "summary": "Flyttet til Bergen."},
        ),
        page=lambda s: (
            f"/ungdommer/{s.youth.pk}/oppfolging/",
            {"action": "close", "reason": "moved", "summary": "Flyttet til Bergen."},
        ),
        effect=lambda s: FollowUp.objects.get(pk=s.followup.pk).state,
    ),
    "contacts_partial_update": Twin(
        api=lambda s: ("PATCH", f"/api/v1/contacts/{s.contact.pk}/", {"text": "Endret tekst."}),
        page=lambda s: (f"/ungdommer/kontakter/{s.contact.pk}/endre/", _contact_form(s.contact, text="Endret tekst.")),
        effect=lambda s: Contact.objects.get(pk=s.contact.pk).text,
    ),
    "contacts_destroy": Twin(
        api=lambda s: ("DELETE", f"/api/v1/contacts/{s.contact.pk}/", {"reason": "Registrert på feil ungdom"}),
        page=lambda s: (f"/ungdommer/kontakter/{s.contact.pk}/slett/", {"reason": "Registrert på feil ungdom"}),
        effect=lambda s: Contact.objects.get(pk=s.contact.pk).deleted_at is not None,
    ),
    # The page takes the document as an uploaded file and the receiving service from a list;
    # the API takes the body as it came, the service from ?unit= (default: the caller's only one).
    "concern_reports_import_create": Twin(
        api=lambda s: ("POST", "/api/v1/concern-reports/import/", example("offentlig")),
        page=lambda s: (
            "/meldinger/importer/",
            {
                "unit": str(s.barnevern.pk),
                "document": SimpleUploadedFile(
                    "melding.json", json.dumps(example("offentlig")).encode(), "application/json"
                ),
            },
        ),
        effect=lambda s: ConcernReport.objects.count(),
    ),
}

# Who succeeds with each operation (so a twin whose data is wrong cannot pass by failing twice).
ALLOWED: dict[str, str] = {
    "youths_create": "leader",
    "youths_partial_update": "follower",
    "youths_contacts_create": "follower",
    "youths_offences_create": "follower",
    "youths_followup_assign_create": "leader",
    "youths_followup_close_create": "leader",
    "contacts_partial_update": "follower",
    "contacts_destroy": "leader",
    "concern_reports_import_create": "caseworker",
}

# Known disagreements today: (operation, persona) → what differs. strict: a fix turns them red.
DISAGREEMENTS: dict[tuple[str, str], str] = {}


# --- The twins of the other areas (twins_<area>.py) ---------------------------------------------


def _twins_of_areas() -> list[Any]:
    return [
        importlib.import_module(f"{__package__}.{info.name}")
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("twins_")
    ]


for _area in _twins_of_areas():
    TWINS.update(_area.TWINS)
    ALLOWED.update(_area.ALLOWED)
    DISAGREEMENTS.update(getattr(_area, "DISAGREEMENTS", {}))


# --- The schema walk -----------------------------------------------------------------------------


def _write_operations() -> dict[str, tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        operation["operationId"]: (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in WRITE_METHODS
    }


def test_every_write_operation_has_a_twin() -> None:
    operations = _write_operations()
    missing = set(operations) - set(TWINS) - set(WITHOUT_TWIN)
    assert not missing, f"write operations without a parity case (add them to TWINS): {sorted(missing)}"
    stale = (set(TWINS) | set(WITHOUT_TWIN)) - set(operations)
    assert not stale, f"parity cases for operations no longer in the schema: {sorted(stale)}"


# --- Outcomes ------------------------------------------------------------------------------------


def _api_outcome(response: Any) -> str:
    if 200 <= response.status_code < 300:
        return "allowed"
    return str(response.status_code)


def _page_outcome(response: Any, changed: bool) -> str:
    if response.status_code in (200, 302) and changed:
        return "allowed"
    if response.status_code in (200, 302):  # the page answered without saving: a refusal it did not say
        return f"{response.status_code} unsaved"
    return str(response.status_code)


def _cases() -> list[Any]:
    cases = []
    for operation, persona in itertools.product(TWINS, PERSONAS):
        reason = DISAGREEMENTS.get((operation, persona))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(operation, persona, id=f"{operation}-{persona}", marks=marks))
    return cases


# Both ways into the API are walked: these personas call it with an API key (Bearer), the others
# with the session of their two-factor sign-in.
BEARER_PERSONAS = ("leader", "other_leader", "caseworker")


def _api_call(client: Client, user: User, persona: str, method: str, url: str, body: Any) -> Any:
    if persona in BEARER_PERSONAS:
        secret = api_key(user)
        return Client().generic(
            method, url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
    return client.generic(method, url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("operation", "persona"), _cases())
def test_the_api_and_the_page_agree(cast: Cast, operation: str, persona: str) -> None:
    twin = TWINS[operation]
    user = persona_user(cast, persona)
    client = sign_in(Client(), user)

    scene = make_scene(cast, persona)
    before = twin.effect(scene)
    method, url, body = twin.api(scene)
    response = _api_call(client, user, persona, method, url, body)
    api = (_api_outcome(response), twin.effect(scene) != before)

    scene = make_scene(cast, persona)
    before = twin.effect(scene)
    url, data = twin.page(scene)
    response = client.post(url, data)
    changed = twin.effect(scene) != before
    page = (_page_outcome(response, changed), changed)

    assert api == page, f"API {api} ≠ page {page}"
    if persona == ALLOWED[operation]:  # the twin's data is right: someone succeeds in both
        assert api == ("allowed", True)


# --- 400 with the same rule ----------------------------------------------------------------------

# For each operation, the persona who may, breaking one rule: both must answer 400, save nothing,
# and name the same field (the page's date and time boxes are the API's one occurred_at).
_FUTURE = "2091-01-01"


def _tomorrow() -> datetime.datetime:
    return _yesterday() + datetime.timedelta(days=2)


def _invalid_document() -> dict[str, Any]:
    document = example("offentlig")
    del document["offentligMelder"]["epost"]
    return document


RULE_BREAKS: dict[str, Twin] = {
    "youths_create": Twin(
        api=lambda s: ("POST", "/api/v1/youths/", _register_fields(s) | {"birth_date": _FUTURE}),
        page=lambda s: ("/ungdommer/ny/", _register_fields(s) | {"birth_date": _FUTURE}),
        effect=lambda s: Youth.objects.count(),
    ),
    "youths_partial_update": Twin(
        api=lambda s: ("PATCH", f"/api/v1/youths/{s.youth.pk}/", {"birth_date": _FUTURE}),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/endre/", _youth_form(s, birth_date=_FUTURE)),
        effect=lambda s: Youth.objects.get(pk=s.youth.pk).birth_date,
    ),
    "youths_contacts_create": Twin(  # later today or tomorrow: the service's rule (not in the future)
        api=lambda s: (
            "POST",
            f"/api/v1/youths/{s.youth.pk}/contacts/",
            {"occurred_at": _tomorrow().isoformat(), "duration_minutes": 45, "kind": "conversation"},
        ),
        page=lambda s: (
            f"/ungdommer/{s.youth.pk}/kontakt/ny/",
            _new_contact_form(s)
            | {"occurred_date": _tomorrow().strftime("%Y-%m-%d"), "occurred_time": _tomorrow().strftime("%H:%M")},
        ),
        effect=lambda s: Contact.objects.filter(youth=s.youth).count(),
    ),
    "youths_offences_create": Twin(
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/offences/", {"kind": "theft", "committed_on": _FUTURE}),
        page=lambda s: (
            f"/ungdommer/{s.youth.pk}/lovbrudd/ny/",
            {"kind": "theft", "committed_on": _FUTURE, "police_reference": "", "description": ""},
        ),
        effect=lambda s: Offence.objects.filter(youth=s.youth).count(),
    ),
    "youths_followup_assign_create": Twin(  # a person outside the follow-up team
        api=lambda s: (
            "POST",
            f"/api/v1/youths/{s.youth.pk}/followup/assign/",
            {"user": s.people.outsider.pk, "role": "coordinator"},
        ),
        page=lambda s: (
            f"/ungdommer/{s.youth.pk}/oppfolging/",
            {"action": "assign", "role": "coordinator", "coordinator-user": s.people.outsider.pk},
        ),
        effect=_active_assignments,
    ),
    "youths_followup_close_create": Twin(  # no closing summary
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/followup/close/", {"reason": "moved", "summary": ""}),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/oppfolging/", {"action": "close", "reason": "moved", "summary": ""}),
        effect=lambda s: FollowUp.objects.get(pk=s.followup.pk).state,
    ),
    "contacts_partial_update": Twin(  # a due date without a task
        api=lambda s: ("PATCH", f"/api/v1/contacts/{s.contact.pk}/", {"task_due_on": _FUTURE}),
        page=lambda s: (f"/ungdommer/kontakter/{s.contact.pk}/endre/", _contact_form(s.contact, task_due_on=_FUTURE)),
        effect=lambda s: Contact.objects.get(pk=s.contact.pk).task_due_on,
    ),
    "contacts_destroy": Twin(  # no reason
        api=lambda s: ("DELETE", f"/api/v1/contacts/{s.contact.pk}/", {"reason": ""}),
        page=lambda s: (f"/ungdommer/kontakter/{s.contact.pk}/slett/", {"reason": ""}),
        effect=lambda s: Contact.objects.get(pk=s.contact.pk).deleted_at is not None,
    ),
    "concern_reports_import_create": Twin(  # not valid against the KS Fiks schema
        api=lambda s: ("POST", "/api/v1/concern-reports/import/", _invalid_document()),
        page=lambda s: (
            "/meldinger/importer/",
            {
                "unit": str(s.barnevern.pk),
                "document": SimpleUploadedFile(
                    "melding.json", json.dumps(_invalid_document()).encode(), "application/json"
                ),
            },
        ),
        effect=lambda s: ConcernReport.objects.count(),
    ),
}

# The page's field names where they differ from the API's.
PAGE_FIELD_IN_API = {"occurred_date": "occurred_at", "occurred_time": "occurred_at", "non_field_errors": "__all__"}

# Rule breaks where the page and the API disagree today.
RULE_DISAGREEMENTS: dict[str, str] = {}

for _area in _twins_of_areas():
    RULE_BREAKS.update(_area.RULE_BREAKS)
    RULE_DISAGREEMENTS.update(getattr(_area, "RULE_DISAGREEMENTS", {}))


def test_every_operation_has_a_rule_break() -> None:
    assert set(RULE_BREAKS) == set(TWINS)


def _api_fields(response: Any) -> set[str]:
    fields = response.json()["error"].get("fields") or {"__all__": []}
    return {PAGE_FIELD_IN_API.get(name, name) for name in fields}


def _page_fields(response: Any) -> set[str]:
    """The fields with errors on the bound forms the page showed again (and its own error list)."""
    found: set[str] = set()

    def visit(value: Any, depth: int = 0) -> None:
        if isinstance(value, BaseForm):
            if value.is_bound:
                found.update(PAGE_FIELD_IN_API.get(name, name) for name in value.errors)
        elif isinstance(value, dict | list | tuple) and depth < 2:
            for item in value.values() if isinstance(value, dict) else value:
                visit(item, depth + 1)

    context = response.context
    if context is None:
        values: dict[str, Any] = {}
    elif hasattr(context, "keys"):
        # ContextList iterates over its contexts, not its keys: keys() is needed here.
        values = {key: context[key] for key in context.keys()}  # noqa: SIM118
    else:  # one template rendered (no base template): its one Context
        values = context.flatten()
    for key, value in values.items():
        if key == "errors" and value and isinstance(value, list) and isinstance(value[0], str):
            found.add("__all__")
        visit(value)
    return found


def _rule_cases() -> list[Any]:
    return [
        pytest.param(
            operation,
            id=operation,
            marks=[pytest.mark.xfail(strict=True, reason=RULE_DISAGREEMENTS[operation])]
            if operation in RULE_DISAGREEMENTS
            else [],
        )
        for operation in RULE_BREAKS
    ]


@pytest.mark.parametrize("operation", _rule_cases())
def test_a_broken_rule_is_the_same_400_in_both(cast: Cast, operation: str) -> None:
    twin = RULE_BREAKS[operation]
    persona = ALLOWED[operation]
    client = sign_in(Client(), persona_user(cast, persona))

    scene = make_scene(cast, persona)
    before = twin.effect(scene)
    method, url, body = twin.api(scene)
    response = client.generic(method, url, json.dumps(body), content_type="application/json")
    assert twin.effect(scene) == before
    api = (response.status_code, _api_fields(response) if response.status_code == 400 else set())

    scene = make_scene(cast, persona)
    before = twin.effect(scene)
    url, data = twin.page(scene)
    response = client.post(url, data)
    assert twin.effect(scene) == before
    page = (response.status_code, _page_fields(response) if response.status_code == 400 else set())

    assert api[0] == 400, f"API {api} (page {page})"
    assert api == page, f"API {api} ≠ page {page}"


# --- A possible duplicate: a warning to confirm, in both -----------------------------------------


def test_a_possible_duplicate_is_a_warning_to_confirm_in_both(cast: Cast) -> None:
    """Issue 12, point 1: the service's duplicate check. The API answers 409 with the candidates
    and registers when sent again with confirm_duplicate; the page shows the form again (400)
    with the warning on «Register anyway» and registers when it is ticked. Nothing is saved
    before the confirmation, in either."""
    people = cast.people
    client = sign_in(Client(), people.leader)
    scene = make_scene(cast, "leader")
    existing = scene.youth
    same = _register_fields(scene) | {
        "first_name": existing.first_name,
        "last_name": existing.last_name,
        "birth_date": existing.birth_date.isoformat(),
    }
    count = Youth.objects.count()

    response = client.generic("POST", "/api/v1/youths/", json.dumps(same), content_type="application/json")
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "possible_duplicate"
    assert existing.pk in {c["youth"]["id"] for c in response.json()["error"]["candidates"] if c["youth"]}
    page = client.post("/ungdommer/ny/", same)
    assert page.status_code == 400
    assert "register_anyway" in _page_fields(page)
    assert Youth.objects.count() == count

    confirmed = same | {"confirm_duplicate": True}
    response = client.generic("POST", "/api/v1/youths/", json.dumps(confirmed), content_type="application/json")
    assert response.status_code == 201, response.content
    page = client.post("/ungdommer/ny/", same | {"register_anyway": "on"})
    assert page.status_code == 302, page.content
    assert Youth.objects.count() == count + 2
