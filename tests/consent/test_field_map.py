"""The sharing policy owns every field decision (issue 12, point 3).

- One map, consent.policy.FIELD_CATEGORY, gives every field of the youth's record a category;
  a field that is neither there nor in NOT_PERSONAL fails here, so a new field cannot slip
  through to an output unmasked.
- `Viewer.sees` is a question with no side effect; `show` and the selectors remember and log.
- Each output (the youth page, its PDF, the API's detail and list, the KS Fiks export) masks
  what the person's service may not see, and the one call that returned the data wrote the
  audit row and the disclosure.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.test import Client
from guardian.shortcuts import assign_perm
from pypdf import PdfReader

from cases.models import Family, Guardian, Guardianship, Youth
from consent import policy
from consent.models import Category, Disclosure
from core.models import AuditEvent, User
from referrals.models import ConcernReport

from ..cases.factories import followed_youth
from ..cases.helpers_records import api_client
from ..conftest import People, sign_in
from ..factories import TOTPDeviceFactory
from ..referrals.ksfiks_helpers import api_client as ksfiks_client
from ..referrals.ksfiks_helpers import build_barnevern, receive
from ..sharing import open_to
from .conftest import World

pytestmark = pytest.mark.django_db

PHONE = "41234567"
SCHOOL_CLASS = "9B"
NATIONAL_ID = "28071364498"  # the child of the KS Fiks example report (tests/referrals)

# The models that hold a youth's record, each of whose fields the map must place.
RECORD_MODELS = (Youth, Family, Guardian, Guardianship)


# --- The map ------------------------------------------------------------------------------------


def unplaced_fields(model: Any) -> set[str]:
    """The model's stored fields the policy has no word on."""
    placed = set(policy.FIELD_CATEGORY.get(model, {})) | set(policy.NOT_PERSONAL.get(model, ()))
    stored = {f.name for f in model._meta.concrete_fields} | {f.name for f in model._meta.many_to_many}
    return stored - placed


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda m: m.__name__)
def test_every_field_of_the_youths_record_has_a_category_or_is_said_to_be_not_personal(model: Any) -> None:
    assert unplaced_fields(model) == set(), (
        f"{model.__name__}: give each new field a category in consent.policy.FIELD_CATEGORY "
        "(or list it in NOT_PERSONAL if it says nothing about the person)"
    )


def test_the_guard_notices_a_field_the_map_does_not_place(monkeypatch: pytest.MonkeyPatch) -> None:
    mapped = dict(policy.FIELD_CATEGORY[Youth])
    del mapped["phone"]
    model: type[Model] = Youth
    monkeypatch.setitem(policy.FIELD_CATEGORY, model, mapped)
    assert unplaced_fields(Youth) == {"phone"}


def test_every_model_that_links_to_a_youth_is_placed_by_the_policy() -> None:
    """A new kind of youth data (a model with a link to Youth) cannot slip through: it needs a
    field map or a word in ITEM_RULES on where the policy decides what of it is shown."""
    placed = {m._meta.label for m in policy.FIELD_CATEGORY} | set(policy.ITEM_RULES)
    linked = {
        model._meta.label
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Youth
    }
    assert linked - placed == set()
    assert set(policy.ITEM_RULES) <= linked  # no rule for a model that is gone


def test_the_map_names_only_known_categories_and_no_field_twice() -> None:
    known = set(Category.values) | {policy.FRAME}
    for model, fields in policy.FIELD_CATEGORY.items():
        assert set(fields.values()) <= known, model
        assert not set(fields) & policy.NOT_PERSONAL[model], model


def test_an_output_cannot_ask_for_a_field_the_policy_has_no_word_on(world: World) -> None:
    youth = world.youth(datetime.date(2010, 1, 15))
    viewer = policy.viewer(world.people.follower, youth)
    with pytest.raises(KeyError):
        viewer.show_fields(youth, ["first_name", "entry_hash"])
    # And a field it was not asked for is not there to read.
    with pytest.raises(AttributeError):
        _ = viewer.show_fields(youth, ["first_name"]).phone


YOUTH_TEMPLATES = ("templates/cases/youth_detail.html", "templates/cases/youth_pdf.html")


