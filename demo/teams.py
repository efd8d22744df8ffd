"""The demo's youth teams (laget rundt ungdommen): every open follow-up has one.

Who is in a team, from the follow-up's own people and the youth's family:
- the lead follower holds lead responsibility (hovedansvar); where the follow-up changed hands
  in late summer, the first follower's membership ended that day and the history shows it;
- the family follower and the coordinator (unless the coordinator is the follower);
- the youth and the guardians with parental responsibility (unless the youth was 18 by then:
  from the 18th birthday the guardians are told nothing without the youth's consent);
- for some youths, the school contact of the youth's school, a barnevern caseworker, or a coach
  from the local sports club (an external member);
- the demo district's police contact, in the teams of the demo follower's first two youths by
  (last name, first name) (a contract with the demo consents: the first one's consent covers
  the police, the second one's does not).

The rows are written in bulk (upsert), each first asked the rules team_member_add asks (the
model's fields and clean(), and teams.services.team_member_check: staff acting for a unit where
they hold a role in force, a guardian of this youth's), so a row that breaks one stops the
build; the bulk save keeps the others: one active row per person and exactly one active lead.
Who sees the youth through the team is then given as the services give it, by
teams.policy.team_access_sync (django-guardian's `cases.view_youth` for every staff member in
force in the team and for no one else; the grants of a second run are the same), asked of
every youth of the three districts at once, so a youth whose follow-up closed keeps no grants.
Like the rest of the demo, no audit entries are made. Every random choice about one youth
comes from that youth's own stream.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from cases.models import FollowUp, Guardianship, Youth
from consent import policy as consent_policy
from org.models import StaffRole
from teams.models import TeamMember
from teams.policy import team_access_sync
from teams.services import team_member_check

from . import names
from .builders import DEMO_DISTRICT, FULL_DISTRICTS, Demo, DistrictStaff, DistrictUnits, upsert
from .followups import DEMO_FOLLOWER, DEMO_TODAY, Case

Kind = TeamMember.Kind
Role = TeamMember.Role

POLICE_TEAMS = 2  # the demo follower's youths whose team the police contact is in
SCHOOL_SHARE = 0.5
BARNEVERN_SHARE = 0.3
COACH_SHARE = 0.15
CLUBS = {9: "Linderud IL", 12: "Furuset IF", 15: "Holmlia SK"}

# The school contact's job title (teams.StaffRole.title, demo staff) and their role in a team.
SCHOOL_ROLES = {"sosiallærer": Role.SCHOOL_COUNSELLOR, "rådgiver": Role.SCHOOL_COUNSELLOR}


def build_teams(demo: Demo) -> None:
    rows: list[dict[str, Any]] = []
    for plan in FULL_DISTRICTS:
        number = plan.number
        cases = [case for case in demo.cases[number] if case.state != FollowUp.State.CLOSED]
        police_youths = police_team_youths(cases) if number == DEMO_DISTRICT else []
        responsible = _responsible_guardians([case.youth for case in cases])
        titles = _titles(demo.staff[number])
        chosen = _chosen(demo, cases, demo.units[number], demo.staff[number])
        for case in cases:
            rows += _team(
                demo,
                case,
                demo.units[number],
                demo.staff[number],
                guardians=responsible.get(case.youth.pk, []),
                police=case.youth in police_youths,
                extra=chosen.get(case.youth.pk, set()),
                titles=titles,
            )
    for row in rows:
        _check(row)
    members = upsert(TeamMember, rows, key=("youth", "kind", "user", "guardian", "starts_on"))
    team_access_sync(youths=[case.youth for plan in FULL_DISTRICTS for case in demo.cases[plan.number]])
    teams = len({member.youth_id for member in members})
    demo.say(f"Youth teams: {teams}, members: {sum(member.ends_on is None for member in members)}")


def _check(row: dict[str, Any]) -> None:
    """The rules team_member_add keeps, asked of the row before the bulk save: the fields and
    clean() (as the service asks them), and the person (teams.services.team_member_check)."""
    member = TeamMember(**row)
    member.full_clean(validate_unique=False, validate_constraints=False)
    team_member_check(youth=member.youth, member=member)


def police_team_youths(cases: list[Case]) -> list[Youth]:
    """The demo follower's youths in open follow-up, by (last name, first name): the police
    contact is in the teams of the first two."""
    youths = [case.youth for case in cases if case.state != FollowUp.State.CLOSED and case.lead.email == DEMO_FOLLOWER]
    return sorted(youths, key=lambda youth: (youth.last_name, youth.first_name))[:POLICE_TEAMS]


def _responsible_guardians(youths: list[Youth]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for guardianship in (
        Guardianship.objects.filter(youth__in=youths, parental_responsibility=True)
        .select_related("guardian")
        .order_by("guardian__last_name", "guardian__first_name", "guardian_id")
    ):
        found.setdefault(guardianship.youth_id, []).append(guardianship.guardian)
    return found


def _titles(staff: DistrictStaff) -> dict[int, str]:
    people = [*staff.school_contacts, *staff.caseworkers]
    return dict(
        StaffRole.objects.filter(user__in=people, ends_on__isnull=True).values_list("user_id", "title").order_by("id")
    )


def _chosen(demo: Demo, cases: list[Case], units: DistrictUnits, staff: DistrictStaff) -> dict[int, set[str]]:
    """Which youths also have the school, barnevern or a coach in their team. In the demo
    district the school and barnevern demo logins are in at least one team each."""
    chosen: dict[int, set[str]] = {}
    for case in cases:
        rng = demo.rng("team-members", case.youth.national_id)
        extra = set()
        if case.youth.school_id is not None and rng.random() < SCHOOL_SHARE:
            extra.add("school")
        if rng.random() < BARNEVERN_SHARE:
            extra.add("barnevern")
        if rng.random() < COACH_SHARE:
            extra.add("coach")
        chosen[case.youth.pk] = extra
    if units.schools and not any(
        "school" in chosen[case.youth.pk] and case.youth.school_id == units.schools[0].pk for case in cases
    ):
        first = next((case for case in cases if case.youth.school_id == units.schools[0].pk), None)
        if first is not None:
            chosen[first.youth.pk].add("school")
    if cases and not any("barnevern" in extra for extra in chosen.values()):
        chosen[cases[0].youth.pk].add("barnevern")
    return chosen


def _row(case: Case, kind: str, role: str, starts_on: datetime.date, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "youth": case.youth,
        "kind": kind,
        "role": role,
        "note": "",
        "user": None,
        "unit": None,
        "guardian": None,
        "external_name": "",
        "external_organisation": "",
        "external_phone": "",
        "external_email": "",
        "is_lead": False,
        "starts_on": starts_on,
        "ends_on": None,
        "added_by": case.coordinator,
        "ended_by": None,
        "end_reason": "",
    }
    row.update(fields)
    return row


def _team(
    demo: Demo,
    case: Case,
    units: DistrictUnits,
    staff: DistrictStaff,
    *,
    guardians: list[Any],
    police: bool,
    extra: set[str],
    titles: dict[int, str],
) -> list[dict[str, Any]]:
    rng = demo.rng("team", case.youth.national_id)
    followup_unit = units.followup
    formed = case.decided_on  # the intake meeting's decision: the team is formed
    joined = case.started_on or formed  # the start-up meeting: the youth and the parents join
    rows = []
    for index, lead in enumerate(case.leads):
        fields: dict[str, Any] = {"user": lead.user, "unit": followup_unit, "is_lead": True}
        if lead.ends_on is not None:
            successor = case.leads[index + 1].user
            fields |= {
                "ends_on": lead.ends_on,
                "ended_by": case.coordinator,
                "end_reason": (
                    f"Oppfølgingen ble overført til {successor.full_name}, som tok over hovedansvaret samme dag. "
                    "Overføringsmøte med ungdommen og foresatte."
                ),
            }
        rows.append(_row(case, Kind.STAFF, Role.FOLLOWER, lead.starts_on, **fields))
    if case.coordinator != case.lead:
        rows.append(_row(case, Kind.STAFF, Role.COORDINATOR, formed, user=case.coordinator, unit=followup_unit))
    if case.family is not None and case.family_from is not None:
        rows.append(
            _row(case, Kind.STAFF, Role.FAMILY_FOLLOWER, case.family_from, user=case.family, unit=followup_unit)
        )
    rows.append(_row(case, Kind.YOUTH, Role.YOUTH, joined))
    # The guardians join while they may be told (consent.policy.guardians_told, as
    # team_member_check asks it): not when the youth was 18 by the start-up meeting.
    for guardian in guardians if consent_policy.guardians_told(case.youth, at=joined) else []:
        rows.append(_row(case, Kind.GUARDIAN, Role.GUARDIAN, joined, guardian=guardian))
    if "school" in extra and case.youth.school_id is not None:
        school = next(unit for unit in units.schools if unit.pk == case.youth.school_id)
        contact = staff.school_contacts[units.schools.index(school)]
        title = titles.get(contact.pk, "")
        rows.append(
            _row(
                case,
                Kind.STAFF,
                SCHOOL_ROLES.get(title, Role.OTHER),
                _later(rng, joined, 0, 30),
                user=contact,
                unit=school,
                note=f"{title.capitalize()}, skolens faste kontakt" if title else "",
            )
        )
    if "barnevern" in extra:
        caseworker = rng.choice(staff.caseworkers)
        rows.append(
            _row(
                case,
                Kind.STAFF,
                Role.BARNEVERN_CASEWORKER,
                _later(rng, formed, 0, 20),
                user=caseworker,
                unit=units.barnevern,
                note=titles.get(caseworker.pk, "").capitalize(),
            )
        )
    if police:
        rows.append(
            _row(
                case,
                Kind.STAFF,
                Role.POLICE_CONTACT,
                formed,
                user=staff.police_contact,
                unit=units.police,
                note="Forebyggende, deltar i lagmøtene",
            )
        )
    if "coach" in extra:
        rows.append(_coach(rng, case, joined))
    return rows


def _coach(rng: random.Random, case: Case, joined: datetime.date) -> dict[str, Any]:
    """A coach at the local sports club, who knows the youth from training: an external member."""
    female = rng.random() < 0.3
    first = rng.choice(names.ADULT_FIRST_NAMES[names.NORWEGIAN][names.FEMALE if female else names.MALE])
    last = rng.choice(names.LAST_NAMES[names.NORWEGIAN])
    number = rng.randint(0, 9_999_999)
    return _row(
        case,
        Kind.EXTERNAL,
        Role.COACH,
        _later(rng, joined, 14, 60),
        external_name=f"{first} {last}",
        external_organisation=CLUBS[case.district],
        external_phone=f"9{number // 100_000:02d} {number // 1000 % 100:02d} {number % 1000:03d}",
        note="Trener på fotballaget",
    )


def _later(rng: random.Random, day: datetime.date, low: int, high: int) -> datetime.date:
    """A day a little after `day`, never after DEMO_TODAY."""
    return min(day + datetime.timedelta(days=rng.randint(low, high)), DEMO_TODAY)
