"""Parity twins of the team API (issue 12, points 5 and 7): adding a member, ending a membership,
passing lead responsibility and starting the team, each against its form on the team page
(/ungdommer/<pk>/lag/…). The scene's team is the follower (holding lead responsibility), and the
persona when the persona is a team member."""

from __future__ import annotations

from typing import Any

from cases.models import Youth
from teams.models import TeamMember
from teams.services import team_member_add

from ..cases.factories import followed_youth
from .base import Scene, Twin

Kind = TeamMember.Kind
Role = TeamMember.Role


def _external(s: Scene) -> TeamMember:
    """A coach in the team, added by the follower: someone to end the membership of."""
    return s.once(
        "team_external",
        lambda: team_member_add(
            actor=s.people.follower,
            youth=s.youth,
            kind=Kind.EXTERNAL,
            role=Role.COACH,
            external_name="Trener Tor",
            external_organisation="Furuset IF",
        ),
    )


def _teammate(s: Scene) -> TeamMember:
    """The follower's colleague in the team, without lead responsibility: someone to pass it to."""
    return s.once(
        "team_teammate",
        lambda: team_member_add(
            actor=s.people.follower,
            youth=s.youth,
            kind=Kind.STAFF,
            user=s.people.teammate,
            unit=s.people.unit,
            role=Role.FAMILY_FOLLOWER,
        ),
    )


def _teamless(s: Scene) -> Youth:
    """Another youth the follower follows, whose team has not started."""
    return s.once("team_teamless", lambda: followed_youth(s.people.unit, lead=s.people.follower))


def _without_follower(s: Scene) -> Youth:
    """A youth in the unit's follow-up with no follower: no one to start the team with."""
    return s.once("team_without_follower", lambda: followed_youth(s.people.unit))


def _active(youth: Youth) -> int:
    return TeamMember.objects.filter(youth=youth, ends_on__isnull=True).count()


def _ended(member: TeamMember) -> bool:
    return TeamMember.objects.get(pk=member.pk).ends_on is not None


def _lead(s: Scene) -> Any:
    _teammate(s)
    _external(s)
    return TeamMember.objects.filter(youth=s.youth, ends_on__isnull=True, is_lead=True).values_list("user", flat=True)[
        0
    ]


def _external_api(**fields: str) -> dict[str, Any]:
    return {"kind": "external", "external_name": "Trener Tor", "external_organisation": "Furuset IF"} | fields


def _external_page(**fields: str) -> dict[str, Any]:
    data = {
        "external_name": "Trener Tor",
        "external_organisation": "Furuset IF",
        "role": "coach",
        "external_phone": "",
        "external_email": "",
        "note": "",
    } | fields
    return {"action": "external", **{f"external-{name}": value for name, value in data.items()}}


TWINS: dict[str, Twin] = {
    "youths_team_members_create": Twin(
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/team/members/", _external_api(role="coach")),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/lag/", _external_page()),
        effect=lambda s: _active(s.youth),
    ),
    "youths_team_members_end_create": Twin(
        api=lambda s: (
            "POST",
            f"/api/v1/youths/{s.youth.pk}/team/members/{_external(s).pk}/end/",
            {"reason": "Sluttet som trener."},
        ),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/lag/{_external(s).pk}/avslutt/", {"reason": "Sluttet som trener."}),
        effect=lambda s: _ended(_external(s)),
    ),
    "youths_team_members_lead_create": Twin(
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/team/members/{_teammate(s).pk}/lead/", {}),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/lag/{_teammate(s).pk}/hovedansvar/", {}),
        effect=_lead,
    ),
    "youths_team_start_create": Twin(
        api=lambda s: ("POST", f"/api/v1/youths/{_teamless(s).pk}/team/start/", {}),
        page=lambda s: (f"/ungdommer/{_teamless(s).pk}/lag/", {"action": "start"}),
        effect=lambda s: _active(_teamless(s)),
    ),
}

ALLOWED: dict[str, str] = {
    "youths_team_members_create": "follower",
    "youths_team_members_end_create": "follower",
    "youths_team_members_lead_create": "follower",
    "youths_team_start_create": "leader",  # the unit's leader starts the team of a youth it follows
}

RULE_BREAKS: dict[str, Twin] = {
    "youths_team_members_create": Twin(  # an external person without a name
        api=lambda s: (
            "POST",
            f"/api/v1/youths/{s.youth.pk}/team/members/",
            _external_api(external_name="", role="coach"),
        ),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/lag/", _external_page(external_name="")),
        effect=lambda s: _active(s.youth),
    ),
    "youths_team_members_end_create": Twin(  # no reason
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/team/members/{_external(s).pk}/end/", {"reason": ""}),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/lag/{_external(s).pk}/avslutt/", {"reason": ""}),
        effect=lambda s: _ended(_external(s)),
    ),
    "youths_team_members_lead_create": Twin(  # lead responsibility to someone who is not staff
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/team/members/{_external(s).pk}/lead/", {}),
        page=lambda s: (f"/ungdommer/{s.youth.pk}/lag/{_external(s).pk}/hovedansvar/", {}),
        effect=_lead,
    ),
    "youths_team_start_create": Twin(  # no follower to start the team with
        api=lambda s: ("POST", f"/api/v1/youths/{_without_follower(s).pk}/team/start/", {}),
        page=lambda s: (f"/ungdommer/{_without_follower(s).pk}/lag/", {"action": "start"}),
        effect=lambda s: _active(_without_follower(s)),
    ),
}
