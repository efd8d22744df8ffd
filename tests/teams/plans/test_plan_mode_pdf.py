"""Plan mode on a shared screen and "Min plan" as PDF (issue 13, points 5 and 6): the room sees
only what every person present may see and corrects the youth's words through the services
with the meeting; the youth's own copy (goals first, the team, the next meeting, "Hvem vet hva
om meg", Norwegian letters, page numbers, no confidentiality marking) and the staff copy
(filtered by the sharing policy, marked, audited); outsiders get 404 on all of it."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from pypdf import PdfReader

from cases.models import Guardianship, Youth
from consent import services as consent_services
from consent.models import Disclosure
from core.models import AuditEvent
from teams import services as team_services
from teams.meetings import services as meeting_services
from teams.models import Meeting, PlanArea, PlanGoal, PlanStep, PlanVersion, TeamMember
from teams.plans import selectors, services

from ...conftest import People
from ..factories_meetings import team_meeting, youth_with_team

pytestmark = pytest.mark.django_db


def area(code: str) -> PlanArea:
    return PlanArea.objects.get(code=code)


@pytest.fixture
def youth(people: People) -> Youth:
    return youth_with_team(people.unit, lead=people.follower, first_name="Søren", last_name="Øvrebø")


@pytest.fixture
def goals(people: People, youth: Youth) -> dict[str, PlanGoal]:
    """A school goal with a step the follower helps with by a date, and a health goal."""
    plan = services.plan_get_or_create(actor=people.follower, youth=youth)
    school = services.plan_goal_add(
        actor=people.follower,
        plan=plan,
        area=area("school"),
        in_own_words="Jeg vil bestå matte på Økern",
        why_it_matters="Så jeg kan bli elektriker",
    )
    lead = TeamMember.objects.get(youth=youth, user=people.follower, ends_on__isnull=True)
    services.plan_step_add(
        actor=people.follower,
        goal=school,
        what="Leksehjelp på tirsdager på Årvoll bibliotek",
        helper=lead,
        due_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    health = services.plan_goal_add(
        actor=people.follower, plan=plan, area=area("health"), in_own_words="Sove bedre før skoledager"
    )
    return {"school": school, "health": health}


def police_in_team(people: People, youth: Youth) -> None:
    team_services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )


def consent_to(people: People, youth: Youth, units: list[Any], categories: list[str]) -> None:
    """An oral consent in force (the youth is 15: the youth and the guardian say yes),
    recorded by the follower through the consent service."""
    today = timezone.localdate()
    guardians = [g.guardian for g in Guardianship.objects.filter(youth=youth, parental_responsibility=True)]
    consent_services.consent_record(
        actor=people.follower,
        youth=youth,
        purpose="Samarbeid om skolegang og trygghet",
        categories=categories,
        units=units,
        form="oral",
        valid_from=today - datetime.timedelta(days=10),
        valid_to=today + datetime.timedelta(days=180),
        youth_answer="given",
        guardian_answers=dict.fromkeys(guardians, "given"),
    )


def pdf_text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def mode_url(youth: Youth, meeting: Meeting) -> str:
    return f"/ungdommer/{youth.pk}/plan/mote/{meeting.pk}/"


# --- "Min plan", the youth's own copy ---------------------------------------------------------


def test_the_youths_copy_has_the_goals_first_the_team_the_next_meeting_and_who_knows_what(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    police_in_team(people, youth)
    consent_to(people, youth, [people.police_unit], ["identity_contact", "school"])
    meeting = team_meeting(people.follower, youth, people.unit, days=9, place="Bydelshuset på Økern")
    selectors.plan_shown(user=people.police, youth=youth)  # the police look: in the log

    with translation.override("nb"):
        text = pdf_text(as_user(people.follower).get(f"/ungdommer/{youth.pk}/plan/min-plan.pdf"))

    flat = " ".join(text.split())
    goals_at = flat.index("Målene mine")
    team_at = flat.index("Hvem er på laget mitt")
    next_at = flat.index("Når møtes vi neste gang")
    who_at = flat.index("Hvem vet hva om meg")
    assert goals_at < team_at < next_at < who_at
    assert goals_at < flat.index("Jeg vil bestå matte på Økern") < team_at
    assert goals_at < flat.index("Sove bedre før skoledager") < team_at
    assert goals_at < flat.index("Leksehjelp på tirsdager på Årvoll bibliotek") < team_at
    assert "Søren Øvrebø" in flat
    assert "Alice Follower" in flat[team_at:next_at]
    assert "Åse" in flat[team_at:next_at]  # the guardian, in the youth's own team
    assert "Bydelshuset på Økern" in flat[next_at:who_at]
    assert meeting.starts_at.strftime("%Y") in flat[next_at:who_at]
    who = flat[who_at:]
    assert "Politiet Øst" in who  # may see by consent, and has looked
    assert "Skole" in who
    assert "Samarbeid om skolegang og trygghet" in who
    assert "Side 1 av" in flat
    assert "KONFIDENSIELT" not in flat
    assert "Taushetsbelagt" not in flat
    assert "Skrevet ut av" not in flat
    event = AuditEvent.objects.get(action="plan.printed_for_youth")
    assert (event.actor, event.youth_id) == (people.follower, youth.pk)
    assert Disclosure.objects.filter(user=people.follower, youth=youth, channel="pdf").exists()


def test_only_those_who_work_the_follow_up_print_the_youths_copy(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    police_in_team(people, youth)
    assert as_user(people.police).get(f"/ungdommer/{youth.pk}/plan/min-plan.pdf").status_code == 403
    assert not AuditEvent.objects.filter(action="plan.printed_for_youth").exists()


# --- The staff copy -----------------------------------------------------------------------


def test_a_staff_copy_for_a_service_without_health_consent_has_no_health_goal(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    police_in_team(people, youth)
    consent_to(people, youth, [people.police_unit], ["identity_contact", "school"])

    with translation.override("nb"):
        text = " ".join(pdf_text(as_user(people.police).get(f"/ungdommer/{youth.pk}/plan/pdf/")).split())

    assert "Jeg vil bestå matte på Økern" in text
    assert "Leksehjelp på tirsdager på Årvoll bibliotek" in text
    assert "Sove bedre" not in text
    assert "Noe er holdt tilbake" in text
    assert "Åse" not in text  # a guardian is family information, also as one who must acknowledge
    assert "Ikke ennå: venter på ungdommen og 1 foresatt" in text
    assert "KONFIDENSIELT – unntatt offentlighet" in text
    assert "Side 1 av" in text
    event = AuditEvent.objects.get(action="plan.printed")
    assert (event.actor, event.youth_id) == (people.police, youth.pk)
    assert event.detail["goals"] == [goals["school"].pk]
    disclosures = Disclosure.objects.filter(user=people.police, youth=youth, channel="pdf")
    assert disclosures.exists()
    assert all("health" not in d.categories for d in disclosures)


def test_the_follow_up_prints_the_whole_staff_copy(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    with translation.override("nb"):
        text = " ".join(pdf_text(as_user(people.follower).get(f"/ungdommer/{youth.pk}/plan/pdf/")).split())
    assert "Sove bedre før skoledager" in text
    assert "Jeg vil bestå matte på Økern" in text


def test_an_outsider_gets_404_on_both_pdfs_and_plan_mode(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    client = as_user(people.outsider)
    assert client.get(f"/ungdommer/{youth.pk}/plan/min-plan.pdf").status_code == 404
    assert client.get(f"/ungdommer/{youth.pk}/plan/pdf/").status_code == 404
    assert client.get(mode_url(youth, meeting)).status_code == 404
    goal = goals["school"]
    posted = client.post(f"{mode_url(youth, meeting)}mal/{goal.pk}/", {f"goal{goal.pk}-in_own_words": "Nei"})
    assert posted.status_code == 404
    goal.refresh_from_db()
    assert goal.in_own_words == "Jeg vil bestå matte på Økern"


# --- Plan mode --------------------------------------------------------------------------------


def test_plan_mode_shows_one_life_area_at_a_time(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    client = as_user(people.follower)
    with translation.override("nb"):
        first = client.get(mode_url(youth, meeting))
        second = client.get(f"{mode_url(youth, meeting)}?omrade=2")

    assert first.status_code == 200
    assert first.templates[0].name == "teams/plans/mode.html"
    page = first.content.decode()
    assert "Jeg vil bestå matte på Økern" in page
    assert "Sove bedre" not in page
    assert "Sove bedre før skoledager" in second.content.decode()
    assert "Jeg vil bestå matte" not in second.content.decode()
    assert "<script>" not in page  # the keys come from static/js/plan-mode.js (CSP)
    event = AuditEvent.objects.filter(action="plan.shown_in_meeting").latest("at")
    assert event.detail["meeting"] == meeting.pk


def test_the_youth_corrects_a_goal_and_a_step_in_his_words_and_the_version_names_the_meeting(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    client = as_user(people.follower)
    goal = goals["school"]
    response = client.post(
        f"{mode_url(youth, meeting)}mal/{goal.pk}/",
        {
            "omrade": "1",
            f"goal{goal.pk}-in_own_words": "Jeg vil få 4 i matte",
            f"goal{goal.pk}-why_it_matters": "Elektro",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{mode_url(youth, meeting)}?omrade=1#goal-{goal.pk}"
    goal.refresh_from_db()
    assert (goal.in_own_words, goal.why_it_matters) == ("Jeg vil få 4 i matte", "Elektro")
    version = PlanVersion.objects.filter(plan=goal.plan).latest("number")
    assert version.meeting == meeting

    step = PlanStep.objects.get(goal=goal)
    response = client.post(
        f"{mode_url(youth, meeting)}steg/{step.pk}/", {"omrade": "1", f"step{step.pk}-what": "Leksehjelp hver tirsdag"}
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.what == "Leksehjelp hver tirsdag"
    assert step.action_item is not None
    assert step.action_item.title == "Leksehjelp hver tirsdag"
    assert PlanVersion.objects.filter(plan=goal.plan).latest("number").meeting == meeting


def test_an_empty_goal_comes_back_with_a_message_and_400(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    goal = goals["school"]
    with translation.override("nb"):
        response = as_user(people.follower).post(
            f"{mode_url(youth, meeting)}mal/{goal.pk}/", {"omrade": "1", f"goal{goal.pk}-in_own_words": "   "}
        )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    goal.refresh_from_db()
    assert goal.in_own_words == "Jeg vil bestå matte på Økern"


def test_plan_mode_hides_an_area_from_the_room_when_one_person_present_may_not_see_it(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    police_in_team(people, youth)
    consent_to(people, youth, [people.police_unit], ["identity_contact", "school"])
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    assert meeting.participants.filter(user=people.police).exists()
    client = as_user(people.follower)
    with translation.override("nb"):
        pages = [client.get(f"{mode_url(youth, meeting)}?omrade={n}").content.decode() for n in (1, 2)]

    assert all("Sove bedre" not in page for page in pages)
    assert all(">Helse<" not in page.replace(" ", "") for page in pages)
    assert "Jeg vil bestå matte på Økern" in pages[0]
    assert "Noe er holdt tilbake" in pages[0]
    assert "Åse" not in pages[0]
    assert "venter på at ungdommen og 1 foresatt sier seg enig" in pages[0]
    health = goals["health"]
    hidden = client.post(f"{mode_url(youth, meeting)}mal/{health.pk}/", {f"goal{health.pk}-in_own_words": "Nei"})
    assert hidden.status_code == 404
    event = AuditEvent.objects.filter(action="plan.shown_in_meeting").latest("at")
    assert people.police.pk in event.detail["audience"]
    assert event.detail["goals"] == [goals["school"].pk]

    # Marked as not present, the police no longer hold the health goal back from the room.
    present = [p.pk for p in meeting.participants.exclude(user=people.police)]
    meeting_services.participants_set_present(actor=people.follower, meeting=meeting, present=present)
    assert "Sove bedre før skoledager" in client.get(f"{mode_url(youth, meeting)}?omrade=2").content.decode()


def test_an_external_person_present_hides_the_plan_from_the_room(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    meeting_services.participant_add(
        actor=people.follower, meeting=meeting, kind="external", name="Trener Ørjan", organisation="Årvoll IL"
    )
    with translation.override("nb"):
        page = as_user(people.follower).get(mode_url(youth, meeting)).content.decode()
    assert "Jeg vil bestå matte" not in page
    assert "Søren" not in page
    assert "Planen vises ikke" in page


def test_plan_mode_runs_only_in_a_meeting_about_the_youth_by_someone_who_may_change_the_plan(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    other = youth_with_team(people.unit, lead=people.follower, guardian=False)
    elsewhere = team_meeting(people.follower, other, people.unit, days=0)
    assert as_user(people.follower).get(mode_url(youth, elsewhere)).status_code == 404
    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    meeting_services.meeting_cancel(actor=people.follower, meeting=meeting, reason="Syk")
    assert as_user(people.follower).get(mode_url(youth, meeting)).status_code == 404


def test_the_youths_copy_and_plan_mode_need_a_signed_in_person(
    youth: Youth, goals: dict[str, PlanGoal], client: Client
) -> None:
    response = client.get(f"/ungdommer/{youth.pk}/plan/min-plan.pdf")
    assert response.status_code == 302
    assert "/logg-inn" in response["Location"] or "login" in response["Location"]


def test_someone_who_sees_the_meeting_but_may_not_change_the_plan_gets_403_in_plan_mode(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    from guardian.shortcuts import assign_perm

    meeting = team_meeting(people.follower, youth, people.unit, days=0)
    assign_perm("cases.view_youth", people.police, youth)
    meeting_services.participant_add(
        actor=people.follower, meeting=meeting, kind="staff", user=people.police, unit=people.police_unit
    )
    client = as_user(people.police)
    assert client.get(f"/moter/{meeting.pk}/").status_code == 200
    assert client.get(mode_url(youth, meeting)).status_code == 403
    goal = goals["school"]
    assert (
        client.post(f"{mode_url(youth, meeting)}mal/{goal.pk}/", {f"goal{goal.pk}-in_own_words": "x"}).status_code
        == 403
    )
    assert not AuditEvent.objects.filter(action="plan.shown_in_meeting").exists()


# --- "Hvem vet hva om meg" ------------------------------------------------------------------


def test_who_knows_what_names_consents_and_legal_bases_in_force_and_recent_looks_by_service(
    people: People, youth: Youth, goals: dict[str, PlanGoal]
) -> None:
    from consent.selectors import who_knows_what

    from ...sharing import open_to

    police_in_team(people, youth)
    consent_to(people, youth, [people.police_unit], ["school", "identity_contact"])
    open_to(youth, people.other_unit, ["health"], actor=people.follower)
    selectors.plan_shown(user=people.police, youth=youth)

    with translation.override("nb"):
        known = who_knows_what(youth=youth)

    by_consent = [line for line in known.access if line.by_consent]
    by_law = [line for line in known.access if not line.by_consent]
    assert [(line.services, line.categories, line.why) for line in by_consent] == [
        (["Politiet Øst"], ["Identitet og kontaktopplysninger", "Skole"], "Samarbeid om skolegang og trygghet")
    ]
    assert [(line.services, line.categories) for line in by_law] == [(["Én-til-én-oppfølging Alna"], ["Helse"])]
    police = next(line for line in known.recent if line.service == "Politiet Øst")
    assert police.categories == ["Identitet og kontaktopplysninger", "Skole"]
    assert police.times == 1
    assert known.since == timezone.localdate() - datetime.timedelta(days=90)
    assert all(people.police.full_name not in line.service for line in known.recent)  # by service, never by person


def test_the_plan_page_links_the_youths_copy_only_for_those_who_may_print_it(
    people: People, youth: Youth, goals: dict[str, PlanGoal], as_user: Any
) -> None:
    police_in_team(people, youth)
    youth_pdf = f"/ungdommer/{youth.pk}/plan/min-plan.pdf"
    staff_pdf = f"/ungdommer/{youth.pk}/plan/pdf/"
    follower = as_user(people.follower).get(f"/ungdommer/{youth.pk}/plan/").content.decode()
    assert youth_pdf in follower
    assert staff_pdf in follower
    police = as_user(people.police).get(f"/ungdommer/{youth.pk}/plan/").content.decode()
    assert youth_pdf not in police
    assert staff_pdf in police


def test_plan_mode_and_the_youths_copy_work_before_the_youth_has_a_plan(
    people: People, youth: Youth, as_user: Any
) -> None:
    meeting = team_meeting(people.follower, youth, people.unit, days=1)
    client = as_user(people.follower)
    with translation.override("nb"):
        screen = client.get(f"{mode_url(youth, meeting)}?omrade=x")
        text = " ".join(pdf_text(client.get(f"/ungdommer/{youth.pk}/plan/min-plan.pdf")).split())
    assert screen.status_code == 200
    assert "Ingen mål å vise" in screen.content.decode()
    assert "Det er ingen mål i planen din ennå" in text
    assert "Neste lagmøte er" in text
