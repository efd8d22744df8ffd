"""A follower logs a contact from a phone (390×844) and nothing typed is lost: the draft is kept
on the server a few seconds after typing, survives a reload and a session timeout, and is gone
once the contact is saved. A new contact starts empty: unsaved drafts are offered in a list and
continued only on purpose. The form is accessible (axe-core) and has no horizontal scroll."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Contact, ContactDraft, Youth
from core.models import User

from ..cases.factories import followed_youth
from ..conftest import People, current_code
from ..factories import PASSWORD
from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "/ungdommer/kontakter/ny/"
SAVED = '#draft-status[data-draft-status="saved"]'


def _sign_in(page: Any, base: str, user: User, path: str) -> None:
    """Sign in as a person does, starting from the page they wanted (a TOTP code is valid once per 30 s)."""
    page.goto(f"{base}{path}")
    assert "/logg-inn/" in page.url
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Fortsett").click()
    page.wait_for_url("**/logg-inn/kode/**")
    page.get_by_label("Sekssifret kode").fill(current_code(user))
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base}{path}")


def _verified_session_cookie(user: User, base: str) -> dict[str, Any]:
    """A signed-in, two-factor-verified session, as after signing in again (without waiting for
    the next TOTP code)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    assert session.session_key
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base}


def _no_horizontal_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert overflow <= 0, f"horizontal scroll of {overflow}px: {wide[:10]}"


def _local_drafts(page: Any) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('laget-draft-'))")


def _fill_the_rest(page: Any) -> None:
    page.locator("[data-duration-quick] button[data-minutes='30']").click()
    page.locator("label[for='id_kind_0']").click()
    page.locator("label[for='id_participants_0']").click()
    page.locator("label[for='id_life_areas_0']").click()


@pytest.fixture
def youth(people: People) -> Youth:
    return followed_youth(people.unit, lead=people.follower, first_name="Ali")


def test_a_contact_typed_on_a_phone_survives_a_reload_and_is_saved(
    live_server: Any, page_at: Any, people: People, youth: Youth, tmp_path: Any
) -> None:
    page = page_at(390, 844)
    _sign_in(page, live_server.url, people.follower, FORM)

    assert page.locator(f"#id_youths_{youth.pk}").is_checked()  # the only youth the follower has
    assert axe_violations(page) == []
    _no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "contact-form-390.png", full_page=True)

    note = page.locator(f"#id_text_{youth.pk}")
    note.fill("Møtte Ali på fritidsklubben. Snakket om skolen og trening.")
    page.wait_for_selector(SAVED, timeout=10_000)
    draft = ContactDraft.objects.get(owner=people.follower)
    assert draft.youth == youth
    assert draft.data[f"text_{youth.pk}"].startswith("Møtte Ali")

    page.reload()
    # A reload is a new, empty form; the draft is in the list and continued on purpose.
    assert note.input_value() == ""
    page.locator(f'[data-draft-item="{draft.key}"] a', has_text="Fortsett").click()
    page.wait_for_url(f"**?utkast={draft.key}")
    assert note.input_value() == "Møtte Ali på fritidsklubben. Snakket om skolen og trening."

    _fill_the_rest(page)
    page.locator("button[name='action'][value='save']").click()
    page.wait_for_url("**/ungdommer/kontakter/*/")
    contact = Contact.objects.get()
    assert contact.youth == youth
    assert contact.author == people.follower
    assert contact.text == "Møtte Ali på fritidsklubben. Snakket om skolen og trening."
    assert contact.duration_minutes == 30
    assert not ContactDraft.objects.exists()
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('laget-draft-'))")
    assert _local_drafts(page) == []
    assert axe_violations(page) == []
    _no_horizontal_scroll(page)


def test_text_typed_after_the_session_timed_out_is_restored_after_signing_in_again(
    live_server: Any, page_at: Any, people: People, youth: Youth
) -> None:
    page = page_at(390, 844)
    _sign_in(page, live_server.url, people.follower, FORM)
    note = page.locator(f"#id_text_{youth.pk}")
    note.fill("Første del.")
    page.wait_for_selector(SAVED, timeout=10_000)

    # The session ends (idle timeout, or the server forgot it): sessions live in PostgreSQL only.
    Session.objects.all().delete()
    note.fill("Første del. Skrevet etter at økten gikk ut.")
    page.wait_for_selector('#draft-status[data-draft-status="signed-out"]', timeout=10_000)
    assert page.locator("#draft-status a").get_attribute("href").startswith("/logg-inn/")
    assert ContactDraft.objects.get().data[f"text_{youth.pk}"] == "Første del."

    page.context.clear_cookies()
    page.context.add_cookies([_verified_session_cookie(people.follower, live_server.url)])
    page.goto(f"{live_server.url}{FORM}")
    assert note.input_value() == ""
    draft = ContactDraft.objects.get()
    page.locator(f'[data-draft-item="{draft.key}"] a', has_text="Fortsett").click()
    page.wait_for_url(f"**?utkast={draft.key}")
    page.wait_for_selector('#draft-status[data-draft-status="restored"]')
    assert note.input_value() == "Første del. Skrevet etter at økten gikk ut."
    page.wait_for_selector(SAVED, timeout=10_000)
    assert ContactDraft.objects.get().data[f"text_{youth.pk}"] == "Første del. Skrevet etter at økten gikk ut."


