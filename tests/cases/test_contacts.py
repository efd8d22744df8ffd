"""Contact logging from a phone (the views in cases/views/contacts.py): wiring, access, drafts,
versions, deleting, and the query budget of the pages. The rules themselves are tested on the
services in test_services.py."""

from __future__ import annotations

import datetime
import json
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cases import services
from cases.models import Contact, ContactDraft, ContactVersion, FollowUpAssignment, Youth
from core.models import AuditEvent

from ..conftest import People, sign_in
from .factories import ContactFactory, followed_youth

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")

CREATE = reverse("cases:contact_create")
DRAFT_SAVE = reverse("cases:contact_draft_save")


def _past(weekday: int, hour: int) -> datetime.datetime:
    """The last `weekday` (0 Monday … 6 Sunday) at least two days ago, at `hour` in Oslo."""
    day = timezone.localdate() - datetime.timedelta(days=2)
    while day.weekday() != weekday:
        day -= datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=OSLO)


def _post_data(youths: list[Youth], when: datetime.datetime | None = None, **extra: Any) -> dict[str, Any]:
    when = when or _past(2, 10)  # a Wednesday morning: neither evening nor weekend
    data: dict[str, Any] = {
        "draft_key": str(uuid.uuid4()),
        "youths": [str(youth.pk) for youth in youths],
        "occurred_date": when.strftime("%Y-%m-%d"),
        "occurred_time": when.strftime("%H:%M"),
        "duration_minutes": "45",
        "kind": "conversation",
        "place": "Fritidsklubben",
        "participants": ["youth", "guardians"],
        "life_areas": ["school", "friends"],
        "task": "",
        "task_due_on": "",
        "action": "save",
    }
    for youth in youths:
        data[f"text_{youth.pk}"] = f"Snakket med {youth.first_name} om skolen."
    data.update(extra)
    return data


def _checked_youths(page: str) -> set[str]:
    return set(re.findall(r'name="youths" value="(\d+)" id="[^"]+" aria-controls="[^"]+" checked', page))


@pytest.fixture
def youth(people: People) -> Youth:
    """A youth the follower follows, with the teammate as family follower."""
    return followed_youth(people.unit, lead=people.follower, family=people.teammate, first_name="Ali")


@pytest.fixture
def follower(client: Client, people: People) -> Client:
    return sign_in(client, people.follower)


def _client_for(user: Any) -> Client:
    return sign_in(Client(), user)


# --- logging -----------------------------------------------------------------------------


def test_a_follower_logs_a_contact_and_it_is_audited(follower: Client, people: People, youth: Youth) -> None:
    response = follower.post(CREATE, _post_data([youth], task="Ringe skolen", task_due_on="2030-01-10"))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:contact_detail", args=[contact.pk])
    assert contact.youth == youth
    assert contact.author == people.follower
    assert contact.duration_minutes == 45
    assert contact.participants == ["youth", "guardians"]
    assert contact.life_areas == ["school", "friends"]
    assert contact.text == "Snakket med Ali om skolen."
    assert contact.task == "Ringe skolen"
    assert contact.task_due_on == datetime.date(2030, 1, 10)
    assert contact.group_id is None
    assert not contact.evening_or_weekend
    assert timezone.localtime(contact.occurred_at).hour == 10
    event = AuditEvent.objects.get(action="contact.logged")
    assert (event.actor, event.youth_id, event.object_id) == (people.follower, youth.pk, str(contact.pk))


@pytest.mark.parametrize(("weekday", "hour"), [(5, 10), (2, 20), (0, 7)], ids=["saturday", "evening", "early"])
def test_evening_and_weekend_contacts_are_marked(follower: Client, youth: Youth, weekday: int, hour: int) -> None:
    response = follower.post(CREATE, _post_data([youth], when=_past(weekday, hour)), follow=True)
    contact = Contact.objects.get()
    assert contact.evening_or_weekend
    page = response.content.decode()
    assert 'class="pkt-tag laget-contact__badge"' in page  # the mark on the contact page
    with translation.override("nb"):
        mark = gettext("It is marked as an evening or weekend contact.")
    assert [mark in str(message) for message in response.context["messages"]] == [True]


