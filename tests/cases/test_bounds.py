"""Bounds of a youth's dates and texts, on the pages and in the API (issue 11, defect 12): a task
due in year 1 or 9999, a contact far in the future, a birth date in the future and a safety note
of a megabyte are refused with the field named, nothing is saved, and nothing typed is lost."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from cases.models import Contact, FollowUp, Youth
from core.validators import NOTE_MAX

from ..conftest import People
from .helpers_records import followup_for, oslo

pytestmark = pytest.mark.django_db

NOW = oslo(2026, 3, 10, 12, 0)
MEGABYTE = "Trusler på Furuset. " * 52_429  # a little over 1 MB of text
OUT_OF_RANGE_DAYS = ("0001-01-01", "9999-12-31")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(as_user: Any, people: People) -> Client:
    """The follower calling the API in a signed-in (two-factor) session."""
    client: Client = as_user(people.follower)
    return client


@pytest.fixture
def followup(people: People) -> FollowUp:
    return followup_for(people.unit, lead=people.follower, birth_date=datetime.date(2011, 5, 17))


def _json(client: Client, method: str, url: str, data: Any) -> Any:
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def _fields_in_error(response: Any) -> set[str]:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return set(error["fields"])


# --- API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
def test_the_api_refuses_a_task_due_in_year_1_or_9999_and_saves_nothing(
    api: Client, people: People, followup: FollowUp, day: str
) -> None:
    client = api
    response = _json(
        client,
        "POST",
        f"/api/v1/youths/{followup.youth_id}/contacts/",
        {
            "occurred_at": "2026-03-09T18:00:00+01:00",
            "duration_minutes": 30,
            "kind": "conversation",
            "participants": ["youth"],
            "task": "Ring skolen",
            "task_due_on": day,
        },
    )
    assert _fields_in_error(response) == {"task_due_on"}
    assert not Contact.objects.exists()


def test_the_api_refuses_moving_a_task_to_year_9999(api: Client, people: People, followup: FollowUp) -> None:
    contact = Contact.objects.create(
        youth=followup.youth,
        followup=followup,
        author=people.follower,
        occurred_at=oslo(2026, 3, 9, 18, 0),
        duration_minutes=30,
        kind="conversation",
        task="Ring skolen",
        task_due_on=datetime.date(2026, 3, 20),
    )
    response = _json(api, "PATCH", f"/api/v1/contacts/{contact.pk}/", {"task_due_on": "9999-12-31"})
    assert _fields_in_error(response) == {"task_due_on"}
    contact.refresh_from_db()
    assert (contact.task_due_on, contact.version) == (datetime.date(2026, 3, 20), 1)


@pytest.mark.parametrize(
    "when", ["9999-12-31T23:00:00+01:00", "9999-12-31T23:59:00-05:00", "2027-03-10T12:00:00+01:00"]
)
def test_the_api_refuses_a_contact_far_in_the_future(api: Client, followup: FollowUp, when: str) -> None:
    response = _json(
        api,
        "POST",
        f"/api/v1/youths/{followup.youth_id}/contacts/",
        {"occurred_at": when, "duration_minutes": 30, "kind": "sms"},
    )
    assert _fields_in_error(response) == {"occurred_at"}
    assert not Contact.objects.exists()


def test_the_api_refuses_a_birth_date_in_the_future(api: Client, followup: FollowUp) -> None:
    response = _json(
        api,
        "PATCH",
        f"/api/v1/youths/{followup.youth_id}/",
        {"birth_date": "2026-03-11"},
    )
    assert _fields_in_error(response) == {"birth_date"}
    assert Youth.objects.get().birth_date == datetime.date(2011, 5, 17)


def test_the_api_refuses_a_safety_note_of_a_megabyte(api: Client, followup: FollowUp) -> None:
    response = _json(api, "PATCH", f"/api/v1/youths/{followup.youth_id}/", {"safety_notes": MEGABYTE})
    assert _fields_in_error(response) == {"safety_notes"}
    assert Youth.objects.get().safety_notes == ""
    ok = _json(api, "PATCH", f"/api/v1/youths/{followup.youth_id}/", {"safety_notes": "x" * NOTE_MAX})
    assert ok.status_code == 200, ok.content


# --- Pages --------------------------------------------------------------------------------------


def _contact_form(youth: Youth, **extra: str) -> dict[str, Any]:
    return {
        "youths": [str(youth.pk)],
        f"text_{youth.pk}": "Lang tekst som ikke må gå tapt.",
        "occurred_date": "2026-03-09",
        "occurred_time": "18:00",
        "duration_minutes": "45",
        "kind": "conversation",
        "place": "Fritidsklubben",
        "participants": ["youth"],
        "life_areas": ["school"],
        "task": "Ring skolen",
        "task_due_on": "",
        "action": "save",
        **extra,
    }


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
def test_the_page_refuses_a_task_due_in_year_1_or_9999_and_keeps_what_was_typed(
    as_user: Any, people: People, followup: FollowUp, day: str
) -> None:
    response = as_user(people.follower).post("/ungdommer/kontakter/ny/", _contact_form(followup.youth, task_due_on=day))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Velg en dato mellom 01.01.2000 og" in page
    assert "Lang tekst som ikke må gå tapt." in page
    assert 'value="Ring skolen"' in page
    assert not Contact.objects.exists()


def test_the_page_refuses_a_contact_far_in_the_future(as_user: Any, people: People, followup: FollowUp) -> None:
    response = as_user(people.follower).post(
        "/ungdommer/kontakter/ny/", _contact_form(followup.youth, occurred_date="9999-12-31", task="")
    )
    assert response.status_code == 400
    assert "Velg en dato mellom 01.01.2000 og 10.03.2026." in response.content.decode()
    assert not Contact.objects.exists()


def _youth_form(client: Client, youth: Youth, **changes: str) -> dict[str, Any]:
    form = client.get(f"/ungdommer/{youth.pk}/endre/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"birth_date": youth.birth_date.isoformat(), "needs_interpreter": "", **changes})
    return data


def test_the_page_refuses_a_birth_date_in_the_future(as_user: Any, people: People, followup: FollowUp) -> None:
    client = as_user(people.follower)
    response = client.post(
        f"/ungdommer/{followup.youth_id}/endre/",
        _youth_form(client, followup.youth, birth_date="2026-03-11", phone="99887766"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Velg en dato mellom 01.01.1990 og 10.03.2026." in page
    assert 'value="99887766"' in page
    youth = Youth.objects.get()
    assert (youth.birth_date, youth.phone) == (datetime.date(2011, 5, 17), "")


def test_the_page_refuses_a_safety_note_of_a_megabyte_and_keeps_it(
    as_user: Any, people: People, followup: FollowUp
) -> None:
    client = as_user(people.follower)
    response = client.post(
        f"/ungdommer/{followup.youth_id}/endre/", _youth_form(client, followup.youth, safety_notes=MEGABYTE)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Skriv høyst {NOTE_MAX} tegn" in page
    assert MEGABYTE.strip() in page
    assert Youth.objects.get().safety_notes == ""
