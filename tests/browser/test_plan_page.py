"""Min plan's page (issue 13) on a 390×844 phone: a goal and a step are written by clicking the
labels of their fields, as a person does; the page fits the screen and is axe-core clean
(serious and critical), the empty plan, the filled plan and the step's form alike."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest

from core.dates import today_in_oslo
from teams.models import PlanGoal, PlanStep

from ..conftest import People
from ..teams.factories_meetings import youth_with_team
from .conftest import axe_violations
from .test_contact_logging import _verified_session_cookie
from .test_phone_layout import _fits, _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _life_areas() -> None:
    """The life areas are seeded by a data migration (teams 0009), which a transactional test
    before this one has flushed: seed them again, the same way."""
    from django.apps import apps

    importlib.import_module("teams.migrations.0009_plan_areas").seed(apps, None)


def test_a_goal_and_a_step_are_written_on_the_plan_page_on_a_phone(
    live_server: Any, page_at: Any, people: People
) -> None:
    youth = youth_with_team(people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø")
    page = page_at(390, 844)
    page.context.add_cookies([_verified_session_cookie(people.follower, live_server.url)])
    page.goto(f"{live_server.url}/ungdommer/{youth.pk}/plan/")
    assert page.get_by_role("heading", level=1).inner_text() == "Min plan – Søren Øvrebø"
    _fits(page)
    assert axe_violations(page) == []

    # The goal: each field reached by clicking its label.
    page.locator("label[for=id_area]").click()
    assert page.evaluate("document.activeElement.id") == "id_area"
    page.select_option("#id_area", label="Skole")
    page.locator("label[for=id_in_own_words]").click()
    page.keyboard.type("Jeg vil bestå matte")
    page.locator("label[for=id_why_it_matters]").click()
    page.keyboard.type("Så jeg kommer inn på elektro")
    page.get_by_role("button", name="Legg til målet").click()
    page.wait_for_url(f"**/ungdommer/{youth.pk}/plan/*")
    assert page.get_by_text("«Jeg vil bestå matte»").is_visible()
    goal = PlanGoal.objects.get(plan__youth=youth)
    assert goal.why_it_matters == "Så jeg kommer inn på elektro"

    # The step, with a helper and a date: an action item too.
    page.get_by_role("link", name="Legg til et steg").first.click()
    page.wait_for_url(f"**/plan/mal/{goal.pk}/steg/ny/")
    _fits(page)
    assert axe_violations(page) == []
    page.locator("label[for=id_what]").click()
    page.keyboard.type("Leksehjelp på tirsdager")
    page.locator("label[for=id_helper]").click()
    assert page.evaluate("document.activeElement.id") == "id_helper"
    page.select_option("#id_helper", index=1)
    page.locator("label[for=id_due_on]").click()
    assert page.evaluate("document.activeElement.id") == "id_due_on"
    page.fill("#id_due_on", (today_in_oslo() + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Legg til steget").click()
    page.wait_for_url(f"**/ungdommer/{youth.pk}/plan/*")
    assert page.get_by_text("Leksehjelp på tirsdager", exact=True).is_visible()
    step = PlanStep.objects.get(goal=goal)
    assert step.action_item_id is not None
    assert page.get_by_text("Endring ikke bekreftet").first.is_visible()
    _fits(page)
    assert axe_violations(page) == []
    _shot(page, "plan-390")


def test_the_plan_its_diff_and_the_meeting_beside_it_on_a_large_screen(
    live_server: Any, page_at: Any, people: People
) -> None:
    from teams.models import PlanArea, TeamMember
    from teams.plans import services

    from ..teams.factories_meetings import team_meeting

    youth = youth_with_team(people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø")
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    plan = services.plan_get_or_create(actor=people.follower, youth=youth)
    lead = TeamMember.objects.get(youth=youth, is_lead=True)
    goal = services.plan_goal_add(
        actor=people.follower, plan=plan, area=PlanArea.objects.get(code="school"), in_own_words="Møte opp"
    )
    services.plan_step_add(
        actor=people.follower,
        goal=goal,
        what="Vekkerklokke",
        helper=lead,
        due_on=today_in_oslo() + datetime.timedelta(days=7),
        meeting=meeting,
    )
    services.plan_goal_change(actor=people.follower, goal=goal, in_own_words="Møte opp hver dag", meeting=meeting)
    page = page_at(1920, 1080)
    page.context.add_cookies([_verified_session_cookie(people.follower, live_server.url)])
    for path in (
        f"/ungdommer/{youth.pk}/plan/",
        f"/ungdommer/{youth.pk}/plan/versjoner/",
        f"/ungdommer/{youth.pk}/plan/versjoner/sammenlign/?fra=1&til=3",
        f"/ungdommer/{youth.pk}/plan/bekreft/?meeting={meeting.pk}",
        f"/moter/{meeting.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        _fits(page)
        assert axe_violations(page) == [], path
        _shot(page, "plan-1920-" + path.strip("/").replace("/", "-").replace("?", "-"))
    assert page.get_by_role("heading", name="Gjennomgang av Min plan").is_visible()
    assert page.locator("#plan").get_by_text("Vekkerklokke", exact=True).is_visible()
