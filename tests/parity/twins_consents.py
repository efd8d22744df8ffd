"""Parity twins of the consent API (issue 12, points 5 and 7): recording a consent, revising it
and withdrawing it, and using a legal basis to share without consent, each against its consent
page (/samtykke/…). The scene's youth is 15 (born
17 May 2011): the youth and the one guardian with parental responsibility answer."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cases.models import Guardian, Guardianship
from consent import services
from consent.models import Consent, ConsentVersion, LegalBasis, LegalBasisUse

from .base import Scene, Twin

PURPOSE = "Samarbeid med barnevernet om skolegang"


def _guardian(s: Scene) -> Guardian:
    def make() -> Guardian:
        guardian = Guardian.objects.create(first_name="Åse", last_name=s.youth.last_name)
        Guardianship.objects.create(youth=s.youth, guardian=guardian, relation=Guardianship.Relation.MOTHER)
        return guardian

    return s.once("consent_guardian", make)


def _days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _consent(s: Scene) -> Consent:
    """An oral consent recorded by the follower: one to revise or withdraw."""

    def make() -> Consent:
        version = services.consent_record(
            actor=s.people.follower,
            youth=s.youth,
            purpose=PURPOSE,
            categories=["school"],
            units=[s.barnevern],
            form="oral",
            valid_from=timezone.localdate(),
            valid_to=timezone.localdate() + datetime.timedelta(days=180),
            youth_answer="given",
            guardian_answers={_guardian(s): "given"},
        )
        return version.consent

    return s.once("consent", make)


def _api(s: Scene, *, valid_to: int = 180, purpose: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "categories": ["school", "health"],
        "units": [s.barnevern.pk],
        "form": "oral",
        "valid_from": _days(0),
        "valid_to": _days(valid_to),
        "youth_answer": "given",
        "guardian_answers": [{"guardian": _guardian(s).pk, "answer": "given"}],
    }
    return ({"purpose": PURPOSE} if purpose else {}) | data


def _page(s: Scene, *, valid_to: int = 180, purpose: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "categories": ["school", "health"],
        "units": [str(s.barnevern.pk)],
        "form": "oral",
        "noted_at": "",
        "valid_from": _days(0),
        "valid_to": _days(valid_to),
        "youth_answer": "given",
        f"guardian_{_guardian(s).pk}": "given",
    }
    return ({"purpose": PURPOSE} if purpose else {}) | data


def _consents(s: Scene) -> int:
    _guardian(s)
    return Consent.objects.filter(youth=s.youth).count()


def _versions(s: Scene) -> list[tuple[int, str]]:
    return list(ConsentVersion.objects.filter(consent=_consent(s)).order_by("number").values_list("number", "event"))


# A use of a legal basis: barnevern is told of violence at home (barnevernsloven § 13-2 opens
# identity and family to barnevern).
USE_REASON = "Ungdommen forteller om vold fra stefar i helgen; meldt barnevernet samme dag."


def _use(s: Scene, *, reason: str = USE_REASON) -> dict[str, Any]:
    return {
        "basis": LegalBasis.objects.get(code="barnevernsloven-13-2").pk,
        "categories": ["identity_contact", "family"],
        "unit": s.barnevern.pk,
        "reason": reason,
    }


def _use_page(s: Scene, *, reason: str = USE_REASON) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, int) else value for key, value in _use(s, reason=reason).items()} | {
        "until": ""
    }


def _uses(s: Scene) -> int:
    return LegalBasisUse.objects.filter(youth=s.youth).count()


TWINS: dict[str, Twin] = {
    "youths_consents_create": Twin(
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/consents/", _api(s)),
        page=lambda s: (f"/samtykke/{s.youth.pk}/ny/", _page(s)),
        effect=_consents,
    ),
    "consents_revise_create": Twin(
        api=lambda s: ("POST", f"/api/v1/consents/{_consent(s).pk}/revise/", _api(s, purpose=False)),
        page=lambda s: (f"/samtykke/samtykke/{_consent(s).pk}/endre/", _page(s, purpose=False)),
        effect=_versions,
    ),
    "consents_withdraw_create": Twin(
        api=lambda s: (
            "POST",
            f"/api/v1/consents/{_consent(s).pk}/withdraw/",
            {"party": "youth", "reason": "Ungdommen ombestemte seg."},
        ),
        page=lambda s: (
            f"/samtykke/samtykke/{_consent(s).pk}/trekk-tilbake/",
            {"who": "youth", "reason": "Ungdommen ombestemte seg."},
        ),
        effect=_versions,
    ),
    "youths_legal_basis_uses_create": Twin(
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/legal-basis-uses/", _use(s)),
        page=lambda s: (f"/samtykke/{s.youth.pk}/lovgrunnlag/ny/", _use_page(s)),
        effect=_uses,
    ),
}

ALLOWED: dict[str, str] = {
    "youths_consents_create": "follower",
    "consents_revise_create": "follower",
    "consents_withdraw_create": "follower",
    "youths_legal_basis_uses_create": "follower",
}

RULE_BREAKS: dict[str, Twin] = {
    "youths_consents_create": Twin(  # ends before it starts
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/consents/", _api(s, valid_to=-1)),
        page=lambda s: (f"/samtykke/{s.youth.pk}/ny/", _page(s, valid_to=-1)),
        effect=_consents,
    ),
    "consents_revise_create": Twin(  # ends before it starts
        api=lambda s: ("POST", f"/api/v1/consents/{_consent(s).pk}/revise/", _api(s, valid_to=-1, purpose=False)),
        page=lambda s: (f"/samtykke/samtykke/{_consent(s).pk}/endre/", _page(s, valid_to=-1, purpose=False)),
        effect=_versions,
    ),
    "consents_withdraw_create": Twin(  # no reason
        api=lambda s: ("POST", f"/api/v1/consents/{_consent(s).pk}/withdraw/", {"party": "youth", "reason": ""}),
        page=lambda s: (f"/samtykke/samtykke/{_consent(s).pk}/trekk-tilbake/", {"who": "youth", "reason": ""}),
        effect=_versions,
    ),
    "youths_legal_basis_uses_create": Twin(  # a reason too short to say why it cannot wait for consent
        api=lambda s: ("POST", f"/api/v1/youths/{s.youth.pk}/legal-basis-uses/", _use(s, reason="Vold.")),
        page=lambda s: (f"/samtykke/{s.youth.pk}/lovgrunnlag/ny/", _use_page(s, reason="Vold.")),
        effect=_uses,
    ),
}
