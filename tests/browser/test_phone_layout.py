"""The pages a careful user found wanting, as people use them, on a 390×844 phone and a
1920×1080 screen: no page wider than the screen, axe-core clean (serious and critical), the
concern form's labels choose their own choice, the violence notice only for violence, the
inbox readable on a phone, and the menu folded behind a button with 44-pixel targets."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.utils import timezone

from referrals.models import ConcernReport

from ..cases.factories import followed_youth
from ..conftest import People
from ..referrals.concern_pages import build_pages, receive
from .conftest import axe_violations
from .test_contact_logging import _verified_session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(390, 844), (1920, 1080)]
SHOTS = os.environ.get("LAGET_SCREENSHOTS", "")  # a path prefix: where to keep screenshots to look at


def _open(page_at: Any, live_server: Any, user: Any, path: str, size: tuple[int, int]) -> Any:
    page = page_at(*size)
    page.context.add_cookies([_verified_session_cookie(user, live_server.url)])
    page.goto(f"{live_server.url}{path}")
    return page


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"the page is {width} px wide on a {inner} px screen"


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}-{name}.png", full_page=True)


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_the_concern_form_labels_choose_their_own_choice(
    live_server: Any, page_at: Any, people: People, size: tuple[int, int]
) -> None:
    pages = build_pages(people)
    page = _open(page_at, live_server, pages.school_contact, "/meldinger/ny/", size)
    notice = page.locator("[data-violence-notice]")
    kind = page.locator("fieldset", has=page.locator("legend", has_text="Type melding"))

    # An ordinary report: no violence notice.
    assert not notice.is_visible()
    kind.get_by_text("Bekymringsmelding", exact=True).click()
    assert not notice.is_visible()

    child = page.locator("fieldset.laget-concern-row", has_text="Barn 1")
    guardian = page.locator("fieldset.laget-concern-row", has_text="Foresatt 1")
    child.locator("label", has_text="Ja").click()
    guardian.locator("label", has_text="Nei").click()
    assert page.locator("#id_children-0-informed_0").is_checked()
    assert not page.locator("#id_children-0-informed_1").is_checked()
    assert page.locator("#id_guardians-0-informed_1").is_checked()
    assert not page.locator("#id_guardians-0-informed_0").is_checked()
    child.locator("label", has_text="Nei").click()
    assert page.locator("#id_children-0-informed_1").is_checked()
    assert page.locator("#id_guardians-0-informed_1").is_checked()  # the guardian's answer stays

    _fits(page)
    assert axe_violations(page) == []
    _shot(page, f"concern-form-{size[0]}")

    # Violence: the notice shows, and the guardians are «not told».
    kind.get_by_text("Bekymring om vold eller seksuelle overgrep", exact=True).click()
    assert notice.is_visible()
    kind.get_by_text("Bekymringsmelding", exact=True).click()
    assert not notice.is_visible()


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_the_caseworkers_inbox_fits_the_screen(
    live_server: Any, page_at: Any, people: People, size: tuple[int, int]
) -> None:
    pages = build_pages(people)
    report = receive(pages)
    ConcernReport.objects.filter(pk=report.pk).update(received_at=timezone.now() - datetime.timedelta(days=30))
    receive(pages, kind=ConcernReport.Kind.VIOLENCE)

    page = _open(page_at, live_server, pages.caseworker, "/meldinger/innkommende/", size)

    overdue = page.locator(".laget-overdue").first
    assert overdue.is_visible()
    box = overdue.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= size[0]
    _fits(page)
    assert axe_violations(page) == []
    _shot(page, f"inbox-{size[0]}")


def test_the_menu_folds_behind_a_button_on_a_phone(live_server: Any, page_at: Any, people: People) -> None:
    followed_youth(people.unit, lead=people.follower)
    page = _open(page_at, live_server, people.follower, "/", (390, 844))
    button = page.get_by_role("button", name="Meny")
    menu = page.get_by_role("navigation", name="Hovedmeny")

    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    header = page.locator(".laget-header").bounding_box()
    assert header["height"] <= 80
    _fits(page)
    assert axe_violations(page) == []
    _shot(page, "menu-closed-390")

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert menu.get_by_role("link", name="Logg kontakt").is_visible()
    for target in page.locator(".laget-header a:visible, .laget-header button:visible").all():
        assert target.bounding_box()["height"] >= 44, target.inner_text()
    assert axe_violations(page) == []
    _shot(page, "menu-open-390")

    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "main-menu"

    # From the keyboard: Enter on the button opens it, Tab goes into the links.
    page.keyboard.press("Enter")
    assert menu.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('nav') !== null")


def test_the_menu_is_open_on_a_wide_screen_and_shows_only_what_the_person_can_use(
    live_server: Any, page_at: Any, people: People
) -> None:
    pages = build_pages(people)
    page = _open(page_at, live_server, pages.caseworker, "/", (1920, 1080))
    menu = page.get_by_role("navigation", name="Hovedmeny")

    assert menu.is_visible()
    assert not page.get_by_role("button", name="Meny").is_visible()
    assert menu.get_by_role("link", name="Bekymringsmeldinger").is_visible()
    assert menu.get_by_role("link", name="Logg kontakt").count() == 0
    _fits(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_the_leaders_pages_fit_the_screen(
    live_server: Any, page_at: Any, people: People, size: tuple[int, int]
) -> None:
    followed_youth(people.unit, lead=people.follower, first_name="Sara", last_name="Berg")
    unit = f"/enheter/{people.unit.pk}/"
    for path in ("/", unit, f"{unit}logg/", "/ungdommer/", f"/ungdommer/?oppfolger={people.follower.pk}"):
        page = _open(page_at, live_server, people.leader, path, size)
        _fits(page)
        assert axe_violations(page) == [], path
        if path == "/":
            _shot(page, f"leader-home-{size[0]}")
            page.get_by_role("link", name="Alice Follower").click()
            page.wait_for_url("**oppfolger=*")
            assert "Sara Berg" in page.locator("main").inner_text()
        page.close()


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_the_not_found_page(live_server: Any, page_at: Any, people: People, size: tuple[int, int]) -> None:
    page = _open(page_at, live_server, people.follower, "/finnes-ikke/", size)

    assert page.locator("h1").inner_text() == "Fant ikke siden"
    assert page.locator(".laget-error__id").is_visible()
    _fits(page)
    assert axe_violations(page) == []
    _shot(page, f"404-{size[0]}")
