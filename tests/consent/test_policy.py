"""The sharing policy: who sees which category of a youth's information, and why."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

import pytest
import time_machine

from cases.models import Contact, FollowUp, FollowUpAssignment, Youth
from consent import policy, services
from consent.models import Category, ConsentVersion, LegalBasis
from core.models import User

from .conftest import GIVEN, OSLO, REFUSED, TODAY, World, all_given, responsible

pytestmark = pytest.mark.django_db

STATES = [
    "active",
    "expiring_but_valid",
    "expired",
    "withdrawn",
    "refused_by_one_guardian",
    "guardian_given_after_18th_birthday",
    "not_covering_the_service",
]
VALID = {"active", "expiring_but_valid"}


def _consent_in_state(state: str, world: World, record: Callable[..., ConsentVersion]) -> Youth:
    """A youth whose one consent (identity and health, to the school) is in `state` today."""
    sixteen = datetime.date(2009, 6, 1)
    if state == "active":
        youth = world.youth(sixteen)
        record(youth)
    elif state == "expiring_but_valid":
        youth = world.youth(sixteen)
        record(youth, valid_to=TODAY + datetime.timedelta(days=10))
    elif state == "expired":
        youth = world.youth(sixteen)
        record(youth, valid_from=datetime.date(2025, 3, 1), valid_to=TODAY - datetime.timedelta(days=1))
    elif state == "withdrawn":
        youth = world.youth(sixteen)
        version = record(youth)
        services.consent_withdraw(
            actor=world.people.follower, consent=version.consent, party="youth", reason="Vil ikke lenger."
        )
    elif state == "refused_by_one_guardian":
        youth = world.youth(datetime.date(2012, 6, 1))
        mother, father = responsible(youth)
        record(youth, guardian_answers={mother: GIVEN, father: REFUSED})
    elif state == "guardian_given_after_18th_birthday":
        youth = world.youth(datetime.date(2008, 2, 1))  # 18 on 1 February 2026
        record(youth, valid_from=datetime.date(2025, 9, 1))
    elif state == "not_covering_the_service":
        youth = world.youth(sixteen)
        record(youth, units=[world.outreach])
    else:
        raise AssertionError(state)
    return youth


# (who, category, allowed when the consent is valid, allowed when it is not)
CASES = [
    ("school_contact", "health", True, False),
    ("school_contact", "identity_contact", True, False),
    ("school_contact", "school", False, False),  # the consent does not cover school
    ("follower", "identity_contact", True, True),  # own service: the unit holds the follow-up
    ("follower", "health", False, False),  # the follow-up team is not a receiving service
    ("police", "health", False, False),
    ("police", "identity_contact", False, False),
    ("outsider", "identity_contact", False, False),
]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("who", "category", "if_valid", "if_not"), CASES)
def test_sharing_matrix(
    world: World,
    record: Callable[..., ConsentVersion],
    state: str,
    who: str,
    category: str,
    if_valid: bool,
    if_not: bool,
) -> None:
    youth = _consent_in_state(state, world, record)
    user = getattr(world, who, None) or getattr(world.people, who)
    decision = policy.decide(user, youth, category)
    expected = if_valid if state in VALID else if_not
    assert decision.allowed is expected, (state, who, category, decision)
    assert decision.withheld is not expected
    if expected and who == "follower":
        assert decision.reason == policy.OWN_SERVICE
    elif expected:
        assert decision.reason == policy.CONSENT
        assert decision.consent_version_id is not None
        assert decision.unit_id == world.school.pk
    else:
        assert decision.reason == policy.NO_BASIS


def test_a_guardian_consent_counts_until_the_day_before_the_18th_birthday(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2008, 2, 1))
    record(youth, valid_from=datetime.date(2025, 9, 1))
    assert policy.decide(world.school_contact, youth, "health", on=datetime.date(2026, 1, 31)).allowed
    assert policy.decide(world.school_contact, youth, "health", on=datetime.date(2026, 2, 1)).withheld


def test_a_consent_of_an_adult_given_alone_does_not_lapse(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(datetime.date(2007, 6, 1))
    version = record(youth)
    assert version.age_rule == ConsentVersion.AgeRule.ADULT
    assert policy.decide(world.school_contact, youth, "health").allowed


def test_withdrawal_takes_effect_at_once(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(datetime.date(2009, 6, 1))
    version = record(youth)
    assert policy.decide(world.school_contact, youth, "health").allowed
    services.consent_withdraw(
        actor=world.people.leader, consent=version.consent, party="youth", reason="Sa nei i samtale i dag."
    )
    assert policy.decide(world.school_contact, youth, "health").withheld
    assert policy.decide(world.school_contact, youth, "health", on=datetime.date(2026, 2, 1)).withheld


def test_a_narrower_revision_closes_what_it_leaves_out(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(datetime.date(2009, 6, 1))
    version = record(youth)
    services.consent_revise(
        actor=world.people.follower,
        consent=version.consent,
        categories=["identity_contact"],
        units=[world.school],
        form="oral",
        valid_from=TODAY,
        valid_to=datetime.date(2026, 12, 31),
        youth_answer=GIVEN,
        guardian_answers=all_given(youth),
    )
    assert policy.decide(world.school_contact, youth, "identity_contact").allowed
    assert policy.decide(world.school_contact, youth, "health").withheld


def _contact(youth: Youth, followup: FollowUp, author: User, life_areas: list[str]) -> Contact:
    return Contact.objects.create(
        youth=youth,
        followup=followup,
        author=author,
        occurred_at=datetime.datetime(2026, 2, 20, 18, 0, tzinfo=OSLO),
        duration_minutes=30,
        kind="conversation",
        participants=["youth"],
        life_areas=life_areas,
        text="Notat",
    )


def test_contacts_carry_the_categories_of_their_life_areas(world: World) -> None:
    youth = world.youth(datetime.date(2009, 6, 1))
    followup = youth.followups.get()
    contact = _contact(youth, followup, world.people.follower, ["health", "friends", "housing_economy"])
    assert policy.categories_of_contact(contact) == {"identity_contact", "health", "family"}
    assert policy.categories_of_contact(_contact(youth, followup, world.people.follower, [])) == {"identity_contact"}


def _visible(user: User, youth: Youth, items: Iterable[Contact]) -> list[Contact]:
    return policy.viewer(user, youth).filter(items, policy.categories_of_contact, policy.source_of_item)


def test_filter_visible_shows_an_item_only_when_all_its_categories_are_open(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(datetime.date(2009, 6, 1))
    record(youth)  # identity and health to the school
    followup = youth.followups.get()
    health = _contact(youth, followup, world.people.follower, ["health"])
    school = _contact(youth, followup, world.people.follower, ["school", "health"])
    items = Contact.objects.filter(youth=youth).select_related("followup__unit").order_by("id")
    assert _visible(world.school_contact, youth, items) == [health]
    # The follow-up team sees everything its own staff recorded.
    assert _visible(world.people.follower, youth, items) == [health, school]
    assert _visible(world.people.outsider, youth, items) == []


def _outreach_note(world: World) -> tuple[Youth, Contact]:
    youth = world.youth(datetime.date(2009, 6, 1))
    youth.followups.update(state="closed", ended_on=TODAY, closing_reason="other_measure", closing_summary="Videre.")
    followup = FollowUp.objects.create(youth=youth, unit=world.outreach, state="active", started_on=TODAY)
    return youth, _contact(youth, followup, world.outreach_worker, ["substance_use"])


def test_outreach_notes_do_not_reach_the_police_on_a_legal_basis(world: World) -> None:
    youth, note = _outreach_note(world)
    basis = LegalBasis.objects.get(code="straffeloven-196")
    basis.categories = [*basis.categories, Category.SUBSTANCE_USE]
    basis.save()
    services.legal_basis_use(
        actor=world.people.police,
        youth=youth,
        basis=basis,
        categories=["identity_contact", "substance_use"],
        reason="Konkret informasjon om planlagt grovt ran i helgen.",
    )
    notes = Contact.objects.filter(pk=note.pk).select_related("followup__unit")
    assert _visible(world.people.police, youth, notes) == []
    # The same legal basis opens what was not recorded by outreach workers.
    assert policy.decide(world.people.police, youth, "substance_use").reason == policy.LEGAL_BASIS


def test_outreach_notes_reach_the_police_when_a_consent_names_the_police_unit_and_says_so(
    world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth, note = _outreach_note(world)
    notes = Contact.objects.filter(pk=note.pk).select_related("followup__unit")
    # The outreach worker records it: the follow-up has moved to the outreach service, and only
    # the unit of the open follow-up works it (cases.policy).
    worker = world.outreach_worker
    FollowUpAssignment.objects.create(
        followup=youth.followups.get(unit=world.outreach), user=worker, role="lead", starts_on=TODAY
    )
    record(youth, categories=["identity_contact", "substance_use"], units=[world.school], actor=worker)
    assert _visible(world.people.police, youth, notes) == []
    record(youth, categories=["identity_contact", "substance_use"], units=[world.people.police_unit], actor=worker)
    assert _visible(world.people.police, youth, notes) == []  # an ordinary consent does not say so
    record(
        youth,
        categories=["identity_contact", "substance_use"],
        units=[world.people.police_unit],
        outreach_notes_to_police=True,
        actor=worker,
    )
    assert _visible(world.people.police, youth, notes) == [note]
    assert _visible(world.outreach_worker, youth, notes) == [note]


def test_a_legal_basis_use_ends_by_itself(world: World) -> None:
    youth = world.youth(datetime.date(2009, 6, 1))
    services.legal_basis_use(
        actor=world.people.police,
        youth=youth,
        basis=LegalBasis.objects.get(code="straffeloven-196"),
        categories=["police"],
        reason="Trusler om alvorlig vold mot en annen ungdom.",
    )
    assert policy.decide(world.people.police, youth, "police").allowed
    assert policy.decide(world.people.police, youth, "health").withheld
    with time_machine.travel(datetime.datetime(2026, 3, 9, 12, 1, tzinfo=OSLO), tick=False):
        assert policy.decide(world.people.police, youth, "police").withheld


def test_an_unknown_category_is_a_programming_error(world: World) -> None:
    youth = world.youth(datetime.date(2009, 6, 1))
    with pytest.raises(ValueError, match="unknown category"):
        policy.decide(world.people.follower, youth, "shoe_size")
