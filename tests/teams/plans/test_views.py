"""The plan's pages (issue 13): outsiders get 404 on every page, a person who sees the youth but
may not change the plan gets 403 on every form, each form writes through the services with
labels that name its fields, a refused change keeps what was typed with the Norwegian message on
the field, the diff page says what changed, the acknowledgement offers the parties the age
rules ask, the youth's and the meeting's pages show the plan, and the plan page's queries do
not grow with the plan."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from guardian.shortcuts import assign_perm

from cases.models import Guardianship, OutcomeMeasure, Youth
from core.dates import birthday, today_in_oslo
from core.models import AuditEvent
from teams import services as team_services
from teams.models import Plan, PlanAcknowledgement, PlanArea, PlanGoal, PlanStep, PlanVersion, TeamMember
from teams.plans import selectors, services
from teams.plans.forms import StepForm

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


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø")


@pytest.fixture
def plan(people: People, youth: Youth) -> Plan:
    return services.plan_get_or_create(actor=people.follower, youth=youth)


@pytest.fixture
def goal(people: People, plan: Plan) -> PlanGoal:
    return services.plan_goal_add(
        actor=people.follower,
        plan=plan,
        area=area("school"),
        in_own_words="Jeg vil bestå matte",
        why_it_matters="Så jeg kommer inn på elektro",
    )


@pytest.fixture
def step(people: People, goal: PlanGoal) -> PlanStep:
    return services.plan_step_add(actor=people.follower, goal=goal, what="Leksehjelp på tirsdager")


def in_days(days: int) -> datetime.date:
    return today_in_oslo() + datetime.timedelta(days=days)


def _pages(youth: Youth, goal: PlanGoal, step: PlanStep) -> list[str]:
    base = f"/ungdommer/{youth.pk}/plan/"
    return [
        base,
        f"{base}versjoner/",
        f"{base}versjoner/sammenlign/?fra=0&til=1",
        f"{base}mal/ny/",
        f"{base}mal/{goal.pk}/",
        f"{base}mal/{goal.pk}/steg/ny/",
        f"{base}steg/{step.pk}/",
        f"{base}steg/{step.pk}/status/",
        f"{base}gjennomgang/",
        f"{base}bekreft/",
    ]


WRITES = 4  # _pages from this index on are the forms


def test_an_outsider_gets_404_on_every_page_of_the_plan(
    as_user, people: People, youth: Youth, goal: PlanGoal, step: PlanStep
) -> None:
    client = as_user(people.outsider)
    for url in _pages(youth, goal, step):
        assert client.get(url).status_code == 404, url
    for url in _pages(youth, goal, step)[WRITES - 1 :]:
        assert client.post(url, {"what": "x", "in_own_words": "x"}).status_code == 404, url
    assert client.get("/ungdommer/999999/plan/").status_code == 404
    assert PlanVersion.objects.filter(plan__youth=youth).count() == 2


def test_someone_who_sees_the_youth_but_may_not_change_the_plan_reads_it_and_gets_403_on_forms(
    as_user, people: People, youth: Youth, goal: PlanGoal, step: PlanStep
) -> None:
    assign_perm("cases.view_youth", people.police, youth)
    client = as_user(people.police)
    page = client.get(f"/ungdommer/{youth.pk}/plan/")
    assert page.status_code == 200
    assert page.context["may_change"] is False
    assert "goal_form" not in page.context
    assert b"/plan/mal/ny/" not in page.content
    for url in _pages(youth, goal, step)[WRITES - 1 :]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"what": "x", "in_own_words": "x", "area": goal.area_id}).status_code == 403, url
    assert PlanVersion.objects.filter(plan__youth=youth).count() == 2


def _label_for(content: str, name: str) -> str:
    """The label text of the field `name` (its <label for=id_name>), so a test fills a form the
    way a person reads it."""
    match = re.search(rf'<label[^>]*for="id_{name}"[^>]*>(.*?)</label>', content, re.S)
    assert match, f"no label for {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_a_goal_is_added_and_changed_through_the_forms(as_user, people: People, youth: Youth) -> None:
    client = as_user(people.follower)
    page = client.get(f"/ungdommer/{youth.pk}/plan/").content.decode()
    assert _label_for(page, "area") == "Livsområde (påkrevd)"
    assert _label_for(page, "in_own_words").startswith("Målet, med ungdommens egne ord")
    response = client.post(
        f"/ungdommer/{youth.pk}/plan/mal/ny/",
        {"area": area("leisure").pk, "in_own_words": "Begynne på fotball", "why_it_matters": "Venner"},
    )
    goal = PlanGoal.objects.get(plan__youth=youth)
    assert response.status_code == 302
    assert response["Location"] == f"/ungdommer/{youth.pk}/plan/#goal-{goal.pk}"
    assert goal.in_own_words == "Begynne på fotball"
    response = client.post(
        f"/ungdommer/{youth.pk}/plan/mal/{goal.pk}/",
        {"area": area("leisure").pk, "in_own_words": "Spille fotball", "why_it_matters": "Venner", "status": "reached"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.in_own_words, goal.status) == ("Spille fotball", "reached")
    assert Plan.objects.get(youth=youth).version == 2
    assert AuditEvent.objects.filter(action="plan.goal_added", youth_id=youth.pk).count() == 1
    assert AuditEvent.objects.filter(action="plan.goal_changed", youth_id=youth.pk).count() == 1


def test_a_refused_goal_keeps_what_was_typed_with_the_norwegian_message(as_user, people: People, youth: Youth) -> None:
    client = as_user(people.follower)
    with translation.override("nb"):
        response = client.post(
            f"/ungdommer/{youth.pk}/plan/mal/ny/",
            {"area": area("school").pk, "in_own_words": "   ", "why_it_matters": "Fordi jeg vil"},
            HTTP_ACCEPT_LANGUAGE="nb",
        )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Fordi jeg vil" in content
    assert 'aria-invalid="true"' in content
    assert "data-error-summary" in content
    assert not PlanGoal.objects.filter(plan__youth=youth).exists()


def test_a_service_refusal_lands_on_its_field(as_user, people: People, youth: Youth, goal: PlanGoal) -> None:
    client = as_user(people.follower)
    response = client.post(f"/ungdommer/{youth.pk}/plan/gjennomgang/", {"next_review_on": in_days(-3).isoformat()})
    assert response.status_code == 400
    assert response.context["form"].errors["next_review_on"] == ["Neste gjennomgang kan ikke være tilbake i tid."]
    assert in_days(-3).isoformat() in response.content.decode()


def test_the_next_review_is_set_from_a_meeting_and_the_page_goes_back_to_it(
    as_user, people: People, youth: Youth, plan: Plan
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    client = as_user(people.follower)
    page = client.get(f"/ungdommer/{youth.pk}/plan/gjennomgang/?meeting={meeting.pk}").content.decode()
    assert _label_for(page, "next_review_on") == "Neste gjennomgang"
    assert f'name="from_meeting" value="{meeting.pk}"' in page
    response = client.post(
        f"/ungdommer/{youth.pk}/plan/gjennomgang/",
        {"next_review_on": in_days(40).isoformat(), "from_meeting": meeting.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/moter/{meeting.pk}/#plan"
    assert Plan.objects.get(pk=plan.pk).next_review_on == in_days(40)
    event = AuditEvent.objects.get(action="plan.review_set", youth_id=youth.pk)
    assert event.detail["meeting"] == meeting.pk


def test_a_step_with_a_helper_and_a_date_is_added_as_an_action_item_and_moved_on(
    as_user, people: People, youth: Youth, goal: PlanGoal
) -> None:
    client = as_user(people.follower)
    lead = TeamMember.objects.get(youth=youth, is_lead=True)
    page = client.get(f"/ungdommer/{youth.pk}/plan/mal/{goal.pk}/steg/ny/").content.decode()
    assert _label_for(page, "what") == "Hva som skal gjøres (påkrevd)"
    assert _label_for(page, "helper") == "Hvem hjelper"
    assert _label_for(page, "due_on") == "Innen"
    response = client.post(
        f"/ungdommer/{youth.pk}/plan/mal/{goal.pk}/steg/ny/",
        {"what": "Møte rådgiver", "helper": lead.pk, "due_on": in_days(7).isoformat()},
    )
    assert response.status_code == 302
    step = PlanStep.objects.select_related("action_item").get(goal=goal)
    assert step.action_item is not None
    assert step.action_item.owner == people.follower
    # Done needs a note of what was done: refused, the note field marked.
    response = client.post(f"/ungdommer/{youth.pk}/plan/steg/{step.pk}/status/", {"status": "done"})
    assert response.status_code == 400
    assert "done_note" in response.context["form"].errors
    response = client.post(
        f"/ungdommer/{youth.pk}/plan/steg/{step.pk}/status/", {"status": "done", "done_note": "Vi møttes"}
    )
    assert response.status_code == 302
    step.action_item.refresh_from_db()
    assert step.action_item.status == "done"
    page = client.get(f"/ungdommer/{youth.pk}/plan/").content.decode()
    assert "Oppgave" in page
    assert "Møte rådgiver" in page


def test_a_step_is_changed_through_its_form(as_user, people: People, youth: Youth, step: PlanStep) -> None:
    client = as_user(people.follower)
    form = client.get(f"/ungdommer/{youth.pk}/plan/steg/{step.pk}/")
    assert 'value="Leksehjelp på tirsdager"' in form.content.decode()
    read = AuditEvent.objects.get(action="plan.viewed", youth_id=youth.pk)  # the form's read, audited
    assert read.detail["step"] == step.pk
    response = client.post(f"/ungdommer/{youth.pk}/plan/steg/{step.pk}/", {"what": "Leksehjelp på onsdager"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.what == "Leksehjelp på onsdager"
    assert AuditEvent.objects.filter(action="plan.step_changed", youth_id=youth.pk).exists()


def test_the_plan_page_shows_goals_by_area_the_team_the_review_and_the_unacknowledged_change(
    as_user, people: People, youth: Youth, goal: PlanGoal, step: PlanStep, plan: Plan
) -> None:
    Plan.objects.filter(pk=plan.pk).update(next_review_on=in_days(-1))
    client = as_user(people.follower)
    response = client.get(f"/ungdommer/{youth.pk}/plan/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Jeg vil bestå matte" in content
    assert "Så jeg kommer inn på elektro" in content
    assert "Leksehjelp på tirsdager" in content
    assert "Alice Follower" in content
    assert "Hovedansvar" in content
    assert "laget-overdue" in content
    assert "Endring ikke bekreftet" in content
    assert "Åse Øvrebø" in content  # the guardian not yet acknowledged
    assert "Lesbarhetsindeks (LIX)" in content
    assert AuditEvent.objects.filter(action="plan.viewed", youth_id=youth.pk).count() == 1


def test_the_outcome_measures_are_shown_beside_the_goals_they_tell_about(
    as_user, people: People, youth: Youth, goal: PlanGoal
) -> None:
    followup = youth.followups.get()
    for days, attendance in ((60, 40), (1, 85)):
        OutcomeMeasure.objects.create(
            followup=followup,
            measured_on=in_days(-days),
            phase="start" if days == 60 else "quarterly",
            school_attendance=attendance,
            substance_use="none",
            occupation="school",
            recorded_by=people.follower,
        )
    response = as_user(people.follower).get(f"/ungdommer/{youth.pk}/plan/")
    [school] = response.context["areas"]
    assert school.progress is not None
    assert [v for _, v in school.progress.values] == ["40 %", "85 %"]
    assert "40 %" in response.content.decode()


def test_a_withheld_area_is_stated_without_its_content(
    as_user, people: People, youth: Youth, plan: Plan, goal: PlanGoal
) -> None:
    health = services.plan_goal_add(actor=people.follower, plan=plan, area=area("health"), in_own_words="Sove bedre")
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )
    client = as_user(people.police)  # in the team, with no consent for the police
    response = client.get(f"/ungdommer/{youth.pk}/plan/")
    content = response.content.decode()
    assert "Sove bedre" not in content
    assert "Jeg vil bestå matte" not in content
    assert "1 mål innen helse er skjult for deg." in content
    # Who must acknowledge, without the guardian's name (family information).
    assert "Åse" not in content
    assert "Venter på: ungdommen og 1 foresatt" in content
    # Nor through the form of a goal in the area: 404, as if it did not exist.
    assert client.get(f"/ungdommer/{youth.pk}/plan/mal/{health.pk}/").status_code == 404


def test_the_diff_page_shows_what_was_added_changed_and_removed(
    as_user, people: People, youth: Youth, goal: PlanGoal, step: PlanStep
) -> None:
    services.plan_goal_change(
        actor=people.follower, goal=goal, in_own_words="Jeg vil få 4 i matte", why_it_matters="Elektro"
    )
    client = as_user(people.follower)
    versions = client.get(f"/ungdommer/{youth.pk}/plan/versjoner/")
    assert versions.status_code == 200
    assert [v.number for v in versions.context["versions"]] == [3, 2, 1]
    response = client.get(f"/ungdommer/{youth.pk}/plan/versjoner/sammenlign/?fra=1&til=3")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hva som er endret fra versjon 1 til 3" in content
    assert "Steg lagt til" in content
    assert "Leksehjelp på tirsdager" in content
    assert "Mål endret" in content
    assert "Jeg vil bestå matte" in content  # before
    assert "Jeg vil få 4 i matte" in content  # after
    assert AuditEvent.objects.filter(action="plan.versions_compared", youth_id=youth.pk).exists()
    assert client.get(f"/ungdommer/{youth.pk}/plan/versjoner/sammenlign/?fra=1&til=9").status_code == 404
    assert client.get(f"/ungdommer/{youth.pk}/plan/versjoner/sammenlign/").status_code == 400


def _youth_aged(people: People, years: int) -> Youth:
    born = birthday(today_in_oslo() - datetime.timedelta(days=100), -years)
    return youth_with_team(people.unit, lead=people.follower, birth_date=born)


def _who_choices(as_user, people: People, youth: Youth) -> list[str]:
    plan = services.plan_get_or_create(actor=people.follower, youth=youth)
    services.plan_goal_add(actor=people.follower, plan=plan, area=area("school"), in_own_words="Møte opp")
    response = as_user(people.follower).get(f"/ungdommer/{youth.pk}/plan/bekreft/")
    assert response.status_code == 200
    return [value for value, _ in response.context["form"].fields["who"].choices]


@pytest.mark.parametrize(
    ("years", "youth_asked", "guardians_asked"), [(14, False, True), (16, True, True), (19, True, False)]
)
def test_the_acknowledgement_offers_the_parties_the_age_rules_ask(
    as_user, people: People, years: int, youth_asked: bool, guardians_asked: bool
) -> None:
    youth = _youth_aged(people, years)
    guardian = Guardianship.objects.get(youth=youth).guardian
    choices = _who_choices(as_user, people, youth)
    assert ("youth" in choices) is youth_asked
    assert (f"guardian-{guardian.pk}" in choices) is guardians_asked


def test_an_acknowledgement_is_recorded_on_screen_in_a_meeting_and_on_paper(
    as_user, people: People, youth: Youth, goal: PlanGoal
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    guardian = Guardianship.objects.get(youth=youth).guardian
    client = as_user(people.follower)
    url = f"/ungdommer/{youth.pk}/plan/bekreft/"
    # On screen needs the meeting: refused on the field, the choice kept.
    response = client.post(url, {"who": "youth", "how": "meeting"})
    assert response.status_code == 400
    assert "meeting" in response.context["form"].errors
    response = client.post(url, {"who": "youth", "how": "meeting", "meeting": meeting.pk})
    assert response.status_code == 302
    response = client.post(
        f"{url}?meeting={meeting.pk}",
        {
            "who": f"guardian-{guardian.pk}",
            "how": "paper",
            "document": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
            "from_meeting": meeting.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/moter/{meeting.pk}/#plan"
    acks = PlanAcknowledgement.objects.filter(version__plan__youth=youth).order_by("id")
    assert [(a.party, a.how) for a in acks] == [("youth", "meeting"), ("guardian", "paper")]
    assert AuditEvent.objects.filter(action="plan.acknowledged", youth_id=youth.pk).count() == 2
    page = client.get(f"/ungdommer/{youth.pk}/plan/").content.decode()
    assert "Endring ikke bekreftet" not in page


def test_the_youth_page_links_to_the_plan_with_its_review_and_marker(
    as_user, people: People, youth: Youth, goal: PlanGoal
) -> None:
    response = as_user(people.follower).get(f"/ungdommer/{youth.pk}/")
    content = response.content.decode()
    assert f'href="/ungdommer/{youth.pk}/plan/"' in content
    assert "Endring ikke bekreftet" in content
    assert response.context["plan_block"].next_review_on is not None


def test_the_team_meeting_page_shows_the_plan_beside_the_minutes_and_changes_it_from_the_meeting(
    as_user, people: People, youth: Youth, goal: PlanGoal
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    client = as_user(people.follower)
    page = client.get(f"/moter/{meeting.pk}/")
    content = page.content.decode()
    assert page.context["plan"]["shown"].goals[0].goal == goal
    assert "Gjennomgang av Min plan" in content
    assert f"/ungdommer/{youth.pk}/plan/mal/{goal.pk}/steg/ny/?meeting={meeting.pk}" in content
    response = client.post(
        f"/ungdommer/{youth.pk}/plan/mal/{goal.pk}/steg/ny/?meeting={meeting.pk}",
        {"what": "Snakke med læreren", "from_meeting": meeting.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/moter/{meeting.pk}/#plan"
    version = PlanVersion.objects.get(plan__youth=youth, number=2)
    assert version.meeting == meeting


def test_a_team_meeting_has_the_plan_review_on_its_minutes_template() -> None:
    from teams.meetings.minutes_template import headings_for

    assert "plan_review" in [h.key for h in headings_for("team")]


def _plan_queries(client, youth: Youth) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/ungdommer/{youth.pk}/plan/").status_code == 200
    return len(queries)


def test_the_plan_page_makes_the_same_queries_however_many_goals_and_steps(
    as_user, people: People, youth: Youth, plan: Plan, goal: PlanGoal, step: PlanStep
) -> None:
    client = as_user(people.follower)
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    lead = TeamMember.objects.get(youth=youth, is_lead=True)
    services.plan_step_add(
        actor=people.follower, goal=goal, what="Et steg", helper=lead, due_on=in_days(3), meeting=meeting
    )
    few = _plan_queries(client, youth)
    for code in ("leisure", "work", "family"):
        more = services.plan_goal_add(actor=people.follower, plan=plan, area=area(code), in_own_words=f"Mål {code}")
        services.plan_step_add(
            actor=people.follower, goal=more, what="Steg", helper=lead, due_on=in_days(5), meeting=meeting
        )
        services.plan_step_add(actor=people.follower, goal=more, what="Steg to")
    assert _plan_queries(client, youth) == few


def test_the_helper_choices_name_a_guardian_only_to_whoever_may_see_family_information(
    people: People, youth: Youth
) -> None:
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )
    guardian = TeamMember.objects.get(youth=youth, kind=TeamMember.Kind.GUARDIAN, ends_on__isnull=True)

    to_follower = selectors.plan_helper_choices(user=people.follower, youth=youth)
    to_police = selectors.plan_helper_choices(user=people.police, youth=youth)

    assert guardian in to_police.members  # a guardian may still be chosen to help ...
    assert to_police.names_withheld == {guardian.pk}  # ... but not by name
    assert to_follower.names_withheld == frozenset()

    to_police_select = str(StepForm(helpers=to_police)["helper"])
    assert f'<option value="{guardian.pk}">A guardian (the name is withheld from you)</option>' in to_police_select
    assert guardian.name not in to_police_select
    assert f'<option value="{guardian.pk}">{guardian.name} (' in str(StepForm(helpers=to_follower)["helper"])