def test_a_group_contact_is_recorded_for_each_youth_with_only_its_own_note(
    follower: Client, people: People, youth: Youth
) -> None:
    others = [followed_youth(people.unit, lead=people.follower, first_name=name) for name in ("Bo", "Cy")]
    youths = [youth, *others]
    response = follower.post(CREATE, _post_data(youths))
    assert response.status_code == 302
    contacts = list(Contact.objects.order_by("youth__first_name"))
    assert len(contacts) == 3
    assert contacts[0].group_id is not None
    assert {contact.group_id for contact in contacts} == {contacts[0].group_id}
    assert [contact.text for contact in contacts] == [
        "Snakket med Ali om skolen.",
        "Snakket med Bo om skolen.",
        "Snakket med Cy om skolen.",
    ]
    assert AuditEvent.objects.filter(action="contact.logged").count() == 3


def test_a_note_for_a_youth_not_ticked_is_not_kept(follower: Client, people: People, youth: Youth) -> None:
    other = followed_youth(people.unit, lead=people.follower)
    data = _post_data([youth])
    data[f"text_{other.pk}"] = "Dette gjelder ikke denne kontakten."
    follower.post(CREATE, data)
    assert list(Contact.objects.values_list("youth_id", flat=True)) == [youth.pk]


def test_the_youth_is_preselected_when_the_form_is_opened_from_the_youths_page(
    follower: Client, people: People, youth: Youth
) -> None:
    other = followed_youth(people.unit, lead=people.follower)
    page = follower.get(reverse("cases:contact_create_for", args=[other.pk])).content.decode()
    assert _checked_youths(page) == {str(other.pk)}
    page = follower.get(f"{CREATE}?ungdom={youth.pk}").content.decode()
    assert _checked_youths(page) == {str(youth.pk)}
    page = follower.get(CREATE).content.decode()
    assert _checked_youths(page) == set()  # two youths: the follower chooses


def test_a_follower_with_one_youth_gets_that_youth_preselected(follower: Client, youth: Youth) -> None:
    response = follower.get(CREATE)
    assert response.status_code == 200
    assert _checked_youths(response.content.decode()) == {str(youth.pk)}
    now = timezone.localtime()
    form = response.context["form"]
    assert form["occurred_date"].value() == now.date()
    assert abs(
        datetime.datetime.combine(now.date(), form["occurred_time"].value()) - now.replace(tzinfo=None)
    ) < datetime.timedelta(minutes=2)


def test_a_youth_the_person_does_not_follow_is_not_preselected(client: Client, people: People, youth: Youth) -> None:
    sign_in(client, people.outsider)
    response = client.get(reverse("cases:contact_create_for", args=[youth.pk]))
    assert response.status_code == 200
    assert _checked_youths(response.content.decode()) == set()
    assert youth.display_name not in response.content.decode()
    assert response.context["refused_youth"]


def test_types_are_ordered_by_recent_use_and_the_last_used_is_chosen(
    follower: Client, people: People, youth: Youth
) -> None:
    followup = youth.followups.get()
    for kind in ("activity", "phone", "phone", "sms"):
        ContactFactory(followup=followup, author=people.follower, kind=kind)
    response = follower.get(CREATE)
    kinds = [value for value, _label in response.context["form"].fields["kind"].choices]
    assert kinds[:3] == ["sms", "phone", "activity"]  # the last used first, then by how recently
    assert set(kinds) == {"conversation", "activity", "home_visit", "school_visit", "phone", "sms", "accompanying"}
    page = response.content.decode()
    assert re.search(r'name="kind" value="sms" id="id_kind_0" checked', page)


def test_save_and_log_another_keeps_the_choices(follower: Client, people: People, youth: Youth) -> None:
    other = followed_youth(people.unit, lead=people.follower)
    data = _post_data([youth, other], action="another", kind="activity", place="Furuset senter")
    response = follower.post(CREATE, data)
    assert response.status_code == 302
    assert response["Location"] == f"{CREATE}?fortsett=1"
    response = follower.get(response["Location"])
    form = response.context["form"]
    assert form["kind"].value() == "activity"
    assert form["place"].value() == "Furuset senter"
    assert form["participants"].value() == ["youth", "guardians"]
    assert form["life_areas"].value() == ["school", "friends"]
    assert _checked_youths(response.content.decode()) == {str(youth.pk), str(other.pk)}
    assert not form[f"text_{youth.pk}"].value()
    assert str(response.context["draft_key"]) != data["draft_key"]
    assert response.context["clear_draft"] == data["draft_key"]


def test_save_and_log_another_from_the_youths_page_returns_there(follower: Client, youth: Youth) -> None:
    url = reverse("cases:contact_create_for", args=[youth.pk])
    response = follower.post(url, _post_data([youth], action="another"))
    assert response["Location"] == f"{url}?fortsett=1"