@pytest.mark.parametrize("template", YOUTH_TEMPLATES)
def test_the_youth_page_and_pdf_read_the_record_only_through_the_policy(template: str) -> None:
    """The page's templates show the record from `record` (masked); of `youth` itself they may
    read only the frame and keys."""
    text = (Path(settings.BASE_DIR) / template).read_text()
    read = set(re.findall(r"(?<![\w/])youth\.(\w+)", text))
    frame = {n for n, c in policy.FIELD_CATEGORY[Youth].items() if c == policy.FRAME}
    assert read - frame - policy.NOT_PERSONAL[Youth] - {"pk"} == set()
    assert "record.phone" in text  # the test reads the template it means


# --- Viewer.sees is a question --------------------------------------------------------------------


def test_sees_has_no_side_effect_and_show_remembers(world: World) -> None:
    youth = world.youth(datetime.date(2010, 1, 15))
    viewer = policy.viewer(world.school_contact, youth)
    disclosures, audits = Disclosure.objects.count(), AuditEvent.objects.count()
    assert viewer.sees(Category.SCHOOL) is False
    assert viewer.sees_record(Category.IDENTITY_CONTACT) is False
    assert viewer.fields(youth).withheld
    assert viewer.shown == []
    assert not viewer.withheld
    assert (Disclosure.objects.count(), AuditEvent.objects.count()) == (disclosures, audits)
    assert viewer.show_record(Category.IDENTITY_CONTACT) is False
    assert viewer.withheld[Category.IDENTITY_CONTACT] == 1


def test_show_fields_masks_by_the_map_and_asks_an_empty_part_nothing(world: World) -> None:
    youth = world.youth(datetime.date(2010, 1, 15))
    youth.phone = PHONE
    youth.school = None
    youth.school_class = ""
    viewer = policy.viewer(world.school_contact, youth)
    record = viewer.show_fields(youth)
    assert record.first_name == youth.first_name  # the frame
    assert record.phone is None
    assert "phone" in record.withheld
    assert record.school is None
    assert "school" not in record.withheld
    assert viewer.withheld[Category.IDENTITY_CONTACT] == 1
    assert Category.SCHOOL not in viewer.withheld
    # The follower's own service keeps the record: the same call shows it to them.
    assert policy.viewer(world.people.follower, youth).show_fields(youth).phone == PHONE


# --- Every output ------------------------------------------------------------------------------


@pytest.fixture
def youth(world: World) -> Youth:
    """A youth with a phone number and a school; the school contact is on the youth's team and
    the school has a legal basis for school information only."""
    youth = world.youth(datetime.date(2010, 1, 15))
    youth.phone = PHONE
    youth.school = world.school
    youth.school_class = SCHOOL_CLASS
    youth.save()
    assign_perm("cases.view_youth", world.school_contact, youth)
    open_to(youth, world.school, {Category.SCHOOL}, actor=world.people.follower)
    TOTPDeviceFactory(user=world.school_contact)
    return youth


def _signed_in(user: User) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return sign_in(client, user)


def _disclosed(user: User, youth: Youth, channel: str) -> list[list[str]]:
    return [
        sorted(d.categories) for d in Disclosure.objects.filter(user=user, youth=youth, channel=channel).order_by("id")
    ]


def _audited(user: User, youth: Youth, action: str) -> bool:
    return AuditEvent.objects.filter(actor=user, action=action, youth_id=youth.pk).exists()


