"""A person signs in with password and code and lands on their home page: accessible (axe-core,
no serious or critical violations) and usable from a 360-pixel phone to a 1920-pixel projector."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import People, current_code
from ..factories import PASSWORD
from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base: str, people: People) -> None:
    page.goto(f"{base}/")
    assert "/logg-inn/" in page.url
    page.get_by_label("E-post").fill(people.leader.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Fortsett").click()
    page.wait_for_url("**/logg-inn/kode/**")
    page.get_by_label("Sekssifret kode").fill(current_code(people.leader))
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base}/")


def test_sign_in_and_home_page_are_accessible(live_server: Any, page_at: Any, people: People) -> None:
    page = page_at(1280, 800)
    page.goto(f"{live_server.url}/logg-inn/")
    assert axe_violations(page) == []
    _sign_in(page, live_server.url, people)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hei")
    assert page.get_by_role("heading", name="Mine enheter").is_visible()
    assert page.get_by_role("link", name=people.unit.name).first.is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1920, 1080)])
def test_home_page_fits_phone_and_projector(
    live_server: Any, page_at: Any, people: People, width: int, height: int, tmp_path: Any
) -> None:
    page = page_at(width, height)
    _sign_in(page, live_server.url, people)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert overflow <= 0, f"horizontal scroll of {overflow}px at {width}px: {wide[:10]}"
    assert axe_violations(page) == []
    page.screenshot(path=tmp_path / f"home-{width}.png", full_page=True)


def test_keyboard_user_can_skip_to_content(live_server: Any, page_at: Any, people: People) -> None:
    page = page_at(1280, 800)
    _sign_in(page, live_server.url, people)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Hopp til hovedinnholdet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
