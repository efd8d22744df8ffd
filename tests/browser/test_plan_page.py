"""Min plan's page (issue 13) on a 390×844 phone: a goal and a step are written by clicking the
labels of their fields, as a person does; the page fits the screen and is axe-core clean
(serious and critical), the empty plan, the filled plan and the step's form alike."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from core.dates import today_in_oslo
from teams.models import PlanGoal, PlanStep

from ..conftest import People
from ..teams.factories_meetings import youth_with_team
from .conftest import axe_violations
from .test_contact_logging import _verified_session_cookie
from .test_phone_layout import _fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
