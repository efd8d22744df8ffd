"""The consent pages: the list with each consent's state, recording a consent or a refusal,
the version history, and withdrawal. Wiring: status codes, templates, access (outsider 404,
no right 403), and that a broken rule gives the form back with status 400 and what was typed
kept (except the file)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from guardian.shortcuts import assign_perm

from cases.models import Youth
from consent.models import Consent, ConsentVersion
from core.models import AuditEvent

from .conftest import World, responsible

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _post_data(world: World, youth: Youth, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "purpose": "Skolen og oppfølgeren samarbeider om oppmøte",
        "categories": ["identity_contact", "school"],
        "units": [str(world.school.pk)],
        "form": "oral",
        "valid_from": "2026-03-02",
        "valid_to": "2027-03-01",
    }
    for guardian in responsible(youth):
        data[f"guardian_{guardian.pk}"] = "given"
    return data | extra


def _pages(youth: Youth, consent: Consent) -> list[str]:
    return [
        f"/samtykke/{youth.pk}/",
        f"/samtykke/{youth.pk}/ny/",
        f"/samtykke/samtykke/{consent.pk}/",
        f"/samtykke/samtykke/{consent.pk}/trekk-tilbake/",
    ]


def test_an_outsider_gets_404_on_every_consent_page(as_user, world: World, record: Callable[..., Any]) -> None:
    youth = world.youth(datetime.date(2010, 5, 1))
    consent = record(youth).consent
    client = as_user(world.people.outsider)
    for url in _pages(youth, consent):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"who": "youth", "reason": "Nei"}).status_code in (404, 405), url
    assert client.get("/samtykke/samtykke/999999/").status_code == 404
    assert ConsentVersion.objects.count() == 1


def test_the_follower_records_a_written_consent_with_a_pdf_and_sees_it_listed(as_user, world: World) -> None:
    youth = world.youth(datetime.date(2010, 5, 1))  # 15 today
    client = as_user(world.people.follower)
    page = client.get(f"/samtykke/{youth.pk}/ny/")
    assert page.status_code == 200
    assert "consent/consent_form.html" in [t.name for t in page.templates]
    assert 'enctype="multipart/form-data"' in page.content.decode()
    document = SimpleUploadedFile("samtykke.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/samtykke/{youth.pk}/ny/", _post_data(world, youth, form="written", youth_answer="given", document=document)
    )
    assert response.status_code == 302, response.content
    version = ConsentVersion.objects.get(consent__youth=youth)
    assert response["Location"] == f"/samtykke/samtykke/{version.consent_id}/"
    assert (version.form, version.age_rule, version.recorded_by) == ("written", "from_15", world.people.follower)
    assert version.document.name.endswith(".pdf")
    assert version.answers.count() == 3
    listing = client.get(f"/samtykke/{youth.pk}/")
    assert listing.status_code == 200
    assert "consent/consent_list.html" in [t.name for t in listing.templates]
    [row] = listing.context["rows"]
    assert row.state == "in_force"
    assert "Skolen og oppfølgeren samarbeider om oppmøte" in listing.content.decode()
    assert AuditEvent.objects.filter(action="youth.consents_viewed", object_id=str(youth.pk)).exists()
    assert client.get(f"/samtykke/samtykke/{version.consent_id}/").status_code == 200


def test_a_png_named_pdf_is_refused_and_nothing_is_saved(as_user, world: World) -> None:
    youth = world.youth(datetime.date(2010, 5, 1))
    client = as_user(world.people.follower)
    document = SimpleUploadedFile("samtykke.pdf", PNG, content_type="application/pdf")
    response = client.post(
        f"/samtykke/{youth.pk}/ny/", _post_data(world, youth, form="written", youth_answer="given", document=document)
    )
    assert response.status_code == 400
    assert "document" in response.context["form"].errors
    assert response.context["file_lost"]
    assert not Consent.objects.exists()
    assert not ConsentVersion.objects.exists()


def test_an_under_15_consent_without_the_youths_view_is_refused_keeping_the_purpose(as_user, world: World) -> None:
    youth = world.youth(datetime.date(2013, 6, 1))  # 12 today
    client = as_user(world.people.follower)
    data = _post_data(world, youth, purpose="Helsesykepleier og oppfølger deler om søvn")
    response = client.post(f"/samtykke/{youth.pk}/ny/", data)
    assert response.status_code == 400
    assert "youth_view" in response.context["form"].errors
    assert "Helsesykepleier og oppfølger deler om søvn</textarea>" in response.content.decode()
    assert not Consent.objects.exists()
    data["youth_view"] = "Synes det er greit."
    assert client.post(f"/samtykke/{youth.pk}/ny/", data).status_code == 302


def test_withdrawal_creates_a_new_version_and_the_list_shows_it_withdrawn(
    as_user, world: World, record: Callable[..., Any]
) -> None:
    youth = world.youth(datetime.date(2010, 5, 1))
    consent = record(youth).consent
    guardian = responsible(youth)[0]
    client = as_user(world.people.follower)
    confirm = client.get(f"/samtykke/samtykke/{consent.pk}/trekk-tilbake/")
    assert confirm.status_code == 200
    assert "consent/consent_withdraw.html" in [t.name for t in confirm.templates]
    empty = client.post(f"/samtykke/samtykke/{consent.pk}/trekk-tilbake/", {"who": f"guardian_{guardian.pk}"})
    assert empty.status_code == 400
    response = client.post(
        f"/samtykke/samtykke/{consent.pk}/trekk-tilbake/",
        {"who": f"guardian_{guardian.pk}", "reason": "Mor ringte og trakk samtykket."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/samtykke/{youth.pk}/"
    latest = ConsentVersion.objects.filter(consent=consent).order_by("-number").first()
    assert latest is not None
    assert (latest.number, latest.event, latest.withdrawn_by_guardian) == (2, "withdrawn", guardian)
    [row] = client.get(f"/samtykke/{youth.pk}/").context["rows"]
    assert row.state == "withdrawn"
    history = client.get(f"/samtykke/samtykke/{consent.pk}/")
    assert [v.version.number for v in history.context["row"].versions] == [2, 1]
    assert "Mor ringte og trakk samtykket." in history.content.decode()


def test_a_member_without_the_right_gets_403_when_recording(as_user, world: World) -> None:
    youth = world.youth(datetime.date(2010, 5, 1))
    # The police contact sees the youth through a team grant, but is not on the follow-up.
    assign_perm("cases.view_youth", world.people.police, youth)
    client = as_user(world.people.police)
    assert client.get(f"/samtykke/{youth.pk}/").status_code == 200
    assert client.get(f"/samtykke/{youth.pk}/ny/").status_code == 403
    response = client.post(f"/samtykke/{youth.pk}/ny/", _post_data(world, youth, youth_answer="given"))
    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_the_youth_page_links_to_the_consents(as_user, world: World) -> None:
    youth = world.youth(datetime.date(2010, 5, 1))
    page = as_user(world.people.follower).get(f"/ungdommer/{youth.pk}/")
    assert f'href="/samtykke/{youth.pk}/"' in page.content.decode()
