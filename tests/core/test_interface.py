"""The interface speaks Norwegian bokmål by default, English on request; security headers."""

from __future__ import annotations

import pytest
from django.test import Client

from ..conftest import People

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_in_norwegian_by_default(client: Client) -> None:
    page = client.get("/logg-inn/").content.decode()
    assert '<html lang="nb">' in page
    assert "Logg inn i Laget" in page
    assert "Passord" in page


def test_an_english_browser_still_gets_norwegian(client: Client) -> None:
    page = client.get("/logg-inn/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Logg inn i Laget" in page


def test_english_is_available(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/logg-inn/"})
    page = client.get("/logg-inn/").content.decode()
    assert '<html lang="en">' in page
    assert "Sign in to Laget" in page


def test_home_page_per_role(as_user: object, people: People) -> None:
    follower_home = as_user(people.follower).get("/").content.decode()  # type: ignore[operator]
    assert "Mine ungdommer" in follower_home
    assert "Mine enheter" not in follower_home


def test_leader_home_lists_the_units_they_lead(client: Client, people: People) -> None:
    from ..conftest import sign_in

    page = sign_in(client, people.leader).get("/").content.decode()
    assert "Mine enheter" in page
    assert people.unit.name in page
    assert people.other_unit.name not in page


def test_security_headers(client: Client) -> None:
    response = client.get("/logg-inn/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_unknown_page_is_a_norwegian_404(client: Client, people: People) -> None:
    from ..conftest import sign_in

    response = sign_in(client, people.follower).get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_admin_is_for_administrators_only(client: Client, people: People) -> None:
    from ..conftest import sign_in

    sign_in(client, people.leader)
    assert client.get("/admin/").status_code == 302
    client.post("/logg-ut/")
    sign_in(client, people.admin)
    assert client.get("/admin/").status_code == 200


def test_admin_changes_are_audited(client: Client, people: People) -> None:
    from core.models import AuditEvent

    from ..conftest import sign_in

    sign_in(client, people.admin)
    url = f"/admin/org/district/{people.unit.district_id}/change/"
    response = client.post(
        url, {"number": 9, "name": "Bjerke", "max_youths_per_follower": 4, "intake_interval_weeks": 4}
    )
    assert response.status_code == 302, response.content
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor == people.admin
    assert event.detail == {"fields": ["max_youths_per_follower"]}


def test_the_norwegian_catalogue_is_complete() -> None:
    """Every interface string has a bokmål translation (none missing, none fuzzy)."""
    from pathlib import Path

    import polib

    catalogue = polib.pofile(str(Path(__file__).resolve().parents[2] / "locale/nb/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, missing
    assert not fuzzy, fuzzy
