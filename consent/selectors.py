"""Reads of consents, legal-basis uses and disclosures. Callers fetch the youth through
core.access first (cases.selectors); these selectors do not widen what a person sees."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cases.models import Youth
from teams.models import StaffRole
from teams.selectors import staffroles_active

from .models import Consent, ConsentVersion, Disclosure, LegalBasis, LegalBasisUse


def consents_for_youth(*, youth: Youth) -> QuerySet[Consent]:
    """The youth's consents, newest first, each with all its versions (newest first)."""
    return Consent.objects.filter(youth=youth).prefetch_related(
        "versions__answers__guardian", "versions__units", "versions__noted_by", "versions__recorded_by"
    )


def consent_current_version(*, consent: Consent) -> ConsentVersion:
    """The version that counts now: the one with the highest number."""
    return ConsentVersion.objects.filter(consent=consent).order_by("-number").prefetch_related("answers", "units")[0]


def consent_versions_current(*, youth: Youth) -> QuerySet[ConsentVersion]:
    return (
        ConsentVersion.objects.current()
        .filter(consent__youth=youth)
        .select_related("consent")
        .prefetch_related("answers__guardian", "units")
        .order_by("-recorded_at", "-id")
    )


def legal_bases_active() -> QuerySet[LegalBasis]:
    return LegalBasis.objects.filter(active=True).order_by("title")


def legal_basis_uses_for_leader(*, user: Any) -> QuerySet[LegalBasisUse]:
    """Uses of legal bases a leader must review: by anyone who has held a role in a unit they
    lead, or opening information to such a unit. Newest first."""
    led = staffroles_active(user=user).filter(role=StaffRole.Role.LEADER).values("unit_id")
    staff = StaffRole.objects.filter(unit_id__in=led).values("user_id")
    return (
        LegalBasisUse.objects.filter(Q(actor_id__in=staff) | Q(unit_id__in=led))
        .select_related("basis", "youth", "actor", "unit")
        .order_by("-starts_at", "-id")
    )


def disclosures_for_youth(*, youth: Youth) -> QuerySet[Disclosure]:
    """Who has seen and received what of the youth, when and why: the disclosure log, newest first."""
    return (
        Disclosure.objects.filter(youth=youth)
        .select_related("user", "unit", "consent_version__consent", "legal_basis_use__basis")
        .order_by("-at", "-id")
    )
