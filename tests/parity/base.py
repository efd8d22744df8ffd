"""What every parity case stands on (tests/parity): the cast of personas, the fresh scene each
call gets, and the Twin (an API call, its page, and the effect both should have).

Twins live in test_parity.py and in one `twins_<area>.py` module per area (meetings, teams,
consents, discussions, intake…), each with the dictionaries TWINS, ALLOWED and RULE_BREAKS (and
DISAGREEMENTS, RULE_DISAGREEMENTS when a known disagreement is marked): test_parity.py gathers them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cases.models import Contact, FollowUp, Youth
from consent.models import Category
from core.models import User
from org.models import StaffRole, Unit
from teams.models import TeamMember
from teams.services import team_member_add

from ..cases.factories import ContactFactory
from ..conftest import People
from ..factories import StaffRoleFactory, TOTPDeviceFactory, UnitFactory
from ..sharing import open_to
from ..teams.factories_meetings import youth_with_team

# --- Personas ------------------------------------------------------------------------------------


@dataclass
class Cast:
    people: People
    school: Unit
    member: User  # staff of another service (the school) in the youth's team, no consent
    consented_member: User  # the same kind of member, and the youth's information opened to the school
    other_leader: User  # the leader of the other district's unit
    barnevern: Unit
    caseworker: User  # a barnevern caseworker in the district, not in the youth's team


def make_cast(people: People) -> Cast:
    school = UnitFactory(name="Furuset skole", district=people.unit.district, kind=Unit.Kind.SCHOOL)
    member = StaffRoleFactory(unit=school, role=StaffRole.Role.SCHOOL_CONTACT, user__full_name="Siri Skole").user
    consented = StaffRoleFactory(unit=school, role=StaffRole.Role.SCHOOL_CONTACT, user__full_name="Sofie Samtykke").user
    other_leader = StaffRoleFactory(
        unit=people.other_unit, role=StaffRole.Role.LEADER, user__full_name="Liv Leder Alna"
    ).user
    barnevern = UnitFactory(name="Barnevernstjenesten Bjerke", district=people.unit.district, kind=Unit.Kind.BARNEVERN)
    caseworker = StaffRoleFactory(unit=barnevern, role=StaffRole.Role.CASEWORKER, user__full_name="Kari Barnevern").user
    for user in (member, consented, other_leader, caseworker):
        TOTPDeviceFactory(user=user)
    return Cast(people, school, member, consented, other_leader, barnevern, caseworker)


PERSONAS = (
    "follower",
    "outsider",
    "member_without_consent",
    "member_with_consent",
    "leader",
    "other_leader",
    "caseworker",
)


def persona_user(cast: Cast, name: str) -> User:
    return {
        "follower": cast.people.follower,  # the youth's own follower: shows the twins can succeed
        "outsider": cast.people.outsider,
        "member_without_consent": cast.member,
        "member_with_consent": cast.consented_member,
        "leader": cast.people.leader,
        "other_leader": cast.other_leader,
        "caseworker": cast.caseworker,  # barnevern: the one who imports from KS Fiks
    }[name]


NAMES = itertools.count(1)  # a new name for every youth made, across all twins


@dataclass
class Scene:
    """A fresh youth followed by the follower (lead) with the teammate in the unit, a team of
    the follower and the persona when the persona is a team member, and one contact."""

    youth: Youth
    followup: FollowUp
    contact: Contact
    people: People
    barnevern: Unit
    # What a twin of another area makes for itself on first use (a meeting, a consent…): see
    # `Scene.once`.
    made: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """Something a twin needs besides the youth, made once per scene."""
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]


def make_scene(cast: Cast, persona: str) -> Scene:
    people = cast.people
    n = next(NAMES)
    youth = youth_with_team(
        people.unit, lead=people.follower, guardian=False, youth_member=False, first_name=f"Paritet{n}"
    )
    if persona in ("member_without_consent", "member_with_consent"):
        user = persona_user(cast, persona)
        team_member_add(
            actor=people.follower,
            youth=youth,
            kind=TeamMember.Kind.STAFF,
            user=user,
            unit=cast.school,
            role=TeamMember.Role.CONTACT_TEACHER,
        )
        if persona == "member_with_consent":
            open_to(youth, cast.school, Category.values, actor=people.follower)
    followup = FollowUp.objects.get(youth=youth)
    contact = ContactFactory(followup=followup, author=people.follower)
    return Scene(youth, followup, contact, people, cast.barnevern)


@dataclass(frozen=True)
class Twin:
    """An API operation and its page: the API call (method, url, JSON body), the page's form post
    (url, data), and the database effect both should have (compared before and after)."""

    api: Callable[[Scene], tuple[str, str, Any]]
    page: Callable[[Scene], tuple[str, dict[str, Any]]]
    effect: Callable[[Scene], Any]