def test_validation_errors_keep_everything_typed(follower: Client, youth: Youth) -> None:
    data = _post_data([youth], duration_minutes="", kind="")
    data[f"text_{youth.pk}"] = "Lang tekst som ikke må gå tapt, skrevet i bilen."
    response = follower.post(CREATE, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Lang tekst som ikke må gå tapt, skrevet i bilen." in page
    assert 'href="#id_duration_minutes"' in page
    assert 'href="#id_kind_0"' in page
    assert 'value="Fritidsklubben"' in page
    assert f'value="{data["draft_key"]}"' in page  # the same draft continues
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"occurred_date": "2026-02-31"},
        {"occurred_date": "0001-01-01"},
        {"occurred_date": "i går"},
        {"occurred_time": "25:99"},
        {"occurred_date": "2999-01-01"},
        {"duration_minutes": "99999999999999999999"},
        {"duration_minutes": "0"},
        {"youths": ["abc"]},
        {"youths": []},
        {"kind": "séance"},
        {"participants": ["neighbour"]},
        {"participants": []},
        {"life_areas": []},
        {"task_due_on": "2030-01-01", "task": ""},
        {"place": "x" * 201},
    ],
)
def test_bad_input_is_a_form_error_never_a_crash(follower: Client, youth: Youth, bad: dict[str, Any]) -> None:
    response = follower.post(CREATE, {**_post_data([youth]), **bad})
    assert response.status_code == 400
    assert "data-error-summary" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_youth_that_does_not_exist_is_not_found_as_in_the_api(follower: Client, youth: Youth) -> None:
    response = follower.post(CREATE, {**_post_data([youth]), "youths": ["999999999"]})
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_a_damaged_draft_key_does_not_stop_the_contact(follower: Client, youth: Youth) -> None:
    response = follower.post(CREATE, _post_data([youth], draft_key="not-a-uuid"))
    assert response.status_code == 302
    assert Contact.objects.count() == 1


def test_a_person_without_youths_is_told_so(client: Client, people: People) -> None:
    response = sign_in(client, people.leader).get(CREATE)
    assert response.status_code == 200
    assert 'id="contact-form"' not in response.content.decode()


