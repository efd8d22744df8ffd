"""Revising a consent (a new version, the old ones kept) and downloading a version's signed
form (only to those who may see the youth, audited, never from a public URL). Wiring: status
codes, templates, access (outsider 404, no right 403), headers, and that a broken rule gives the
form back with status 400 and what was typed kept."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.static import serve
from guardian.shortcuts import assign_perm

from cases.models import Youth
from consent import services
from consent.models import ConsentVersion
from core.models import AuditEvent

from .conftest import World, all_given, responsible

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SIXTEEN = datetime.date(2010, 1, 15)


def _written(
    record: Callable[..., ConsentVersion], youth: Youth, content: bytes = PDF, name: str = "skjema.pdf"
) -> Any:
    return record(youth, form="written", document=SimpleUploadedFile(name, content))


def _revise_data(youth: Youth, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "categories": ["identity_contact", "health", "school"],
        "units": [],
        "form": "oral",
        "valid_from": "2026-03-02",
        "valid_to": "2026-12-31",
        "youth_answer": "given",
    }
    for guardian in responsible(youth):
        data[f"guardian_{guardian.pk}"] = "given"
    return data | extra


# --- access ----------------------------------------------------------------------------------


def test_an_outsider_gets_404_on_the_revise_page_and_the_signed_form(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    consent = _written(record, youth).consent
    client = as_user(world.people.outsider)
    for url in (f"/samtykke/samtykke/{consent.pk}/endre/", f"/samtykke/samtykke/{consent.pk}/skjema/1/"):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/samtykke/samtykke/{consent.pk}/endre/", _revise_data(youth, units=[world.school.pk]))
    assert response.status_code == 404
    assert ConsentVersion.objects.filter(consent=consent).count() == 1
    assert not AuditEvent.objects.filter(action="consent.document_downloaded").exists()
    assert client.get("/samtykke/samtykke/999999/skjema/1/").status_code == 404


def test_a_team_member_who_sees_the_youth_may_not_revise(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    consent = record(youth).consent
    assign_perm("cases.view_youth", world.people.police, youth)
    client = as_user(world.people.police)
    # The version history names the guardians and holds the signed forms: for the follow-up team.
    assert client.get(f"/samtykke/samtykke/{consent.pk}/").status_code == 403
    assert client.get(f"/samtykke/samtykke/{consent.pk}/skjema/1/").status_code == 403
    listing = client.get(f"/samtykke/{youth.pk}/").content.decode()
    assert f"/samtykke/samtykke/{consent.pk}/" not in listing
    assert "Forelder1" not in listing
    assert client.get(f"/samtykke/samtykke/{consent.pk}/endre/").status_code == 403
    response = client.post(f"/samtykke/samtykke/{consent.pk}/endre/", _revise_data(youth, units=[world.school.pk]))
    assert response.status_code == 403
    assert ConsentVersion.objects.filter(consent=consent).count() == 1


# --- revise ----------------------------------------------------------------------------------


def test_the_revise_page_is_filled_in_from_the_current_version(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    version = record(youth, categories=["identity_contact", "health"], units=[world.school, world.outreach])
    client = as_user(world.people.follower)
    detail = client.get(f"/samtykke/samtykke/{version.consent_id}/")
    assert f'href="/samtykke/samtykke/{version.consent_id}/endre/"' in detail.content.decode()
    page = client.get(f"/samtykke/samtykke/{version.consent_id}/endre/")
    assert page.status_code == 200
    assert "consent/consent_revise.html" in [t.name for t in page.templates]
    form = page.context["form"]
    assert "purpose" not in form.fields
    assert form.initial["categories"] == ["health", "identity_contact"]
    assert sorted(form.initial["units"]) == sorted([world.school.pk, world.outreach.pk])
    assert form.initial["valid_from"] == datetime.date(2026, 3, 2)
    assert form.initial["valid_to"] == version.valid_to
    assert form.initial["youth_answer"] == "given"
    assert all(form.initial[f"guardian_{g.pk}"] == "given" for g in responsible(youth))
    assert version.consent.purpose in page.content.decode()


def test_a_revision_makes_a_new_version_and_keeps_the_old_one(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    first = record(youth, categories=["identity_contact", "health"], units=[world.school])
    client = as_user(world.people.follower)
    response = client.post(
        f"/samtykke/samtykke/{first.consent_id}/endre/",
        _revise_data(youth, units=[world.school.pk, world.outreach.pk]),
    )
    assert response.status_code == 302, response.content
    assert response["Location"] == f"/samtykke/samtykke/{first.consent_id}/"
    versions = list(ConsentVersion.objects.filter(consent_id=first.consent_id).order_by("number"))
    assert [(v.number, v.event) for v in versions] == [(1, "recorded"), (2, "revised")]
    old, new = versions
    assert (old.pk, old.categories, [u.pk for u in old.units.all()]) == (
        first.pk,
        ["health", "identity_contact"],
        [world.school.pk],
    )
    assert new.categories == ["health", "identity_contact", "school"]
    assert {u.pk for u in new.units.all()} == {world.school.pk, world.outreach.pk}
    assert new.recorded_by == world.people.follower
    assert AuditEvent.objects.filter(action="consent.revised", youth_id=youth.pk).exists()
    history = client.get(f"/samtykke/samtykke/{first.consent_id}/")
    newest, oldest = history.context["row"].versions
    assert (newest.version.number, oldest.version.number) == (2, 1)
    assert len(newest.changes) == 3  # a category and a receiving service added; valid from today
    assert world.outreach.name in history.content.decode()


def test_a_revision_that_breaks_a_rule_is_shown_again_with_what_was_typed(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    first = record(youth)
    client = as_user(world.people.follower)
    data = _revise_data(youth, units=[world.school.pk], valid_to="2026-11-30")
    _mother, father = responsible(youth)
    del data[f"guardian_{father.pk}"]
    response = client.post(f"/samtykke/samtykke/{first.consent_id}/endre/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert str(father) in " ".join(response.context["form"].non_field_errors())
    assert 'value="2026-11-30"' in body
    assert re.search(r'value="school" id="id_categories_\d+" checked', body)
    assert ConsentVersion.objects.filter(consent_id=first.consent_id).count() == 1
    assert not AuditEvent.objects.filter(action="consent.revised").exists()


def test_a_withdrawn_consent_is_not_offered_for_revision(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    consent = record(youth).consent
    services.consent_withdraw(actor=world.people.follower, consent=consent, party="youth", reason="Vil ikke mer.")
    client = as_user(world.people.follower)
    detail = client.get(f"/samtykke/samtykke/{consent.pk}/")
    assert f"/samtykke/samtykke/{consent.pk}/endre/" not in detail.content.decode()
    page = client.get(f"/samtykke/samtykke/{consent.pk}/endre/", follow=True)
    assert page.redirect_chain == [(f"/samtykke/samtykke/{consent.pk}/", 302)]
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    posted = client.post(f"/samtykke/samtykke/{consent.pk}/endre/", _revise_data(youth, units=[world.school.pk]))
    assert posted.status_code == 400
    assert posted.context["form"].non_field_errors()
    assert ConsentVersion.objects.filter(consent=consent).count() == 2


def test_the_service_refuses_to_revise_a_withdrawn_consent(world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    consent = record(youth).consent
    services.consent_withdraw(actor=world.people.follower, consent=consent, party="youth", reason="Vil ikke mer.")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.consent_revise(
            actor=world.people.follower,
            consent=consent,
            categories=["school"],
            units=[world.school],
            form="oral",
            valid_to=datetime.date(2026, 12, 31),
            youth_answer="given",
            guardian_answers=all_given(youth),
        )
    assert ConsentVersion.objects.filter(consent=consent).count() == 2


# --- the signed form -------------------------------------------------------------------------


def test_the_follower_downloads_the_signed_form_with_safe_headers_and_it_is_audited(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    version = _written(record, youth, name="Skjema for Ola Nordmann.pdf")
    client = as_user(world.people.follower)
    detail = client.get(f"/samtykke/samtykke/{version.consent_id}/")
    assert f'href="/samtykke/samtykke/{version.consent_id}/skjema/1/"' in detail.content.decode()
    response = client.get(f"/samtykke/samtykke/{version.consent_id}/skjema/1/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="samtykke-{version.consent_id}-versjon-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="consent.document_downloaded")
    assert (event.actor, event.youth_id, event.object_id) == (world.people.follower, youth.pk, str(version.pk))
    assert event.detail == {"consent": version.consent_id, "number": 1}


def test_an_image_is_served_as_an_image(as_user, world: World, record: Callable[..., ConsentVersion]) -> None:
    youth = world.youth(SIXTEEN)
    version = _written(record, youth, content=PNG, name="bilde.png")
    response = as_user(world.people.follower).get(f"/samtykke/samtykke/{version.consent_id}/skjema/1/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('-versjon-1.png"')


def test_a_version_without_a_signed_form_has_nothing_to_download(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    oral = record(youth)
    client = as_user(world.people.follower)
    assert client.get(f"/samtykke/samtykke/{oral.consent_id}/skjema/1/").status_code == 404
    assert client.get(f"/samtykke/samtykke/{oral.consent_id}/skjema/2/").status_code == 404
    assert not AuditEvent.objects.filter(action="consent.document_downloaded").exists()


def test_a_signed_form_missing_from_storage_is_a_404_not_a_server_error(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    version = _written(record, youth)
    version.document.storage.delete(version.document.name)
    response = as_user(world.people.follower).get(f"/samtykke/samtykke/{version.consent_id}/skjema/1/")
    assert response.status_code == 404


def _patterns(resolver: URLResolver) -> list[URLPattern]:
    found: list[URLPattern] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found.extend(_patterns(entry))
        else:
            found.append(entry)
    return found


def test_uploaded_files_are_not_reachable_by_any_public_url(
    as_user, world: World, record: Callable[..., ConsentVersion]
) -> None:
    youth = world.youth(SIXTEEN)
    version = _written(record, youth)
    name = version.document.name
    assert name.startswith("consent/")
    client = as_user(world.people.follower)
    for url in (f"/media/{name}", f"/{name}", f"/static/{name}", f"/static/../media/{name}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert PDF not in response.content, url
    assert all(pattern.callback is not serve for pattern in _patterns(get_resolver()))
