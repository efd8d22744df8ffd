"""API keys: issued only by their owner after two-factor sign-in, for a purpose, with an expiry;
stored hashed, shown once, revocable, never shown in the admin; every issue, revocation and refused
use audited."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone

from core.api_tokens import api_token_issue, api_token_revoke
from core.models import ApiToken, AuditEvent

from ..conftest import People, sign_in
from ..factories import PASSWORD, api_key, as_verified

pytestmark = pytest.mark.django_db

PAGE = "/konto/api-nokler/"


def _issue_on_the_page(client: Client, purpose: str = "Fagsystem X", days: int = 30) -> str:
    response = client.post(PAGE, {"purpose": purpose, "days": days})
    assert response.status_code == 200, response.content
    secret = response.context["secret"]
    assert secret.startswith("laget_")
    assert secret in response.content.decode()
    return str(secret)


def test_the_owner_issues_a_key_after_two_factor_sign_in_and_sees_it_once(client: Client, people: People) -> None:
    sign_in(client, people.follower)
    secret = _issue_on_the_page(client)

    token = ApiToken.objects.get()
    assert token.user == people.follower
    assert token.purpose == "Fagsystem X"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.prefix, token.digest, token.purpose}
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    event = AuditEvent.objects.get(action="api_token.issued")
    assert event.actor == people.follower
    assert secret not in str(event.detail)
    listed = client.get(PAGE)
    assert listed.status_code == 200
    assert "Fagsystem X" in listed.content.decode()
    assert token.prefix in listed.content.decode()
    assert secret not in listed.content.decode()
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_password_only_session_cannot_issue_a_key(client: Client, people: People) -> None:
    client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    response = client.post(PAGE, {"purpose": "X", "days": 30})
    assert response.status_code in (302, 403)
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_user_who_has_not_passed_the_second_factor(people: People) -> None:
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=people.follower, purpose="X")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("purpose", "days"),
    [("", 30), ("   ", 30), ("x" * 101, 30), ("X", 0), ("X", 366)],
    ids=["no-purpose", "blank-purpose", "long-purpose", "zero-days", "over-a-year"],
)
def test_a_key_needs_a_purpose_and_a_bounded_lifetime(client: Client, people: People, purpose: str, days: int) -> None:
    sign_in(client, people.follower)
    response = client.post(PAGE, {"purpose": purpose, "days": days})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    with pytest.raises(ValidationError):
        api_token_issue(actor=as_verified(people.follower), purpose=purpose, days=days)


def test_an_expired_key_is_refused_with_401_and_audited(client: Client, people: People) -> None:
    secret = api_key(people.leader)
    ApiToken.objects.update(
        expires_at=timezone.now() - timedelta(seconds=1), created_at=timezone.now() - timedelta(days=1)
    )
    response = client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    refused = AuditEvent.objects.get(action="api_token.refused")
    assert refused.actor == people.leader
    assert refused.detail["reason"] == "expired"


def test_an_unknown_key_is_refused_and_audited_without_its_secret(client: Client) -> None:
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer laget_notarealkeyatallnotarealkeyatall")
    assert response.status_code == 401
    refused = AuditEvent.objects.get(action="api_token.refused")
    assert refused.detail == {"reason": "unknown", "key": "laget_notare"}


def test_the_owner_revokes_a_key_and_it_stops_working(client: Client, people: People) -> None:
    sign_in(client, people.follower)
    secret = _issue_on_the_page(client)
    token = ApiToken.objects.get()
    response = client.post(f"{PAGE}{token.pk}/trekk-tilbake/")
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action="api_token.revoked", actor=people.follower).exists()
    api = Client()
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_an_outsider_cannot_revoke_or_see_someone_elses_key(client: Client, people: People) -> None:
    api_key(people.follower, purpose="Followers system")
    token = ApiToken.objects.get()
    sign_in(client, people.outsider)
    assert client.post(f"{PAGE}{token.pk}/trekk-tilbake/").status_code == 404
    assert "Followers system" not in client.get(PAGE).content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_an_administrator_may_revoke_a_key_but_not_issue_one_for_someone_else(client: Client, people: People) -> None:
    api_key(people.follower, purpose="Followers system")
    token = ApiToken.objects.get()
    sign_in(client, people.admin)
    listing = client.get("/admin/core/apitoken/")
    assert listing.status_code == 200
    assert "Followers system" in listing.content.decode()
    assert token.digest not in listing.content.decode()
    detail = client.get(f"/admin/core/apitoken/{token.pk}/change/")
    assert token.digest not in detail.content.decode()
    assert client.get("/admin/core/apitoken/add/").status_code == 403
    response = client.post(f"/admin/core/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action="api_token.revoked", actor=people.admin).exists()
    with pytest.raises(Http404):
        api_token_revoke(actor=people.follower, token_id=token.pk)


def test_every_page_links_to_the_owners_api_keys(people: People, as_user: Any) -> None:
    page = as_user(people.follower).get("/").content.decode()
    assert 'href="/konto/api-nokler/">API-nøkler</a>' in page