def test_the_contact_pages_need_sign_in(client: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower)
    for url in (CREATE, reverse("cases:contact_detail", args=[contact.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/logg-inn/" in response["Location"]


# --- access ------------------------------------------------------------------------------


def test_an_outsider_gets_404_on_a_contact(client: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower, task="Ringe mor")
    sign_in(client, people.outsider)
    for name in ("contact_detail", "contact_edit", "contact_delete"):
        assert client.get(reverse(f"cases:{name}", args=[contact.pk])).status_code == 404, name
    assert client.post(reverse("cases:contact_edit", args=[contact.pk]), {}).status_code == 404
    assert client.post(reverse("cases:contact_delete", args=[contact.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("cases:contact_task_done", args=[contact.pk])).status_code == 404
    contact.refresh_from_db()
    assert contact.deleted_at is None
    assert contact.task_done_at is None


def test_an_outsider_cannot_log_for_a_youth_they_do_not_follow(client: Client, people: People, youth: Youth) -> None:
    followed_youth(people.other_unit, lead=people.outsider)
    sign_in(client, people.outsider)
    response = client.post(CREATE, _post_data([youth]))
    assert response.status_code == 404  # the youth is not theirs to see, as in the API
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(action="contact.logged").exists()


def test_the_teammate_may_see_and_change_but_not_delete(client: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower)
    sign_in(client, people.teammate)
    assert client.get(reverse("cases:contact_detail", args=[contact.pk])).status_code == 200
    assert client.get(reverse("cases:contact_edit", args=[contact.pk])).status_code == 200
    assert client.get(reverse("cases:contact_delete", args=[contact.pk])).status_code == 403
    response = client.post(reverse("cases:contact_delete", args=[contact.pk]), {"reason": "Feil ungdom"})
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.deleted_at is None


def test_a_leader_deletes_a_contact_with_a_reason(client: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower)
    sign_in(client, people.leader)
    url = reverse("cases:contact_delete", args=[contact.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.deleted_at is None
    too_long = "Logget på feil ungdom. " * 200  # 4,600 characters: refused whole, never cut short
    response = client.post(url, {"reason": too_long})
    assert response.status_code == 400
    assert too_long.strip() in response.content.decode()  # what was typed is kept
    contact.refresh_from_db()
    assert contact.deleted_at is None
    response = client.post(url, {"reason": "Logget på feil ungdom"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.deleted_at is not None
    assert contact.deleted_by == people.leader
    assert contact.delete_reason == "Logget på feil ungdom"
    event = AuditEvent.objects.get(action="contact.deleted")
    assert event.detail == {"reason": "Logget på feil ungdom"}
    assert client.get(reverse("cases:contact_detail", args=[contact.pk])).status_code == 404


def test_a_leader_may_not_change_a_contact_of_someone_elses_youth(client: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower)
    sign_in(client, people.leader)
    assert client.get(reverse("cases:contact_edit", args=[contact.pk])).status_code == 403
    data = _post_data([youth], text="Endret")
    assert client.post(reverse("cases:contact_edit", args=[contact.pk]), data).status_code == 403
    assert not ContactVersion.objects.exists()


# --- the contact page, changes and versions ----------------------------------------------


def test_the_contact_page_shows_the_contact_and_is_audited(follower: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(
        followup=youth.followups.get(), author=people.follower, text="Møtte Ali på senteret.", place="Senteret"
    )
    response = follower.get(reverse("cases:contact_detail", args=[contact.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Møtte Ali på senteret." in page
    assert "Senteret" in page
    assert people.follower.full_name in page
    assert AuditEvent.objects.filter(action="contact.viewed", object_id=str(contact.pk)).exists()


def test_changing_a_contact_keeps_a_version_with_who_when_and_what(
    follower: Client, people: People, youth: Youth
) -> None:
    when = _past(2, 10)
    contact = ContactFactory(
        followup=youth.followups.get(),
        author=people.follower,
        occurred_at=when + datetime.timedelta(seconds=17),
        duration_minutes=45,
        kind="conversation",
        place="Fritidsklubben",
        participants=["youth", "guardians"],
        life_areas=["school", "friends"],
        text="Første versjon.",
    )
    url = reverse("cases:contact_edit", args=[contact.pk])
    form = follower.get(url).context["form"]
    assert form["text"].value() == "Første versjon."
    unchanged = _post_data([youth], when=when, text="Første versjon.")
    assert follower.post(url, unchanged).status_code == 302
    assert not ContactVersion.objects.exists()  # nothing changed, not even the seconds

    response = follower.post(url, {**unchanged, "text": "Andre versjon.", "kind": "activity"})
    assert response.status_code == 302
    version = ContactVersion.objects.get()
    assert version.changed_by == people.follower
    assert sorted(version.changed_fields) == ["kind", "text"]
    assert version.data["text"] == "Første versjon."
    contact.refresh_from_db()
    assert (contact.text, contact.kind, contact.version) == ("Andre versjon.", "activity", 2)
    assert AuditEvent.objects.filter(action="contact.updated").count() == 1
    page = follower.get(reverse("cases:contact_detail", args=[contact.pk])).content.decode()
    assert "Første versjon." in page
    assert people.follower.full_name in page
    assert 'class="laget-contact__version"' in page


def test_an_invalid_change_keeps_what_was_typed(follower: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower)
    data = _post_data([youth], text="Ny tekst som må bli stående.", duration_minutes="abc")
    response = follower.post(reverse("cases:contact_edit", args=[contact.pk]), data)
    assert response.status_code == 400
    assert "Ny tekst som må bli stående." in response.content.decode()
    assert not ContactVersion.objects.exists()


def test_a_task_is_marked_done_with_htmx(follower: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower, task="Ringe skolen")
    url = reverse("cases:contact_task_done", args=[contact.pk])
    assert follower.get(url).status_code == 405
    response = follower.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="contact-task"' in response.content.decode()
    assert "<html" not in response.content.decode()
    contact.refresh_from_db()
    assert contact.task_done_at is not None
    assert AuditEvent.objects.filter(action="contact.task_done").count() == 1
    response = follower.post(url)
    assert response.status_code == 302  # without htmx: back to the contact


def test_the_leader_cannot_mark_a_task_done(client: Client, people: People, youth: Youth) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower, task="Ringe skolen")
    sign_in(client, people.leader)
    assert client.post(reverse("cases:contact_task_done", args=[contact.pk])).status_code == 403


# --- drafts ------------------------------------------------------------------------------


def test_a_draft_is_saved_restored_and_discarded(follower: Client, people: People, youth: Youth) -> None:
    key = uuid.uuid4()
    data = _post_data([youth], draft_key=str(key))
    data[f"text_{youth.pk}"] = "Halvferdig notat fra bilen"
    data["csrfmiddlewaretoken"] = "x"
    data["unknown"] = "thrown away"
    response = follower.post(DRAFT_SAVE, {**data, "key": str(key)})
    assert response.status_code == 200
    body = response.json()
    assert datetime.datetime.fromisoformat(body["saved_at"])
    assert re.search(r"\d\d:\d\d", body["status"])
    draft = ContactDraft.objects.get()
    assert (draft.owner, draft.key, draft.youth) == (people.follower, key, youth)
    assert draft.data[f"text_{youth.pk}"] == "Halvferdig notat fra bilen"
    assert draft.data["youths"] == [str(youth.pk)]
    assert "csrfmiddlewaretoken" not in draft.data
    assert "unknown" not in draft.data

    follower.post(DRAFT_SAVE, {**data, "key": str(key), f"text_{youth.pk}": "Ferdig notat"})
    assert ContactDraft.objects.get().data[f"text_{youth.pk}"] == "Ferdig notat"  # the same draft

    fresh = follower.get(CREATE)
    assert str(key) in fresh.content.decode()  # listed as an unsaved draft
    restored = follower.get(f"{CREATE}?utkast={key}")
    assert restored.status_code == 200
    assert "Ferdig notat" in restored.content.decode()
    assert restored.context["draft_key"] == key

    response = follower.post(reverse("cases:contact_draft_discard", args=[key]), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"discarded": True}
    assert not ContactDraft.objects.exists()
    assert follower.get(f"{CREATE}?utkast={key}").status_code == 404


def test_a_new_contact_starts_empty_and_offers_the_drafts_in_a_list(
    follower: Client, people: People, youth: Youth
) -> None:
    other = followed_youth(people.unit, lead=people.follower, first_name="Sara")
    key = uuid.uuid4()
    data = _post_data([youth, other], draft_key=str(key))
    data[f"text_{youth.pk}"] = ""
    data[f"text_{other.pk}"] = "Halv setning om   Sara fra   gruppa"
    follower.post(DRAFT_SAVE, {**data, "key": str(key)})

    response = follower.get(CREATE)
    page = response.content.decode()
    assert response.context["draft_key"] != key
    assert response.context["draft_state"] == "fresh"
    assert _checked_youths(page) == set()  # two youths: nothing ticked, nothing taken from the draft
    assert "Fritidsklubben" not in page.split('id="contact-form"')[1]
    (draft,) = response.context["drafts"]
    assert (draft.key, draft.youth_names, draft.hidden_youths) == (key, [youth.display_name, other.display_name], 0)
    assert draft.preview == "Halv setning om Sara fra gruppa"
    assert f'href="{CREATE}?utkast={key}"' in page
    assert reverse("cases:contact_draft_discard", args=[key]) in page

    continued = follower.get(f"{CREATE}?utkast={key}")
    assert continued.context["draft_state"] == "restored"
    assert "data-continuing" in continued.content.decode()
    assert _checked_youths(continued.content.decode()) == {str(youth.pk), str(other.pk)}
    assert continued.context["drafts"] == []


def test_a_draft_about_a_youth_the_person_can_no_longer_see_does_not_reveal_them(
    client: Client, people: People
) -> None:
    gone = followed_youth(people.other_unit, lead=people.outsider, first_name="Hemmelig", last_name="Navnesen")
    key = uuid.uuid4()
    services.draft_save(
        actor=people.outsider,
        key=key,
        data={"youths": [str(gone.pk)], f"text_{gone.pk}": "Hemmelig notat", "place": ""},
        youth=gone,
    )
    FollowUpAssignment.objects.filter(user=people.outsider).update(ends_on=timezone.localdate())  # handed over
    followed_youth(people.other_unit, lead=people.outsider, first_name="Ny")
    sign_in(client, people.outsider)
    response = client.get(CREATE)
    page = response.content.decode()
    assert "Hemmelig" not in page
    assert "Navnesen" not in page
    (draft,) = response.context["drafts"]
    assert (draft.youth_names, draft.hidden_youths, draft.preview) == ([], 1, "")
    assert "1 ungdom du ikke lenger kan se" in page


def test_discarding_without_script_returns_to_the_form(follower: Client, people: People) -> None:
    key = uuid.uuid4()
    services.draft_save(actor=people.follower, key=key, data={"place": "Parken"})
    response = follower.post(reverse("cases:contact_draft_discard", args=[key]))
    assert response.status_code == 302
    assert response["Location"] == CREATE
    assert not ContactDraft.objects.exists()


def test_saving_the_contact_deletes_its_draft(follower: Client, people: People, youth: Youth) -> None:
    data = _post_data([youth])
    follower.post(DRAFT_SAVE, {**data, "key": data["draft_key"]})
    assert ContactDraft.objects.count() == 1
    response = follower.post(CREATE, data, follow=True)
    assert response.status_code == 200
    assert not ContactDraft.objects.exists()
    assert f'data-clear-draft="{data["draft_key"]}"' in response.content.decode()  # the browser forgets it too


def test_only_the_owner_can_read_or_discard_a_draft(client: Client, people: People, youth: Youth) -> None:
    key = uuid.uuid4()
    services.draft_save(actor=people.follower, key=key, data={f"text_{youth.pk}": "Privat notat"}, youth=youth)
    sign_in(client, people.teammate)
    assert client.get(f"{CREATE}?utkast={key}").status_code == 404
    assert "Privat notat" not in client.get(CREATE).content.decode()
    response = client.post(reverse("cases:contact_draft_discard", args=[key]), HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    # Saving with the same key makes the teammate a draft of their own; the follower's is untouched.
    client.post(DRAFT_SAVE, {"key": str(key), "place": "Et annet sted"})
    assert ContactDraft.objects.get(owner=people.follower).data == {f"text_{youth.pk}": "Privat notat"}
    assert ContactDraft.objects.filter(owner=people.teammate).count() == 1


def test_a_draft_names_only_a_youth_the_person_may_log_for(client: Client, people: People, youth: Youth) -> None:
    followed_youth(people.other_unit, lead=people.outsider)
    sign_in(client, people.outsider)
    response = client.post(DRAFT_SAVE, {"key": str(uuid.uuid4()), "youths": [str(youth.pk)]})
    assert response.status_code == 200
    assert ContactDraft.objects.get().youth is None


def test_the_draft_endpoint_answers_json_when_signed_out(client: Client, people: People) -> None:
    response = client.post(DRAFT_SAVE, {"key": str(uuid.uuid4()), "place": "Parken"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"] == "signed_out"
    discard = reverse("cases:contact_draft_discard", args=[uuid.uuid4()])
    assert client.post(discard, HTTP_ACCEPT="application/json").status_code == 401
    assert client.post(discard).status_code == 302  # a plain form goes to sign-in
    assert not ContactDraft.objects.exists()


def test_the_draft_endpoint_refuses_a_bad_key_and_get(follower: Client) -> None:
    assert follower.post(DRAFT_SAVE, {"key": "nope"}).status_code == 400
    assert follower.get(DRAFT_SAVE).status_code == 405
    assert not ContactDraft.objects.exists()


def test_expired_drafts_are_neither_listed_nor_restored(follower: Client, people: People) -> None:
    key = uuid.uuid4()
    services.draft_save(actor=people.follower, key=key, data={"place": "Gammelt utkast"})
    ContactDraft.objects.update(updated_at=timezone.now() - datetime.timedelta(days=8))
    assert str(key) not in follower.get(CREATE).content.decode()
    assert follower.get(f"{CREATE}?utkast={key}").status_code == 404


# --- the query budget ----------------------------------------------------------------------


def test_the_form_page_has_a_fixed_query_budget(
    follower: Client, people: People, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        youth = followed_youth(people.unit, lead=people.follower)
        services.draft_save(actor=people.follower, key=uuid.uuid4(), data={"place": "x"}, youth=youth)
        ContactFactory(followup=youth.followups.get(), author=people.follower)
    with django_assert_max_num_queries(10):
        assert follower.get(CREATE).status_code == 200


def test_the_contact_page_has_a_fixed_query_budget(
    follower: Client, people: People, youth: Youth, django_assert_max_num_queries: Any
) -> None:
    contact = ContactFactory(followup=youth.followups.get(), author=people.follower, task="Ringe")
    for number in range(6):
        services.contact_update(actor=people.follower, contact=contact, fields={"text": f"Versjon {number}"})
    # The consent policy's facts (roles, follow-ups, consents with answers and units, legal-basis
    # uses) and the disclosure log are a fixed handful of queries on top.
    with django_assert_max_num_queries(20):
        page = follower.get(reverse("cases:contact_detail", args=[contact.pk])).content.decode()
    assert page.count('class="laget-contact__version"') == 6
