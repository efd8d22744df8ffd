"""Parity twins of the anonymous-discussion API (consent.discussions.api) and its pages
(/samtykke/drofting/…): bring a case, add a note, name it, close it.

Each scene gets one case brought by the youth's follower for the follow-up unit in Bjerke
(every warning confirmed), made on first use (`Scene.once`). A case's details may identify the
youth (a warning to confirm): the twins confirm exactly the warnings the checks find, the API
with "confirm_warnings" and the keys, the page with the keys in hidden fields and the box ticked.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases.models import Guardian, Guardianship
from consent import services as consent_services
from consent.discussions import checks
from consent.discussions import services as discussion_services
from consent.discussions.checks import UnconfirmedWarnings
from consent.models import Category, DiscussionCase, DiscussionNote
from core.dates import today_in_oslo

from .base import Scene, Twin

ALIAS = "Gutt A"
SUMMARY = "Mye fravær og bekymring for miljøet rundt ungdommen."
NOTE = "Møtet ble enige om å vente til neste måned."
IDENTITY_NUMBER = "15108695088"  # a fødselsnummer: refused outright, never a warning


def _case_fields(scene: Scene, summary: str = SUMMARY) -> dict[str, Any]:
    district = scene.people.district
    keys = [
        f.key
        for f in checks.findings(texts=[ALIAS, summary], district=district, age_band="15_17", today=today_in_oslo())
    ]
    return {
        "unit": scene.people.unit.pk,
        "alias": ALIAS,
        "age_band": "15_17",
        "district": district.pk if district else None,
        "summary": summary,
        "keys": keys,
    }


def _api_case(scene: Scene, summary: str = SUMMARY) -> dict[str, Any]:
    fields = _case_fields(scene, summary)
    return fields | {"confirm_warnings": True, "warnings": fields.pop("keys")}


def _page_case(scene: Scene, summary: str = SUMMARY) -> dict[str, Any]:
    fields = _case_fields(scene, summary)
    return fields | {"confirm": "on", "shown_warnings": fields.pop("keys")}


def case(scene: Scene) -> DiscussionCase:
    """The scene's case, brought by the follower for the follow-up unit."""

    def make() -> DiscussionCase:
        people = scene.people
        assert people.unit.district is not None
        data: dict[str, Any] = {
            "actor": people.follower,
            "unit": people.unit,
            "alias": ALIAS,
            "age_band": "15_17",
            "district": people.unit.district,
            "summary": SUMMARY,
        }
        try:
            return discussion_services.discussion_case_create(**data)
        except UnconfirmedWarnings as error:
            return discussion_services.discussion_case_create(
                **data, confirmed_warnings=[f.key for f in error.findings]
            )

    made: DiscussionCase = scene.once("discussion", make)
    return made


def with_consent(scene: Scene) -> Scene:
    """A consent in force for the scene's youth, opening who the youth is to the follow-up unit
    (what naming a case needs), recorded by the follower."""

    def make() -> None:
        youth, people = scene.youth, scene.people
        today = timezone.localdate()
        answers: dict[str, Any] = {"youth_answer": "given"} if youth.age_on(today) >= 15 else {"youth_view": "Greit."}
        if youth.age_on(today) < 18:
            guardian = Guardian.objects.create(first_name="Forelder", last_name=youth.last_name)
            Guardianship.objects.create(youth=youth, guardian=guardian, relation="mother")
            answers["guardian_answers"] = {guardian: "given"}
        consent_services.consent_record(
            actor=people.follower,
            youth=youth,
            purpose="Drøfting i inntaksmøtet",
            categories=[Category.IDENTITY_CONTACT],
            units=[people.unit],
            form="oral",
            valid_from=today - datetime.timedelta(days=30),
            valid_to=today + datetime.timedelta(days=180),
            **answers,
        )

    scene.once("consent", make)
    return scene


def _state(scene: Scene) -> str:
    return DiscussionCase.objects.get(pk=case(scene).pk).state


def _notes(scene: Scene) -> int:
    return DiscussionNote.objects.filter(case=case(scene)).count()


TWINS: dict[str, Twin] = {
    "discussions_create": Twin(
        api=lambda s: ("POST", "/api/v1/discussions/", _api_case(s)),
        page=lambda s: ("/samtykke/drofting/ny/", _page_case(s)),
        effect=lambda s: DiscussionCase.objects.count(),
    ),
    "discussions_notes_create": Twin(
        api=lambda s: ("POST", f"/api/v1/discussions/{case(s).pk}/notes/", {"text": NOTE}),
        page=lambda s: (f"/samtykke/drofting/{case(s).pk}/notat/", {"text": NOTE}),
        effect=_notes,
    ),
    "discussions_convert_create": Twin(
        api=lambda s: ("POST", f"/api/v1/discussions/{case(s).pk}/convert/", {"youth": with_consent(s).youth.pk}),
        page=lambda s: (f"/samtykke/drofting/{case(s).pk}/navngi/", {"youth": with_consent(s).youth.pk}),
        effect=_state,
    ),
    "discussions_close_create": Twin(
        api=lambda s: ("POST", f"/api/v1/discussions/{case(s).pk}/close/", {"reason": "no_further_action"}),
        page=lambda s: (f"/samtykke/drofting/{case(s).pk}/avslutt/", {"reason": "no_further_action"}),
        effect=_state,
    ),
}

# Who succeeds: the follower works in the unit that brings and owns the case.
ALLOWED: dict[str, str] = {
    "discussions_create": "follower",
    "discussions_notes_create": "follower",
    "discussions_convert_create": "follower",
    "discussions_close_create": "follower",
}

RULE_BREAKS: dict[str, Twin] = {
    "discussions_create": Twin(  # a national identity number in the concern: refused on its field
        api=lambda s: ("POST", "/api/v1/discussions/", _api_case(s, f"{SUMMARY} {IDENTITY_NUMBER}")),
        page=lambda s: ("/samtykke/drofting/ny/", _page_case(s, f"{SUMMARY} {IDENTITY_NUMBER}")),
        effect=lambda s: DiscussionCase.objects.count(),
    ),
    "discussions_notes_create": Twin(  # likewise in a note
        api=lambda s: ("POST", f"/api/v1/discussions/{case(s).pk}/notes/", {"text": f"{NOTE} {IDENTITY_NUMBER}"}),
        page=lambda s: (f"/samtykke/drofting/{case(s).pk}/notat/", {"text": f"{NOTE} {IDENTITY_NUMBER}"}),
        effect=_notes,
    ),
    "discussions_convert_create": Twin(  # a youth without a consent in force
        api=lambda s: ("POST", f"/api/v1/discussions/{case(s).pk}/convert/", {"youth": s.youth.pk}),
        page=lambda s: (f"/samtykke/drofting/{case(s).pk}/navngi/", {"youth": s.youth.pk}),
        effect=_state,
    ),
    "discussions_close_create": Twin(  # no such reason
        api=lambda s: ("POST", f"/api/v1/discussions/{case(s).pk}/close/", {"reason": "bored"}),
        page=lambda s: (f"/samtykke/drofting/{case(s).pk}/avslutt/", {"reason": "bored"}),
        effect=_state,
    ),
}
