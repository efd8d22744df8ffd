"""factory_boy factories for the organisation and people."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Youth
from core.models import User
from org.models import District, StaffRole, Unit

PASSWORD = "correct-horse-battery"


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 15 + 1)
    name = factory.LazyAttribute(lambda o: f"Bydel nr. {o.number}")


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Enhet {n}")
    kind = Unit.Kind.SALTO
    district = factory.SubFactory(DistrictFactory)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@bydel.oslo.kommune.no")
    full_name = factory.Faker("name", locale="no_NO")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class TOTPDeviceFactory(factory.django.DjangoModelFactory[TOTPDevice]):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Test"
    confirmed = True


class StaffRoleFactory(factory.django.DjangoModelFactory[StaffRole]):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = StaffRole.Role.FOLLOWER
    starts_on = datetime.date(2024, 1, 1)


class YouthFactory(factory.django.DjangoModelFactory[Youth]):
    class Meta:
        model = Youth

    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    birth_date = datetime.date(2011, 5, 17)
    district = factory.SubFactory(DistrictFactory)


def as_verified(user: Any) -> Any:
    """The user as django_otp's middleware presents them after two-factor sign-in."""
    user.is_verified = lambda: True
    return user


def api_key(user: Any, *, purpose: str = "Tests") -> str:
    """An API key issued the way its owner issues one (core.api_tokens, after two-factor sign-in);
    returns the secret."""
    from core.api_tokens import api_token_issue

    _token, secret = api_token_issue(actor=as_verified(user), purpose=purpose)
    return secret
