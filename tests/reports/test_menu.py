"""The main menu shows what each person's roles can use (reports.menu), decided in one place."""

from __future__ import annotations

import re
from typing import Any

import pytest

from reports.menu import menu_rights

from ..cases.factories import followed_youth
from ..conftest import People
from ..factories import StaffRoleFactory, TOTPDeviceFactory, UnitFactory
from ..referrals.concern_pages import build_pages

pytestmark = pytest.mark.django_db

CONTACT = "/ungdommer/kontakter/ny/"


def _menu(body: str) -> list[str]:
    nav = re.search(r'<nav class="laget-header__nav".*?</nav>', body, re.S)
    assert nav, "no main menu"
    return re.findall(r'href="([^"]+)"', nav.group(0))


def test_a_follower_with_youths_gets_log_contact(people: People, as_user: Any) -> None:
    followed_youth(people.unit, lead=people.follower)

    menu = _menu(as_user(people.follower).get("/").content.decode())

    assert any(CONTACT in href for href in menu)
    assert "/inntak/" in menu
    assert "/ungdommer/" in menu


@pytest.mark.parametrize("who", ["caseworker", "school_contact"])
def test_caseworkers_and_school_contacts_do_not_get_log_contact(people: People, as_user: Any, who: str) -> None:
    pages = build_pages(people)

    menu = _menu(as_user(getattr(pages, who)).get("/").content.decode())

    assert not any(CONTACT in href for href in menu)
    assert "/meldinger/" in menu


def test_the_police_contact_does_not_get_log_contact(people: People, as_user: Any) -> None:
    menu = _menu(as_user(people.police).get("/").content.decode())

    assert not any(CONTACT in href for href in menu)


def test_someone_without_a_case_work_role_sees_home_only(people: People, as_user: Any) -> None:
    admin_only = StaffRoleFactory(unit=UnitFactory(), role="administrator").user
    TOTPDeviceFactory(user=admin_only)

    menu = _menu(as_user(admin_only).get("/").content.decode())

    assert menu == ["/"]


def test_the_menu_asks_the_same_rules_as_the_pages(people: People, as_user: Any) -> None:
    """Every page the menu offers opens for that person (no «not for you» pages)."""
    followed_youth(people.unit, lead=people.follower)
    pages = build_pages(people)
    for person in (people.follower, people.leader, people.police, pages.caseworker, pages.school_contact):
        client = as_user(person)
        for href in _menu(client.get("/").content.decode()):
            response = client.get(href, follow=True)
            assert response.status_code == 200, (person, href)
        client.logout()


def test_the_menu_costs_one_query(people: People, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        rights = menu_rights(user=people.follower)
    assert rights.case_work
    assert not rights.admin


def test_the_current_page_is_marked(people: People, as_user: Any) -> None:
    body = as_user(people.follower).get("/moter/").content.decode()

    assert re.search(r'<a class="pkt-link" href="/moter/" aria-current="page">', body)
