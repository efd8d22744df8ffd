"""A coordinator runs an intake meeting from a projector (1920×1080) with the keyboard alone:
the first candidate (an anonymous case, by alias) goes to «awaiting consent» with the key 5,
the second (a named youth) is taken in with 1, F and the arrow keys to pick the follower, and
Enter; the summary follows the last candidate and drafts the minutes. Every screen is
axe-core clean, and the anonymous candidate's name is never on the screen, nor the name of a
named youth whose consent does not reach every service in the room."""

from __future__ import annotations

from typing import Any

import pytest

from consent.models import DiscussionCase
from referrals.models import IntakeCandidate, IntakeDecision, Outcome
from teams.models import MinutesRevision

from ..conftest import People
from ..referrals.helpers import anonymous_case, build_world, candidate, consent_for, named_youth
from .conftest import axe_violations
from .test_contact_logging import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_intake_meeting_is_run_with_the_keyboard_alone(live_server: Any, page_at: Any, people: People) -> None:
    world = build_world(people)
    case = anonymous_case(world, alias="Gutt A")
    anonymous = candidate(world, discussion=case)
    named = candidate(world, youth=named_youth(world, first_name="Sara", last_name="Berg"))
    assert list(IntakeCandidate.objects.order_by("-urgency", "created_at", "id")) == [anonymous, named]
    assert case.state == DiscussionCase.State.OPEN
    path = f"/inntak/mote/{world.intake.pk}/"

    page = page_at(1920, 1080)
    _sign_in(page, live_server.url, world.coordinator, path)

    # Candidate 1: the anonymous case, by its alias.
    assert page.locator("h1").inner_text() == "Gutt A"
    page.wait_for_function("() => document.getElementById('intake-live').textContent.includes('Gutt A')")
    assert axe_violations(page) == []
    page.keyboard.press("5")
    assert page.locator("input[data-intake-key='5']").is_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "kandidat=2" in page.url

    # Candidate 2: the named youth, taken in with the follower chosen from the keyboard.
    assert page.locator("h1").inner_text() == "Sara Berg"
    assert "Alice Follower" in page.locator(".intake-load").inner_text()
    page.keyboard.press("1")
    page.keyboard.press("f")
    assert page.evaluate("document.activeElement.name") == "follower"
    page.keyboard.press("ArrowDown")
    assert page.locator("select[name='follower']").input_value() == str(people.follower.pk)
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The summary, and back with the arrow key, and the minutes drafted from it.
    assert "kandidat=3" in page.url
    assert axe_violations(page) == []
    summary = page.locator("main").inner_text()
    assert "Gutt A" in summary
    assert "Sara Berg" in summary
    with page.expect_navigation():
        page.keyboard.press("ArrowLeft")
    assert "kandidat=2" in page.url
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    assert "kandidat=3" in page.url

    button = page.locator("form[action$='/referat/'] button")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(
            "document.activeElement.closest('form') !== null && document.activeElement.tagName === 'BUTTON'"
        ):
            break
    assert button.evaluate("b => b === document.activeElement")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    decisions = {d.candidate_id: d for d in IntakeDecision.objects.filter(meeting=world.intake)}
    assert decisions[anonymous.pk].outcome == Outcome.AWAITING_CONSENT
    assert decisions[named.pk].outcome == Outcome.TAKEN_IN
    assert decisions[named.pk].follower == people.follower
    revision = MinutesRevision.objects.get(minutes__meeting=world.intake)
    assert "Gutt A" in revision.sections["candidates"]


def test_escape_leaves_intake_mode(live_server: Any, page_at: Any, people: People) -> None:
    world = build_world(people)
    candidate(world, youth=named_youth(world))
    path = f"/inntak/mote/{world.intake.pk}/"
    page = page_at(1920, 1080)
    _sign_in(page, live_server.url, world.coordinator, path)

    with page.expect_navigation():
        page.keyboard.press("Escape")

    assert page.url.endswith(f"/inntak/?bydel={world.district.pk}")
    assert axe_violations(page) == []


def test_a_named_youth_whose_consent_leaves_out_the_police_in_the_room_is_not_named(
    live_server: Any, page_at: Any, people: People
) -> None:
    world = build_world(people)
    youth = named_youth(world, consent=False, first_name="Sara", last_name="Berg")
    consent_for(world, youth, units=[people.unit, world.barnevern])
    candidate(world, youth=youth)
    page = page_at(1920, 1080)
    _sign_in(page, live_server.url, world.coordinator, f"/inntak/mote/{world.intake.pk}/")

    assert page.locator("h1").inner_text() in ("En navngitt ungdom", "A named youth")
    text = page.locator("body").inner_text()
    assert "Sara" not in text
    assert "Berg" not in text
    assert page.locator(".intake-withheld").is_visible()
    announced = page.locator("#intake-live").get_attribute("data-announce") or ""
    assert "1" in announced
    assert "Sara" not in announced
    assert axe_violations(page) == []
