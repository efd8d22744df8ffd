"""The demo's consents (demo/consents.py): every state the consent pages show, the rules
the services keep, the order agreed with the demo teams, idempotence, and the reminders the
data gives the follower."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.core.files.storage import default_storage

from cases.models import FollowUp, Guardianship
from consent import selectors, services
from consent.models import Consent, ConsentAnswer, ConsentVersion, LegalBasisUse
from consent.policy import version_in_force
from consent.views import consent_state
from core.models import Notification, User
from demo import builders as demo
from demo import steps
from demo.consents import PURPOSE, demo_follower_cases
from demo.followups import DEMO_TODAY
from org.models import Unit

pytestmark = pytest.mark.django_db


def _current(consent: Consent) -> ConsentVersion:
    return max(consent.versions.all(), key=lambda v: v.number)


def _consents() -> list[Consent]:
    return list(
        Consent.objects.select_related("youth").prefetch_related("versions__answers", "versions__units", "versions")
    )


def _state(consent: Consent) -> str:
    return consent_state(_current(consent), consent.youth, DEMO_TODAY)


def test_every_consent_state_exists(built: demo.Demo) -> None:
    states = Counter(_state(consent) for consent in _consents())
    assert {"in_force", "expiring", "withdrawn", "refused", "lapsed_18"} <= set(states)
    assert states["in_force"] > len(states)


def test_every_open_follow_up_has_a_consent_for_the_team(built: demo.Demo) -> None:
    consents = {consent.youth_id: consent for consent in _consents() if consent.purpose == PURPOSE}
    second = demo_follower_cases([case for cases in built.cases.values() for case in cases])[1].youth.pk
    for number, cases in built.cases.items():
        units = built.units[number]
        for case in cases:
            if case.state == FollowUp.State.CLOSED:
                assert case.youth.pk not in consents
                continue
            first = min(consents[case.youth.pk].versions.all(), key=lambda v: v.number)
            expected = {case.saved().unit, units.barnevern, units.police}
            if case.youth.school is not None:
                expected.add(case.youth.school)
            if case.youth.pk == second:
                expected.discard(units.police)
            assert set(first.units.all()) == expected, case.youth


def test_the_demo_followers_youths_are_in_the_agreed_states(built: demo.Demo) -> None:
    cases = demo_follower_cases([case for cases in built.cases.values() for case in cases])
    assert len(cases) == 5
    consents = {consent.youth_id: consent for consent in _consents()}
    police_units = set(Unit.objects.filter(kind=Unit.Kind.POLICE))

    first = _current(consents[cases[0].youth.pk])
    assert "police" in first.categories
    assert built.units[demo.DEMO_DISTRICT].police in set(first.units.all())
    assert version_in_force(first, cases[0].youth, DEMO_TODAY)

    second = consents[cases[1].youth.pk]
    for version in second.versions.all():
        assert "police" not in version.categories
        assert not set(version.units.all()) & police_units
    assert version_in_force(_current(second), cases[1].youth, DEMO_TODAY)
    assert second.versions.count() == 2

    others = [_state(consents[case.youth.pk]) for case in cases[2:]]
    assert sorted(others) == ["expiring", "refused", "withdrawn"]


def test_the_withdrawn_youth_has_no_consent_in_force_and_a_legal_basis_use(built: demo.Demo) -> None:
    [withdrawn] = [consent for consent in _consents() if _state(consent) == "withdrawn"]
    youth = withdrawn.youth
    assert not any(
        version_in_force(_current(consent), youth, DEMO_TODAY) for consent in Consent.objects.filter(youth=youth)
    )
    latest = _current(withdrawn)
    assert latest.withdrawal_reason
    assert latest.withdrawn_by_party in ConsentVersion.Party.values
    [use] = LegalBasisUse.objects.filter(youth=youth)
    assert use.actor.email == "follower@demo.laget.no"
    assert DEMO_TODAY - datetime.timedelta(days=21) <= use.starts_at.date() < DEMO_TODAY
    assert len(use.reason) >= services.LEGAL_BASIS_MIN_REASON
    assert use.unit.kind in use.basis.receiving_kinds
    assert set(use.categories) <= set(use.basis.categories)
    assert use.until - use.starts_at <= datetime.timedelta(days=services.LEGAL_BASIS_MAX_DAYS)
    leader = User.objects.get(email="leader@demo.laget.no")
    assert list(selectors.legal_basis_uses_for_leader(user=leader)) == [use]


def test_every_version_keeps_the_rules_of_the_services(built: demo.Demo) -> None:
    responsible: dict[int, set[int]] = {}
    for youth_id, guardian_id in Guardianship.objects.filter(parental_responsibility=True).values_list(
        "youth_id", "guardian_id"
    ):
        responsible.setdefault(youth_id, set()).add(guardian_id)
    for consent in _consents():
        youth = consent.youth
        versions = sorted(consent.versions.all(), key=lambda v: v.number)
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        for before, version in zip([None, *versions], versions, strict=False):
            assert version.valid_from <= version.valid_to
            assert version.recorded_at.date() <= DEMO_TODAY
            answers: list[ConsentAnswer] = list(version.answers.all())
            youth_answers = [a for a in answers if a.party == ConsentVersion.Party.YOUTH]
            guardians = {a.guardian_id for a in answers if a.party == ConsentVersion.Party.GUARDIAN}
            age = youth.age_on(version.valid_from)
            if age >= 18:
                assert version.age_rule == ConsentVersion.AgeRule.ADULT
                assert (len(youth_answers), guardians) == (1, set())
            else:
                assert guardians == responsible[youth.pk]
                if age >= 15:
                    assert version.age_rule == ConsentVersion.AgeRule.FROM_15
                    assert len(youth_answers) == 1
                else:
                    assert version.age_rule == ConsentVersion.AgeRule.UNDER_15
                    assert (youth_answers, bool(version.youth_view)) == ([], True)
            if version.form == ConsentVersion.Form.WRITTEN:
                with default_storage.open(version.document.name, "rb") as document:
                    assert document.read(5) == b"%PDF-"
            else:
                assert version.noted_by is not None
                assert version.noted_at is not None
            if version.is_withdrawn:
                assert before is not None
                assert (version.categories, set(version.units.all())) == (before.categories, set(before.units.all()))
                assert version.withdrawn_at is not None
                if version.withdrawn_by_party == ConsentVersion.Party.GUARDIAN:
                    assert youth.age_on(version.withdrawn_at.date()) < 18
                    assert version.withdrawn_by_guardian_id in responsible[youth.pk]


def test_the_reminders_reach_the_followers_of_the_expiring_and_the_lapsed_consent(built: demo.Demo) -> None:
    assert services.consents_expiring_notify(today=DEMO_TODAY) >= 1
    assert services.consents_lapse_at_18(today=DEMO_TODAY) >= 1
    expiring = Notification.objects.filter(kind="consent_expiring")
    assert "follower@demo.laget.no" in {n.recipient.email for n in expiring}
    assert Notification.objects.filter(kind="consent_lapsed_18").exists()


def test_a_second_run_adds_and_changes_nothing(built: demo.Demo) -> None:
    def contents() -> list[tuple[object, ...]]:
        return [
            *Consent.objects.order_by("pk").values_list("pk", "youth", "purpose", "created_by", "created_at"),
            *ConsentVersion.objects.order_by("pk").values_list("pk", "consent", "number", "document", "recorded_at"),
            *ConsentAnswer.objects.order_by("pk").values_list("pk", "version", "guardian", "answer"),
            *ConsentVersion.units.through.objects.order_by("pk").values_list("pk", "consentversion", "unit"),
            *LegalBasisUse.objects.order_by("pk").values_list("pk", "youth", "starts_at", "until", "created_at"),
        ]

    before = contents()
    steps.build(seed=2026)
    assert contents() == before
