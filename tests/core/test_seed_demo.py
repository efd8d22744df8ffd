"""The demo data (manage.py seed_demo): complete, valid, deterministic and idempotent."""

from __future__ import annotations

import base64
import contextlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.no import fodselsnummer

from cases.models import Family, Guardian, Guardianship, Youth
from core import demo
from core.models import User
from teams.models import District, StaffRole, Unit

SEEDED_MODELS: list[type[Model]] = [
    District,
    Unit,
    User,
    StaffRole,
    TOTPDevice,
    Family,
    Youth,
    Guardian,
    Guardianship,
]

OSLO_DISTRICTS = {
    1: "Gamle Oslo",
    2: "Grünerløkka",
    3: "Sagene",
    4: "St. Hanshaugen",
    5: "Frogner",
    6: "Ullern",
    7: "Vestre Aker",
    8: "Nordre Aker",
    9: "Bjerke",
    10: "Grorud",
    11: "Stovner",
    12: "Alna",
    13: "Østensjø",
    14: "Nordstrand",
    15: "Søndre Nordstrand",
}


class _Rollback(Exception):
    pass


def _row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in SEEDED_MODELS}


def _youth_names() -> list[tuple[str, str, str, str]]:
    return sorted(Youth.objects.values_list("national_id", "first_name", "last_name", "preferred_name"))


@pytest.fixture
def seeded(db: None) -> demo.DemoResult:
    return demo.build(seed=2026)


def test_a_second_run_adds_nothing(seeded: demo.DemoResult) -> None:
    first = _row_counts()
    second = demo.build(seed=2026)

    assert _row_counts() == first
    assert second.counts == seeded.counts
    assert first["Youth"] >= 75


def test_all_fifteen_districts_have_their_official_numbers(seeded: demo.DemoResult) -> None:
    districts = {district.number: district for district in District.objects.all()}

    assert {number: district.name for number, district in districts.items()} == OSLO_DISTRICTS
    assert districts[12].intake_interval_weeks == 2
    assert districts[15].intake_interval_weeks == 6
    assert {districts[number].intake_interval_weeks for number in set(districts) - {12, 15}} == {4}
    assert {district.max_youths_per_follower for district in districts.values()} == {5}
    for district in districts.values():
        assert district.units.filter(kind=Unit.Kind.BARNEVERN).exists()


def test_every_national_id_is_valid_and_matches_the_birth_date(seeded: demo.DemoResult) -> None:
    youths = list(Youth.objects.all())

    for youth in youths:
        fodselsnummer.validate(youth.national_id)
        assert fodselsnummer.get_birth_date(youth.national_id) == youth.birth_date
        youth.full_clean()
    assert len({youth.national_id for youth in youths}) == len(youths)
    assert any(int(youth.national_id[:2]) > 40 for youth in youths), "some D-numbers"


def test_families_have_guardians_with_and_without_parental_responsibility(seeded: demo.DemoResult) -> None:
    assert not Family.objects.filter(guardians__isnull=True).exists()
    assert Guardianship.objects.filter(parental_responsibility=True).count() > 100
    assert Guardianship.objects.filter(
        relation=Guardianship.Relation.STEP_PARENT, parental_responsibility=False
    ).exists()
    assert Guardian.objects.filter(needs_interpreter=True).exclude(language="norsk").exists()
    siblings = Youth.objects.filter(birth_date__gt=demo.ANCHOR.replace(year=demo.ANCHOR.year - 12))
    assert siblings.exists()
    assert not siblings.filter(family__isnull=True).exists()


def test_each_demo_login_has_a_password_and_a_confirmed_totp_device(seeded: demo.DemoResult) -> None:
    assert [login.email for login in seeded.logins] == [
        "follower@demo.laget.no",
        "teammate@demo.laget.no",
        "coordinator@demo.laget.no",
        "leader@demo.laget.no",
        "caseworker@demo.laget.no",
        "police@demo.laget.no",
        "school@demo.laget.no",
        "admin@demo.laget.no",
    ]
    for login in seeded.logins:
        user = User.objects.get(email=login.email)
        assert user.full_name == login.full_name
        assert user.check_password(demo.DEMO_PASSWORD)
        assert StaffRole.objects.filter(user=user).exists()
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert base64.b32decode(login.totp_secret.replace(" ", "")) == device.bin_key
        assert device.verify_token(TOTP(device.bin_key).token())
    admin = User.objects.get(email="admin@demo.laget.no")
    assert admin.is_staff
    assert admin.is_superuser
    assert StaffRole.objects.filter(user=admin, role=StaffRole.Role.ADMINISTRATOR).exists()


def _youth_names_of_a_build_rolled_back(seed: int) -> list[tuple[str, str, str, str]]:
    names: list[tuple[str, str, str, str]] = []
    with contextlib.suppress(_Rollback), transaction.atomic():
        demo.build(seed=seed)
        names = _youth_names()
        raise _Rollback
    return names


def test_the_same_seed_builds_the_same_youths(db: None) -> None:
    first = _youth_names_of_a_build_rolled_back(2026)
    other_seed = _youth_names_of_a_build_rolled_back(7)
    assert not Youth.objects.exists()

    demo.build(seed=2026)

    assert _youth_names() == first
    assert other_seed != first


def test_the_command_prints_the_logins_table(db: None) -> None:
    out = io.StringIO()

    call_command("seed_demo", "--seed", "7", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert "saksbehandler barnevern" in text
    assert demo.totp_secret(demo.totp_key(7, "police@demo.laget.no")) in text
    assert "code screen shows the current code" in text
