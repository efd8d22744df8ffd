"""The plan API (/api/v1/youths/<pk>/plan/…, issue 13, point 8): the same selectors, services
and policy as the plan pages. An outsider gets 404 everywhere; a team member whose service has
no consent sees no goal it may not see (counted as withheld) and finds none to change (404);
bad input is a 400 with field keys in the one error format; every read and write is audited,
and what is shown is logged as a disclosure on the API channel."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from cases.models import Guardianship, Youth
from consent import services as consent_services
from consent.models import Disclosure
from core.dates import today_in_oslo
from core.models import AuditEvent
from teams import services as team_services
from teams.models import ActionItem, Plan, PlanAcknowledgement, PlanArea, PlanGoal, PlanStep, PlanVersion, TeamMember
from teams.plans import services

from ...cases.helpers_records import api_client
from ...conftest import People
from ..factories_meetings import team_meeting, youth_with_team

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def area(code: str) -> PlanArea:
    return PlanArea.objects.get(code=code)


def in_days(days: int) -> datetime.date:
    return today_in_oslo() + datetime.timedelta(days=days)


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, first_name="Sunniva", last_name="Ødegård")


@pytest.fixture
def plan(people: People, youth: Youth) -> Plan:
    plan = services.plan_get_or_create(actor=people.follower, youth=youth)
    school = services.plan_goal_add(
        actor=people.follower,
        plan=plan,
        area=area("school"),
        in_own_words="Jeg vil klare å stå opp til første time",
        why_it_matters="Da slipper jeg å henge etter",
    )
    services.plan_goal_add(actor=people.follower, plan=plan, area=area("health"), in_own_words="Sove bedre")
    lead = TeamMember.objects.get(youth=youth, kind="staff", is_lead=True, ends_on__isnull=True)
    services.plan_step_add(
        actor=people.follower, goal=school, what="Vekkerklokke på andre siden av rommet", helper=lead, due_on=in_days(7)
    )
    plan.refresh_from_db()
    return plan


def _police_in_team(people: People, youth: Youth) -> None:
    """The police contact joins the team (sees the youth, may change the plan), with no consent."""
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )


def call(client: Client, method: str, url: str, body: Any = None) -> Any:
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def base(youth: Youth) -> str:
    return f"/api/v1/youths/{youth.pk}/plan/"


# --- Reading -----------------------------------------------------------------------------


def test_the_plan_as_the_follower_sees_it_audited_and_logged(people: People, youth: Youth, plan: Plan) -> None:
    response = api_client(people.follower).get(base(youth))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["plan"] == plan.pk
    assert data["version"] == 3
    assert data["may_change"] is True
    assert data["unacknowledged"] is True
    assert data["review_overdue"] is False
    assert [g["area"]["code"] for g in data["goals"]] == ["school", "health"]
    school = data["goals"][0]
    assert school["in_own_words"] == "Jeg vil klare å stå opp til første time"
    assert school["why_it_matters"] == "Da slipper jeg å henge etter"
    [step] = school["steps"]
    assert step["status"] == "open"
    assert step["action_item"] is not None
    assert step["helper_name"] == "Alice Follower"
    assert data["lead"]["name"] == "Alice Follower"
    assert data["acknowledgement"]["rule"] in ("under_15", "from_15", "adult")
    event = AuditEvent.objects.filter(action="plan.viewed", youth_id=youth.pk).latest("id")
    assert event.detail["channel"] == "api"
    assert Disclosure.objects.filter(youth=youth, user=people.follower, channel="api").exists()


def test_a_youth_without_a_plan_has_none_yet(people: People, youth: Youth) -> None:
    data = api_client(people.follower).get(base(youth)).json()
    assert data["plan"] is None
    assert data["goals"] == []
    assert data["acknowledgement"] is None


def test_a_member_without_consent_sees_no_goal_it_may_not_see(people: People, youth: Youth, plan: Plan) -> None:
    _police_in_team(people, youth)
    response = api_client(people.police).get(base(youth))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["goals"] == []
    text = response.content.decode()
    assert "Sove bedre" not in text
    assert "første time" not in text
    assert sum(w["count"] for w in data["withheld"]) >= 2
    assert all(m["kind"] != "guardian" for m in data["team"])  # no family information either
    # The diff of the versions leaves the withheld areas out too.
    diff = api_client(people.police).get(base(youth) + "versions/compare/?old=0&new=3").json()
    assert diff["changes"] == []
    assert diff["withheld"] == 3
    # A goal it may not see is not there for it, as on the page; nor is its life area a choice.
    health = PlanGoal.objects.get(plan=plan, area__code="health")
    response = call(api_client(people.police), "PATCH", base(youth) + f"goals/{health.pk}/", {"in_own_words": "X"})
    assert response.status_code == 404
    assert PlanGoal.objects.get(pk=health.pk).in_own_words == "Sove bedre"
    response = call(api_client(people.police), "POST", base(youth) + "goals/", {"area": "health", "in_own_words": "X"})
    assert response.status_code == 400
    assert "area" in response.json()["error"]["fields"]
    assert Plan.objects.get(pk=plan.pk).version == 3


def test_a_guardian_who_helps_is_named_only_with_family_information(people: People, youth: Youth, plan: Plan) -> None:
    school = PlanGoal.objects.get(plan=plan, area__code="school")
    guardian = TeamMember.objects.get(youth=youth, kind="guardian")
    services.plan_step_add(
        actor=people.follower, goal=school, what="Ringe skolen før klokka 8", helper=guardian, due_on=in_days(3)
    )
    _police_in_team(people, youth)
    consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Samarbeid med politiet om skolegang",
        categories=["identity_contact", "school"],
        units=[people.police_unit],
        form="oral",
        valid_from=today_in_oslo(),
        valid_to=in_days(180),
        youth_answer="given",
        guardian_answers={Guardianship.objects.get(youth=youth).guardian: "given"},
    )
    data = api_client(people.police).get(base(youth)).json()
    assert [g["area"]["code"] for g in data["goals"]] == ["school"]
    steps = {s["what"]: s for s in data["goals"][0]["steps"]}
    assert steps["Ringe skolen før klokka 8"]["helper_withheld"] is True
    assert steps["Ringe skolen før klokka 8"]["helper"] is None
    assert steps["Ringe skolen før klokka 8"]["helper_name"] == ""
    assert steps["Vekkerklokke på andre siden av rommet"]["helper_name"] == "Alice Follower"
    assert {w["category"] for w in data["withheld"]}


def test_an_outsider_gets_404_everywhere(people: People, youth: Youth, plan: Plan) -> None:
    client = api_client(people.outsider)
    goal = PlanGoal.objects.filter(plan=plan).first()
    step = PlanStep.objects.filter(goal__plan=plan).first()
    assert goal is not None
    assert step is not None
    for method, path, body in (
        ("GET", "", None),
        ("GET", "versions/", None),
        ("GET", "versions/compare/?old=0&new=1", None),
        ("POST", "goals/", {"area": "school", "in_own_words": "Noe"}),
        ("PATCH", f"goals/{goal.pk}/", {"in_own_words": "Noe"}),
        ("POST", f"goals/{goal.pk}/steps/", {"what": "Noe"}),
        ("PATCH", f"steps/{step.pk}/", {"what": "Noe"}),
        ("POST", f"steps/{step.pk}/status/", {"status": "in_progress"}),
        ("PUT", "review/", {"next_review_on": in_days(30).isoformat()}),
        ("POST", "acknowledgements/", {"version": 3, "party": "youth", "how": "meeting"}),
    ):
        response = call(client, method, base(youth) + path, body)
        assert response.status_code == 404, (method, path, response.content)
    assert PlanVersion.objects.filter(plan=plan).count() == 3


def test_a_goal_or_step_of_another_youth_is_404(people: People, youth: Youth, plan: Plan) -> None:
    other = youth_with_team(people.unit, lead=people.follower, first_name="Annen")
    goal = PlanGoal.objects.filter(plan=plan).first()
    assert goal is not None
    response = call(api_client(people.follower), "PATCH", base(other) + f"goals/{goal.pk}/", {"in_own_words": "X"})
    assert response.status_code == 404


def test_the_versions_newest_first_and_what_changed(people: People, youth: Youth, plan: Plan) -> None:
    client = api_client(people.follower)
    versions = client.get(base(youth) + "versions/").json()
    assert [v["number"] for v in versions] == [3, 2, 1]
    assert AuditEvent.objects.filter(action="plan.versions_viewed", youth_id=youth.pk).exists()
    diff = client.get(base(youth) + "versions/compare/?old=1&new=3").json()
    assert {(c["kind"], c["change"]) for c in diff["changes"]} == {("goal", "added"), ("step", "added")}
    assert client.get(base(youth) + "versions/compare/?old=1&new=9").status_code == 404
    response = client.get(base(youth) + "versions/compare/?old=x&new=3")
    assert response.status_code == 400
    assert "old" in response.json()["error"]["fields"]


# --- Writing -----------------------------------------------------------------------------


def test_goals_and_steps_are_written_through_the_services(people: People, youth: Youth) -> None:
    client = api_client(people.follower)
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    response = call(
        client,
        "POST",
        base(youth) + "goals/",
        {
            "area": "leisure",
            "in_own_words": "Jeg vil begynne på fotball igjen",
            "why_it_matters": "Da treffer jeg gutta",
            "meeting": meeting.pk,
        },
    )
    assert response.status_code == 201, response.content
    goal = PlanGoal.objects.get(pk=response.json()["id"])
    assert goal.area.code == "leisure"
    assert PlanVersion.objects.get(plan=goal.plan, number=1).meeting == meeting
    assert AuditEvent.objects.filter(action="plan.goal_added", youth_id=youth.pk).exists()

    response = call(client, "PATCH", base(youth) + f"goals/{goal.pk}/", {"status": "reached"})
    assert response.status_code == 200, response.content
    goal.refresh_from_db()
    assert (goal.status, goal.in_own_words) == ("reached", "Jeg vil begynne på fotball igjen")

    youth_member = TeamMember.objects.get(youth=youth, kind="youth")
    response = call(
        client,
        "POST",
        base(youth) + f"goals/{goal.pk}/steps/",
        {"what": "Spørre treneren om å få trene", "helper": youth_member.pk, "due_on": in_days(10).isoformat()},
    )
    assert response.status_code == 201, response.content
    step = PlanStep.objects.get(pk=response.json()["id"])
    assert step.action_item is not None
    assert step.action_item.from_plan
    assert step.action_item.owner_name == youth_member.name

    response = call(client, "PATCH", base(youth) + f"steps/{step.pk}/", {"due_on": in_days(12).isoformat()})
    assert response.status_code == 200, response.content
    assert ActionItem.objects.get(pk=step.action_item.pk).due_on == in_days(12)

    response = call(client, "POST", base(youth) + f"steps/{step.pk}/status/", {"status": "done"})
    assert response.status_code == 400
    assert "done_note" in response.json()["error"]["fields"]
    response = call(
        client, "POST", base(youth) + f"steps/{step.pk}/status/", {"status": "done", "done_note": "Fikk plass"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert ActionItem.objects.get(pk=step.action_item.pk).status == "done"  # one row: done on both
    assert AuditEvent.objects.filter(action="plan.step_status_changed", youth_id=youth.pk).exists()
    assert Plan.objects.get(youth=youth).version == 5


def test_bad_input_is_a_400_with_the_field(people: People, youth: Youth, plan: Plan) -> None:
    client = api_client(people.follower)
    goal = PlanGoal.objects.filter(plan=plan, area__code="school").get()
    cases = [
        ("POST", "goals/", {"area": "school", "in_own_words": ""}, "in_own_words"),
        ("POST", "goals/", {"area": "no-such-area", "in_own_words": "Noe"}, "area"),
        ("POST", "goals/", {"area": "school", "in_own_words": "x" * 1001}, "in_own_words"),
        ("POST", f"goals/{goal.pk}/steps/", {"what": ""}, "what"),
        ("POST", f"goals/{goal.pk}/steps/", {"what": "Noe", "helper": 2**40}, "helper"),
        ("POST", f"goals/{goal.pk}/steps/", {"what": "Noe", "due_on": "2091-01-01"}, "due_on"),
        ("POST", "goals/", {"area": "school", "in_own_words": "Noe", "meeting": 2**40}, "meeting"),
        ("PUT", "review/", {"next_review_on": (today_in_oslo() - datetime.timedelta(days=1)).isoformat()}, None),
        ("POST", "acknowledgements/", {"version": 2, "party": "youth", "how": "meeting"}, None),
        ("POST", "acknowledgements/", {"version": 3, "party": "youth", "how": "meeting"}, "meeting"),
        ("POST", "acknowledgements/", {"version": 3, "party": "guardian", "how": "meeting"}, "guardian"),
        ("POST", "acknowledgements/", {"version": 99, "party": "youth", "how": "meeting"}, "version"),
    ]
    for method, path, body, field in cases:
        response = call(client, method, base(youth) + path, body)
        assert response.status_code == 400, (path, body, response.content)
        error = response.json()["error"]
        assert error["code"] == "invalid"
        if field is not None:
            assert field in error["fields"], (path, body, error)
    review = call(client, "PUT", base(youth) + "review/", {"next_review_on": "2001-01-01"}).json()["error"]
    assert "next_review_on" in review["fields"]
    assert Plan.objects.get(pk=plan.pk).version == 3
    assert not PlanAcknowledgement.objects.exists()


def test_a_refused_first_goal_leaves_no_empty_plan(people: People, youth: Youth) -> None:
    response = call(api_client(people.follower), "POST", base(youth) + "goals/", {"area": "school", "in_own_words": ""})
    assert response.status_code == 400
    assert not Plan.objects.filter(youth=youth).exists()


def test_the_review_date_is_set(people: People, youth: Youth, plan: Plan) -> None:
    response = call(api_client(people.follower), "PUT", base(youth) + "review/", {"next_review_on": None})
    assert response.status_code == 200, response.content
    day = in_days(45)
    response = call(api_client(people.follower), "PUT", base(youth) + "review/", {"next_review_on": day.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["next_review_on"] == day.isoformat()
    assert Plan.objects.get(pk=plan.pk).next_review_on == day
    assert AuditEvent.objects.filter(action="plan.review_set", youth_id=youth.pk).count() == 2


def test_the_acknowledgements_on_screen_and_on_paper(people: People, youth: Youth, plan: Plan) -> None:
    client = api_client(people.follower)
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    guardian = Guardianship.objects.get(youth=youth).guardian
    response = call(
        client,
        "POST",
        base(youth) + "acknowledgements/",
        {"version": 3, "party": "guardian", "guardian": guardian.pk, "how": "meeting", "meeting": meeting.pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["how"] == "meeting"
    # The youth signs the paper: multipart, as the page uploads it.
    paper = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    response = client.post(
        base(youth) + "acknowledgements/", {"version": "3", "party": "youth", "how": "paper", "document": paper}
    )
    assert response.status_code == 201, response.content
    assert response.json()["has_document"] is True
    assert AuditEvent.objects.filter(action="plan.acknowledged", youth_id=youth.pk).count() == 2
    # A file that is not what it says is refused by content.
    other = youth_with_team(people.unit, lead=people.follower, first_name="Tore")
    services.plan_goal_add(
        actor=people.follower,
        plan=services.plan_get_or_create(actor=people.follower, youth=other),
        area=area("school"),
        in_own_words="Noe",
    )
    fake = SimpleUploadedFile("plan.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        f"/api/v1/youths/{other.pk}/plan/acknowledgements/",
        {"version": "1", "party": "youth", "how": "paper", "document": fake},
    )
    assert response.status_code == 400
    assert "document" in response.json()["error"]["fields"]
    data = client.get(base(youth)).json()
    assert len(data["acknowledgement"]["acknowledgements"]) == 2