def test_the_youth_page_withholds_the_phone_and_logs_the_school_it_shows(world: World, youth: Youth) -> None:
    user = world.school_contact
    response = _signed_in(user).get(f"/ungdommer/{youth.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert PHONE not in page
    assert world.school.name in page
    assert SCHOOL_CLASS in page
    assert _audited(user, youth, "youth.viewed")
    assert _disclosed(user, youth, Disclosure.Channel.VIEW) == [[Category.SCHOOL]]


def test_the_youth_pdf_withholds_the_phone_and_logs_the_school_it_shows(world: World, youth: Youth) -> None:
    user = world.school_contact
    response = _signed_in(user).get(f"/ungdommer/{youth.pk}/pdf/")
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert PHONE not in text
    assert world.school.name in text
    assert _audited(user, youth, "youth.printed")
    assert _disclosed(user, youth, Disclosure.Channel.PDF) == [[Category.SCHOOL]]


def test_the_api_detail_nulls_every_identity_field_and_logs_the_school_it_gives(world: World, youth: Youth) -> None:
    user = world.school_contact
    response = api_client(user).get(f"/api/v1/youths/{youth.pk}/")
    assert response.status_code == 200
    data = response.json()
    identity = [n for n, c in policy.FIELD_CATEGORY[Youth].items() if c == Category.IDENTITY_CONTACT]
    for name in set(identity) & set(data):
        assert data[name] is None, name
    assert data["school"] == world.school.pk
    assert data["school_class"] == SCHOOL_CLASS
    assert data["first_name"] == youth.first_name
    assert data["guardians"] is None  # family information is not shared
    assert {w["category"] for w in data["withheld"]} == {Category.IDENTITY_CONTACT, Category.FAMILY}
    assert _audited(user, youth, "youth.viewed")
    assert _disclosed(user, youth, Disclosure.Channel.API) == [[Category.SCHOOL]]


def test_the_api_list_nulls_the_identity_fields_and_logs_what_crossed_to_the_school(world: World, youth: Youth) -> None:
    user = world.school_contact
    response = api_client(user).get("/api/v1/youths/")
    assert response.status_code == 200
    (row,) = [r for r in response.json()["results"] if r["id"] == youth.pk]
    assert row["birth_date"] is None
    assert row["gender"] is None
    assert row["last_contact_at"] is None
    assert row["school"] == world.school.pk
    assert _disclosed(user, youth, Disclosure.Channel.API) == [[Category.SCHOOL]]


def test_the_follower_sees_the_whole_record_in_the_api_and_it_is_logged_as_their_own_services(
    world: World, youth: Youth
) -> None:
    user = world.people.follower
    data = api_client(user).get(f"/api/v1/youths/{youth.pk}/").json()
    assert data["phone"] == PHONE
    rows = Disclosure.objects.filter(user=user, youth=youth, channel=Disclosure.Channel.API)
    assert {c for d in rows for c in d.categories} >= {Category.IDENTITY_CONTACT}
    assert {d.basis for d in rows} >= {Disclosure.Basis.OWN_SERVICE}


def test_the_ks_fiks_export_leaves_out_a_child_the_exporter_may_not_see_and_logs_what_went_out(
    people: People,
) -> None:
    """The export's sharing decision is the selector's (referrals.concerns.selectors
    .ksfiks_export_get): a caseworker assigned to the report who has since moved to another
    barnevern service may act on it, but the child's details recorded by the report's service
    go out only on a consent or legal basis, and what went out is logged."""
    bv = build_barnevern(people)
    youth = followed_youth(people.unit, national_id=NATIONAL_ID, birth_date=datetime.date(2013, 7, 28))
    report = receive(bv)
    report.children.filter(national_id=NATIONAL_ID).update(youth=youth)
    ConcernReport.objects.filter(pk=report.pk).update(caseworker=bv.other_caseworker)
    client = ksfiks_client(bv.other_caseworker)

    response = client.get(f"/api/v1/concern-reports/{report.pk}/ks-fiks/")
    assert response.status_code == 200
    assert NATIONAL_ID not in response.content.decode()
    assert response["X-Laget-Withheld"] == "1"
    assert AuditEvent.objects.filter(
        actor=bv.other_caseworker, action="concern_report.exported", detail__withheld_children=1
    ).exists()
    assert _disclosed(bv.other_caseworker, youth, Disclosure.Channel.EXPORT) == []

    open_to(youth, bv.other_unit, {Category.BARNEVERN}, actor=bv.caseworker)
    response = client.get(f"/api/v1/concern-reports/{report.pk}/ks-fiks/")
    assert response.json()["offentligBarn"][0]["fnr"] == NATIONAL_ID
    assert "X-Laget-Withheld" not in response
    assert _disclosed(bv.other_caseworker, youth, Disclosure.Channel.EXPORT) == [[Category.BARNEVERN]]
