"""Plan mode (issue 13, point 5) on a 1920×1080 shared screen, with the keyboard alone: from the
meeting page by Tab and Enter on «Planmodus», between life areas with the arrow keys, N/P and
the number keys, the youth's words corrected by Tab to «Rett ordene», Enter, typing and Enter,
and Esc back to the meeting. Every screen is axe-core clean (serious and critical), the focus
is visible, and an area one person present may not see is hidden from the whole room."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Guardianship
from consent import services as consent_services
from teams import services as team_services
from teams.models import PlanArea, PlanGoal, PlanVersion, TeamMember
from teams.plans import services

from ..conftest import People
from ..teams.factories_meetings import team_meeting, youth_with_team
from .conftest import axe_violations
from .test_contact_logging import _verified_session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(db: None) -> None:
    """The life areas are seeded by a data migration (teams 0009); a transactional test's
    flush takes them away after the first test, so each test puts them back."""
    for code, name, category, order in importlib.import_module("teams.migrations.0009_plan_areas").AREAS:
        PlanArea.objects.update_or_create(code=code, defaults={"name": name, "category": category, "order": order})


def _plan(people: People) -> Any:
    youth = youth_with_team(people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø")
    plan = services.plan_get_or_create(actor=people.follower, youth=youth)
    for code, words in (
        ("school", "Jeg vil bestå matte på Økern"),
        ("leisure", "Begynne på fotball i Årvoll IL"),
        ("health", "Sove bedre før skoledager"),
    ):
        goal = services.plan_goal_add(
            actor=people.follower, plan=plan, area=PlanArea.objects.get(code=code), in_own_words=words
        )
        services.plan_step_add(actor=people.follower, goal=goal, what=f"Første steg: {words.lower()}")
    return youth


def _tab_to(page: Any, script: str, limit: int = 80) -> None:
    """Press Tab until `script` (about document.activeElement) is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({script}); }}"):
            return
    raise AssertionError(f"Tab never reached: {script}")


def _focus_is_visible(page: Any) -> bool:
    return bool(
        page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
        )
    )


def test_a_plan_meeting_is_run_and_a_goal_corrected_with_the_keyboard_alone(
    live_server: Any, page_at: Any, people: People
) -> None:
    youth = _plan(people)
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    page = page_at(1920, 1080)
    page.context.add_cookies([_verified_session_cookie(people.follower, live_server.url)])
    page.goto(f"{live_server.url}/moter/{meeting.pk}/")

    # From the meeting page: Tab to «Planmodus», Enter.
    _tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Planmodus'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/ungdommer/{youth.pk}/plan/mote/{meeting.pk}/")
    assert page.locator("h1").inner_text() == "Skole"
    assert "«Jeg vil bestå matte på Økern»" in page.locator("main").inner_text()
    page.wait_for_function("() => document.getElementById('plan-live').textContent.includes('Skole')")
    assert axe_violations(page) == []

    # Between the areas: → and N forward, ← and P back, a number straight to an area.
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    assert page.locator("h1").inner_text() == "Fritid"
    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.locator("h1").inner_text() == "Helse"
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.keyboard.press("p")
    with page.expect_navigation():
        page.keyboard.press("ArrowLeft")
    assert page.locator("h1").inner_text() == "Skole"
    with page.expect_navigation():
        page.keyboard.press("2")
    assert page.locator("h1").inner_text() == "Fritid"
    assert page.locator(".plan-areas__link[aria-current='page']").inner_text().endswith("Fritid")

    # The youth corrects the goal's words: Tab to «Rett ordene», Enter, Tab to the field, type, Enter.
    _tab_to(page, "el.tagName === 'SUMMARY'")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name").endswith("in_own_words")
    assert _focus_is_visible(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("Spille fotball i Årvoll IL to ganger i uka")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Fritid"
    assert "«Spille fotball i Årvoll IL to ganger i uka»" in page.locator("main").inner_text()
    assert "Lagret" in page.locator(".laget-messages").inner_text()
    assert axe_violations(page) == []
    goal = PlanGoal.objects.get(plan__youth=youth, area__code="leisure")
    assert goal.in_own_words == "Spille fotball i Årvoll IL to ganger i uka"
    assert PlanVersion.objects.filter(plan__youth=youth).latest("number").meeting == meeting

    # Esc: back to the meeting page.
    with page.expect_navigation():
        page.keyboard.press("Escape")
    assert page.url.endswith(f"/moter/{meeting.pk}/")


def test_an_area_one_person_present_may_not_see_is_hidden_from_the_room(
    live_server: Any, page_at: Any, people: People
) -> None:
    youth = _plan(people)
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )
    today = timezone.localdate()
    consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Samarbeid om skolegang",
        categories=["identity_contact", "school"],
        units=[people.police_unit],
        form="oral",
        valid_from=today - datetime.timedelta(days=1),
        valid_to=today + datetime.timedelta(days=90),
        youth_answer="given",
        guardian_answers={g.guardian: "given" for g in Guardianship.objects.filter(youth=youth)},
    )
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    page = page_at(1920, 1080)
    page.context.add_cookies([_verified_session_cookie(people.follower, live_server.url)])
    page.goto(f"{live_server.url}/ungdommer/{youth.pk}/plan/mote/{meeting.pk}/")

    areas = page.locator(".plan-areas__link").all_inner_texts()
    assert [a.split(maxsplit=1)[1] for a in areas] == ["Skole", "Fritid"]
    assert "Sove bedre" not in page.locator("body").inner_text()
    assert "Helse" in page.locator(".intake-withheld").inner_text()
    assert axe_violations(page) == []
