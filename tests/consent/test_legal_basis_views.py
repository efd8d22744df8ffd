"""Sharing without consent on a legal basis: the page to record a use for a youth, the uses on
the youth's consent page, and the leader's review. Wiring: status codes, templates, access
(outsider 404, no right 403, non-leader 403 on the review), 400 with what was typed kept, the
audit entries and the leader's notification."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.models import Youth
from consent.models import LegalBasis, LegalBasisUse
from core.models import AuditEvent, Notification
from org.models import StaffRole, Unit

from ..conftest import sign_in
from ..factories import StaffRoleFactory, TOTPDeviceFactory, UnitFactory, UserFactory
from .conftest import OSLO, World

pytestmark = pytest.mark.django_db

SIXTEEN = datetime.date(2010, 1, 15)
REASON = "Ungdommen forteller om vold fra stefar i helgen; meldt barnevernet samme dag."


@pytest.fixture
def barnevern(world: World) -> Unit:
    return UnitFactory(
        name="Barnevernstjenesten i bydel Bjerke", district=world.people.unit.district, kind=Unit.Kind.BARNEVERN
    )


def _basis(code: str = "barnevernsloven-13-2") -> LegalBasis:
    return LegalBasis.objects.get(code=code)


def _data(unit: Unit, **extra: Any) -> dict[str, Any]:
    return {
        "basis": str(_basis().pk),
        "categories": ["identity_contact", "family"],
        "unit": str(unit.pk),
        "reason": REASON,
        "until": "",
    } | extra


def test_an_outsider_gets_404_on_the_legal_basis_page(as_user, world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    client = as_user(world.people.outsider)
    assert client.get(f"/samtykke/{youth.pk}/lovgrunnlag/ny/").status_code == 404
    assert client.post(f"/samtykke/{youth.pk}/lovgrunnlag/ny/", _data(barnevern)).status_code == 404
    assert client.get("/samtykke/999999/lovgrunnlag/ny/").status_code == 404
    assert not LegalBasisUse.objects.exists()


def test_someone_who_sees_the_youth_without_a_role_in_force_gets_403(as_user, world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    former = StaffRoleFactory(
        unit=world.people.police_unit, role=StaffRole.Role.POLICE_CONTACT, ends_on=datetime.date(2026, 1, 31)
    ).user
    TOTPDeviceFactory(user=former)
    assign_perm("cases.view_youth", former, youth)  # a team grant not yet taken away
    client = as_user(former)
    assert client.get(f"/samtykke/{youth.pk}/").status_code == 200
    assert f"/samtykke/{youth.pk}/lovgrunnlag/ny/" not in client.get(f"/samtykke/{youth.pk}/").content.decode()
    assert client.get(f"/samtykke/{youth.pk}/lovgrunnlag/ny/").status_code == 403
    assert client.post(f"/samtykke/{youth.pk}/lovgrunnlag/ny/", _data(barnevern)).status_code == 403
    assert not LegalBasisUse.objects.exists()


def test_the_page_shows_the_catalogue_with_each_description(as_user, world: World) -> None:
    youth = world.youth(SIXTEEN)
    client = as_user(world.people.follower)
    listing = client.get(f"/samtykke/{youth.pk}/")
    assert f'href="/samtykke/{youth.pk}/lovgrunnlag/ny/"' in listing.content.decode()
    page = client.get(f"/samtykke/{youth.pk}/lovgrunnlag/ny/")
    assert page.status_code == 200
    assert "consent/legal_basis_form.html" in [t.name for t in page.templates]
    body = page.content.decode()
    for basis in LegalBasis.objects.filter(active=True):
        assert basis.law_reference in body
        assert basis.description in body
    assert '<textarea name="reason"' in body
    assert 'for="id_reason"' in body


def test_a_reason_that_is_too_short_gives_the_form_back_with_what_was_typed(
    as_user, world: World, barnevern: Unit
) -> None:
    youth = world.youth(SIXTEEN)
    client = as_user(world.people.follower)
    response = client.post(f"/samtykke/{youth.pk}/lovgrunnlag/ny/", _data(barnevern, reason="Vold hjemme."))
    assert response.status_code == 400
    form = response.context["form"]
    assert "reason" in form.errors
    body = response.content.decode()
    assert "Vold hjemme.</textarea>" in body
    assert f'<option value="{barnevern.pk}" selected>' in body
    assert form["basis"].value() == str(_basis().pk)
    assert sorted(form["categories"].value()) == ["family", "identity_contact"]
    assert not LegalBasisUse.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.legal_basis_used").exists()
    assert not Notification.objects.exists()


def test_a_service_the_basis_does_not_allow_is_refused_on_the_field(as_user, world: World) -> None:
    youth = world.youth(SIXTEEN)
    response = as_user(world.people.follower).post(f"/samtykke/{youth.pk}/lovgrunnlag/ny/", _data(world.school))
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not LegalBasisUse.objects.exists()


def test_a_use_is_recorded_audited_listed_and_reviewed_by_the_leader(as_user, world: World, barnevern: Unit) -> None:
    youth = world.youth(SIXTEEN)
    follower = as_user(world.people.follower)
    response = follower.post(f"/samtykke/{youth.pk}/lovgrunnlag/ny/", _data(barnevern, until="2026-03-05T16:00"))
    assert response.status_code == 302, response.content
    assert response["Location"] == f"/samtykke/{youth.pk}/"
    use = LegalBasisUse.objects.get()
    assert (use.actor, use.youth, use.unit, use.categories) == (
        world.people.follower,
        youth,
        barnevern,
        ["family", "identity_contact"],
    )
    assert use.until == datetime.datetime(2026, 3, 5, 16, 0, tzinfo=OSLO)
    event = AuditEvent.objects.get(action="consent.legal_basis_used")
    assert (event.actor, event.youth_id, event.detail["reason"]) == (world.people.follower, youth.pk, REASON)

    listing = follower.get(f"/samtykke/{youth.pk}/")
    [row] = listing.context["uses"]
    assert (row.use, row.in_force) == (use, True)
    body = listing.content.decode()
    assert REASON in body
    assert "barnevernsloven § 13-2" in body
    assert barnevern.name in body

    [notice] = Notification.objects.filter(kind="legal_basis_used")
    assert (notice.recipient, notice.url) == (world.people.leader, "/samtykke/lovgrunnlag/")

    leader = sign_in(Client(), world.people.leader)
    review = leader.get(notice.url)
    assert review.status_code == 200
    assert "consent/legal_basis_review.html" in [t.name for t in review.templates]
    [reviewed] = review.context["rows"]
    assert (reviewed.use, reviewed.in_force) == (use, True)
    page = review.content.decode()
    assert REASON in page
    assert f'href="/samtykke/{youth.pk}/">{youth.display_name}</a>' in page
    seen = AuditEvent.objects.get(action="consent.legal_basis_reviewed")
    assert (seen.actor, seen.detail) == (world.people.leader, {"page": 1, "uses": [use.pk], "youths": [youth.pk]})


def test_a_non_leader_gets_403_on_the_review(world: World) -> None:
    for person in (world.people.follower, world.people.teammate, world.people.outsider, world.people.police):
        assert sign_in(Client(), person).get("/samtykke/lovgrunnlag/").status_code == 403, person
    assert not AuditEvent.objects.filter(action="consent.legal_basis_reviewed").exists()


def test_the_leader_home_page_links_to_the_review(as_user, world: World) -> None:
    assert 'href="/samtykke/lovgrunnlag/"' in as_user(world.people.leader).get("/").content.decode()


def test_a_leader_who_may_not_see_the_youth_sees_the_name_without_a_link(as_user, world: World) -> None:
    youth = world.youth(SIXTEEN)
    use = LegalBasisUse.objects.create(
        basis=_basis("straffeloven-196"),
        youth=youth,
        actor=world.people.follower,
        unit=world.people.police_unit,
        categories=["identity_contact", "police"],
        reason="Konkrete trusler om grov vold mot en medelev i morgen.",
        starts_at=timezone.now() - datetime.timedelta(days=10),
        until=timezone.now() - datetime.timedelta(days=3),
    )
    TOTPDeviceFactory(user=world.police_leader)
    review = as_user(world.police_leader).get("/samtykke/lovgrunnlag/")
    assert review.status_code == 200
    [row] = review.context["rows"]
    assert (row.use, row.in_force) == (use, False)
    page = review.content.decode()
    assert youth.display_name in page
    assert f"/samtykke/{youth.pk}/" not in page


def _uses(world: World, youth: Youth, count: int) -> list[LegalBasisUse]:
    now = timezone.now()
    return LegalBasisUse.objects.bulk_create(
        LegalBasisUse(
            basis=_basis("straffeloven-196"),
            youth=youth,
            actor=world.people.follower,
            unit=world.people.police_unit,
            categories=["police"],
            reason=f"Bruk nummer {i}: konkrete trusler om vold.",
            starts_at=now - datetime.timedelta(hours=count - i),
            until=now + datetime.timedelta(days=1),
        )
        for i in range(count)
    )


def test_the_review_shows_fifty_a_page_newest_first_in_few_queries(
    as_user, world: World, django_assert_max_num_queries: Any
) -> None:
    youths = [world.youth(SIXTEEN) for _ in range(3)]
    for youth in youths:
        _uses(world, youth, 17)  # 51 uses
    client = as_user(world.people.leader)
    with django_assert_max_num_queries(20):
        first = client.get("/samtykke/lovgrunnlag/")
    rows = first.context["rows"]
    assert len(rows) == 50
    starts = [row.use.starts_at for row in rows]
    assert starts == sorted(starts, reverse=True)
    assert first.context["page"].paginator.num_pages == 2
    second = client.get("/samtykke/lovgrunnlag/?side=2")
    assert len(second.context["rows"]) == 1
    assert AuditEvent.objects.filter(action="consent.legal_basis_reviewed").count() == 2


def test_a_user_without_roles_is_refused_the_review(as_user, world: World) -> None:
    nobody = UserFactory()
    TOTPDeviceFactory(user=nobody)
    assert as_user(nobody).get("/samtykke/lovgrunnlag/").status_code == 403