def test_a_draft_is_discarded_only_on_purpose(live_server: Any, page_at: Any, people: People, youth: Youth) -> None:
    page = page_at(390, 844)
    _sign_in(page, live_server.url, people.follower, FORM)
    note = page.locator(f"#id_text_{youth.pk}")
    note.fill("Dette skal bort.")
    page.wait_for_selector(SAVED, timeout=10_000)

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("[data-draft-discard]").click()
    assert note.input_value() == "Dette skal bort."
    assert ContactDraft.objects.count() == 1

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("[data-draft-discard]").click()
    assert note.input_value() == ""
    assert not ContactDraft.objects.exists()
    assert _local_drafts(page) == []


def test_logg_kontakt_starts_empty_and_offers_an_abandoned_draft_to_continue(
    live_server: Any, page_at: Any, people: People, youth: Youth, tmp_path: Path
) -> None:
    sara = followed_youth(people.unit, lead=people.follower, first_name="Sara")
    page = page_at(390, 844)
    _sign_in(page, live_server.url, people.follower, FORM)

    # A group contact begun in the car, then abandoned for the youth's page.
    page.locator(f"label[for='id_youths_{youth.pk}']").click()
    page.locator(f"label[for='id_youths_{sara.pk}']").click()
    page.locator(f"#id_text_{sara.pk}").fill("Sara fortalte at hun")
    page.wait_for_selector(SAVED, timeout=10_000)
    draft = ContactDraft.objects.get()
    page.goto(f"{live_server.url}/")

    # "Logg kontakt" again, for Ali only: an empty form, and the draft in a list.
    page.goto(f"{live_server.url}{FORM}")
    form = page.locator("#contact-form")
    assert not page.locator(f"#id_youths_{youth.pk}").is_checked()
    assert not page.locator(f"#id_youths_{sara.pk}").is_checked()
    assert page.locator(f"#id_text_{sara.pk}").input_value() == ""
    assert page.locator("#draft-status").inner_text() == ""
    item = page.locator(f'[data-draft-item="{draft.key}"]')
    assert item.is_visible()
    assert "Sara" in item.inner_text()
    assert "«Sara fortalte at hun»" in item.inner_text()
    assert axe_violations(page) == []
    _no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "drafts-390.png", full_page=True)

    # Ali's contact is typed and saved; nothing of Sara's draft comes into it.
    page.locator(f"label[for='id_youths_{youth.pk}']").click()
    page.locator(f"#id_text_{youth.pk}").fill("Ringte Ali om treningen.")
    _fill_the_rest(page)
    page.locator("button[name='action'][value='save']").click()
    page.wait_for_url("**/ungdommer/kontakter/*/")
    contact = Contact.objects.get()
    assert (contact.youth, contact.group_id, contact.text) == (youth, None, "Ringte Ali om treningen.")
    assert ContactDraft.objects.get() == draft  # the abandoned draft is kept

    # Back to the form: the draft is continued on purpose, and its content fills the form.
    page.goto(f"{live_server.url}{FORM}")
    assert form.locator(f"#id_text_{sara.pk}").input_value() == ""
    page.locator(f'[data-draft-item="{draft.key}"] a', has_text="Fortsett").click()
    page.wait_for_url(f"**?utkast={draft.key}")
    assert page.locator("[data-continuing]").is_visible()
    assert page.locator(f"#id_youths_{youth.pk}").is_checked()
    assert page.locator(f"#id_youths_{sara.pk}").is_checked()
    assert page.locator(f"#id_text_{sara.pk}").input_value() == "Sara fortalte at hun"
    assert page.locator("[data-drafts]").is_hidden()
    assert axe_violations(page) == []


def test_a_draft_kept_only_on_the_device_is_listed_and_continued_on_purpose(
    live_server: Any, page_at: Any, people: People, youth: Youth
) -> None:
    page = page_at(390, 844)
    _sign_in(page, live_server.url, people.follower, FORM)
    key = page.locator("input[name='draft_key']").input_value()

    # No connection to the server's draft endpoint: the text is kept only on this device.
    page.route("**/ungdommer/kontakter/utkast/", lambda route: route.abort())
    page.locator(f"#id_text_{youth.pk}").fill("Skrevet uten nett")
    page.wait_for_selector('#draft-status[data-draft-status="offline"]', timeout=10_000)
    assert not ContactDraft.objects.exists()
    page.unroute("**/ungdommer/kontakter/utkast/")

    page.goto(f"{live_server.url}{FORM}")
    assert page.locator(f"#id_text_{youth.pk}").input_value() == ""
    item = page.locator(f'[data-draft-item="{key}"]')
    assert "På denne enheten" in item.inner_text()
    assert "«Skrevet uten nett»" in item.inner_text()
    item.get_by_role("button", name="Fortsett").click()
    page.wait_for_url(f"**?utkast={key}")
    assert page.locator(f"#id_text_{youth.pk}").input_value() == "Skrevet uten nett"
    assert ContactDraft.objects.get().data[f"text_{youth.pk}"] == "Skrevet uten nett"
