"""Minutes: saved as revisions under the template's headings, a save based on an older revision
refused with both texts kept, approval locks them and a later change is a new version; the
pages (edit with the conflict shown side by side, approve, history, PDF filtered by consent)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import translation
from pypdf import PdfReader

from cases.models import Youth
from core.models import AuditEvent
from teams.meetings import services as meeting_services
from teams.meetings.services import MinutesConflict
from teams.models import Meeting, Minutes, MinutesRevision

from ..conftest import People
from .factories_meetings import district_meeting, team_meeting, youth_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The rules are asserted on the English source messages, whatever the catalogue holds;
    tests of Norwegian output switch to nb themselves."""
    with translation.override("en"):
        yield


@pytest.fixture
def youth(people: People) -> Youth:
    # The teammate follows the family: they see (and write) the minutes because they follow the
    # youth, not because they work in the organising unit.
    return youth_with_team(
        people.unit, lead=people.follower, family=people.teammate, first_name="Søren", last_name="Øvrebø"
    )


@pytest.fixture
def meeting(people: People, youth: Youth) -> Meeting:
    return team_meeting(people.follower, youth, people.unit)


def _save(actor: Any, meeting: Meeting, base: int, **sections: str) -> MinutesRevision:
    return meeting_services.minutes_save(
        actor=actor, meeting=meeting, sections=sections, decisions="Vi møtes igjen.", base_revision=base
    )


# --- Saving and conflicts ------------------------------------------------------------------


def test_a_save_is_a_new_revision_and_is_audited(people: People, meeting: Meeting) -> None:
    first = _save(people.follower, meeting, 0, since_last="Søren har gått på skolen hver dag.")
    second = _save(people.follower, meeting, 1, school="Bedre karakterer i norsk.")

    assert (first.number, second.number) == (1, 2)
    # A heading left out keeps its text.
    assert second.sections == {
        "since_last": "Søren har gått på skolen hver dag.",
        "school": "Bedre karakterer i norsk.",
    }
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.revision, minutes.version, minutes.state) == (2, 1, Minutes.State.DRAFT)
    events = AuditEvent.objects.filter(action="minutes.saved").order_by("id")
    assert [e.detail["revision"] for e in events] == [1, 2]
    assert all(e.youth_id == meeting.youth_id for e in events)
    assert "Søren" not in str(events[0].detail)  # the text itself is not in the audit trail


def test_a_save_based_on_an_older_revision_is_refused_and_carries_theirs(people: People, meeting: Meeting) -> None:
    _save(people.follower, meeting, 0, since_last="Start.")
    theirs = _save(people.leader, meeting, 1, since_last="Lederens tekst.")

    with pytest.raises(MinutesConflict) as caught:
        _save(people.follower, meeting, 1, since_last="Følgerens tekst.")

    assert isinstance(caught.value, ValidationError)
    assert caught.value.theirs == theirs
    assert caught.value.theirs.sections["since_last"] == "Lederens tekst."
    assert Minutes.objects.get(meeting=meeting).revision == 2
    assert MinutesRevision.objects.filter(minutes__meeting=meeting).count() == 2


def test_two_writers_starting_from_empty_minutes_do_not_overwrite_each_other(people: People, meeting: Meeting) -> None:
    _save(people.follower, meeting, 0, since_last="Først.")

    with pytest.raises(MinutesConflict) as caught:
        _save(people.teammate, meeting, 0, since_last="Samtidig.")

    assert caught.value.theirs is not None
    assert caught.value.theirs.number == 1
    assert Minutes.objects.get(meeting=meeting).revisions.get().sections == {"since_last": "Først."}


def test_a_heading_not_in_the_template_is_refused(people: People, meeting: Meeting) -> None:
    with pytest.raises(ValidationError, match="not in the template"):
        _save(people.follower, meeting, 0, candidates="Dette er et inntaksmøte-felt.")

    assert not MinutesRevision.objects.exists()


def test_an_intake_meeting_has_its_own_headings(people: People) -> None:
    meeting = district_meeting(people.leader, people.unit)

    revision = _save(people.leader, meeting, 0, candidates="Tre kandidater drøftet.", capacity="To ledige plasser.")

    assert revision.sections["candidates"] == "Tre kandidater drøftet."


def test_someone_who_may_not_edit_cannot_save(people: People, meeting: Meeting) -> None:
    with pytest.raises(PermissionDenied):
        _save(people.outsider, meeting, 0, since_last="Ikke mitt møte.")
    assert not MinutesRevision.objects.exists()


def test_the_database_keeps_revisions_append_only(people: People, meeting: Meeting) -> None:
    revision = _save(people.follower, meeting, 0, since_last="Opprinnelig.")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        MinutesRevision.objects.filter(pk=revision.pk).update(decisions="Endret i det skjulte.")
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesRevision.objects.create(
            minutes=revision.minutes, number=1, version=1, sections={}, saved_by=people.follower
        )


# --- Approval and versions -----------------------------------------------------------------


def test_approving_locks_the_minutes_and_marks_the_meeting_held(people: People, meeting: Meeting) -> None:
    _save(people.follower, meeting, 0, since_last="Ferdig.")

    minutes = meeting_services.minutes_approve(actor=people.follower, meeting=meeting, base_revision=1)

    assert minutes.state == Minutes.State.APPROVED
    assert minutes.approved_by == people.follower
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.HELD
    assert AuditEvent.objects.filter(action="minutes.approved", youth_id=meeting.youth_id).exists()


def test_approving_text_someone_changed_since_is_refused(people: People, meeting: Meeting) -> None:
    _save(people.follower, meeting, 0, since_last="Første.")
    _save(people.teammate, meeting, 1, since_last="Andre.")

    with pytest.raises(MinutesConflict):
        meeting_services.minutes_approve(actor=people.leader, meeting=meeting, base_revision=1)
    assert Minutes.objects.get(meeting=meeting).state == Minutes.State.DRAFT


def test_empty_minutes_cannot_be_approved(people: People, meeting: Meeting) -> None:
    with pytest.raises(ValidationError, match="empty"):
        meeting_services.minutes_approve(actor=people.leader, meeting=meeting, base_revision=0)


def test_a_member_without_the_right_cannot_approve(people: People, meeting: Meeting) -> None:
    _save(people.follower, meeting, 0, since_last="Tekst.")

    with pytest.raises(PermissionDenied):
        meeting_services.minutes_approve(actor=people.teammate, meeting=meeting, base_revision=1)


def test_changing_approved_minutes_makes_a_new_version_and_needs_a_note(people: People, meeting: Meeting) -> None:
    _save(people.follower, meeting, 0, since_last="Versjon én.")
    meeting_services.minutes_approve(actor=people.follower, meeting=meeting, base_revision=1)

    with pytest.raises(ValidationError, match="new version"):
        _save(people.follower, meeting, 1, since_last="Uten merknad.")
    revision = meeting_services.minutes_save(
        actor=people.follower,
        meeting=meeting,
        sections={"since_last": "Versjon to."},
        decisions="",
        base_revision=1,
        change_note="Rettet et navn.",
    )

    minutes = Minutes.objects.get(meeting=meeting)
    assert (revision.version, minutes.version, minutes.state) == (2, 2, Minutes.State.DRAFT)
    assert minutes.approved_at is None
    old = MinutesRevision.objects.get(minutes=minutes, number=1)
    assert (old.version, old.sections["since_last"]) == (1, "Versjon én.")
    assert revision.change_note == "Rettet et navn."


# --- Pages ---------------------------------------------------------------------------------


def _form(meeting: Meeting, base: int, **sections: str) -> dict[str, Any]:
    return {"base_revision": base, "decisions": "", **{f"section_{k}": v for k, v in sections.items()}}


def test_the_second_save_on_the_page_is_refused_with_both_texts_and_nothing_typed_lost(
    people: People, meeting: Meeting, as_user: Any
) -> None:
    url = f"/moter/{meeting.pk}/referat/"
    client = as_user(people.follower)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="base_revision" value="0"' in page.content.decode()
    _save(people.leader, meeting, 0, since_last="Lederen skrev først: Søren møtte opp.")

    response = client.post(url, _form(meeting, 0, since_last="Følgeren skrev: Søren var blid og åpen."))

    assert response.status_code == 409
    content = response.content.decode()
    assert "Lederen skrev først: Søren møtte opp." in content  # theirs
    assert content.count("Følgeren skrev: Søren var blid og åpen.") >= 2  # mine, in the table and the form
    assert 'name="base_revision" value="1"' in content  # merge and save again on theirs
    assert Minutes.objects.get(meeting=meeting).revision == 1

    merged = client.post(url, _form(meeting, 1, since_last="Begge: Søren møtte opp, blid og åpen."))
    assert merged.status_code == 302
    current = Minutes.objects.get(meeting=meeting).revisions.order_by("-number").first()
    assert current is not None
    assert (current.number, current.saved_by) == (2, people.follower)


def test_an_approved_change_on_the_page_without_a_note_is_400_and_kept(
    people: People, meeting: Meeting, as_user: Any
) -> None:
    _save(people.follower, meeting, 0, since_last="Godkjent tekst.")
    meeting_services.minutes_approve(actor=people.follower, meeting=meeting, base_revision=1)
    client = as_user(people.follower)

    response = client.post(f"/moter/{meeting.pk}/referat/", _form(meeting, 1, since_last="Ny tekst, æøå."))

    assert response.status_code == 400
    assert "Ny tekst, æøå." in response.content.decode()
    assert Minutes.objects.get(meeting=meeting).state == Minutes.State.APPROVED


def test_approving_on_the_page_after_someone_saved_is_409(people: People, meeting: Meeting, as_user: Any) -> None:
    _save(people.follower, meeting, 0, since_last="Én.")
    _save(people.follower, meeting, 1, since_last="To.")
    client = as_user(people.leader)

    assert client.post(f"/moter/{meeting.pk}/referat/godkjenn/", {"base_revision": 1}).status_code == 409
    assert client.post(f"/moter/{meeting.pk}/referat/godkjenn/", {"base_revision": 2}).status_code == 302
    assert Minutes.objects.get(meeting=meeting).state == Minutes.State.APPROVED


def test_the_versions_page_lists_every_revision(people: People, meeting: Meeting, as_user: Any) -> None:
    _save(people.follower, meeting, 0, since_last="Første utkast.")
    _save(people.follower, meeting, 1, since_last="Andre utkast.")
    client = as_user(people.teammate)

    listing = client.get(f"/moter/{meeting.pk}/referat/versjoner/")
    old = client.get(f"/moter/{meeting.pk}/referat/versjoner/?revisjon=1")

    assert listing.status_code == 200
    assert "?revisjon=2" in listing.content.decode()
    assert "Første utkast." in old.content.decode()


def _pdf_text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def police_in_team(people: People, youth: Youth) -> Meeting:
    """The police contact in the youth's team, invited to a meeting whose minutes hold health
    information; the police service has identity-and-contact information opened, not health."""
    from teams import services
    from teams.models import TeamMember

    from ..sharing import open_to

    services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )
    open_to(youth, people.police_unit, ["identity_contact"], actor=people.follower)
    meeting = team_meeting(people.follower, youth, people.unit)
    meeting_services.minutes_save(
        actor=people.follower,
        meeting=meeting,
        sections={
            "since_last": "Søren har gått på skolen hver dag og øvd på å være ærlig.",
            "health": "Astmamedisin og søvnvansker.",
        },
        decisions="Neste møte på Økern i høstferien.",
        base_revision=0,
    )
    meeting_services.action_item_add(
        actor=people.follower,
        meeting=meeting,
        title="Søke plass på fritidsklubben på Årvoll",
        due_on=meeting.starts_at.date(),
        owner=people.follower,
    )
    return meeting


def test_the_pdf_has_the_minutes_with_norwegian_letters_page_numbers_and_marking(
    people: People, police_in_team: Meeting, as_user: Any
) -> None:
    meeting = police_in_team
    with translation.override("nb"):
        text = _pdf_text(as_user(people.follower).get(f"/moter/{meeting.pk}/referat/pdf/"))

    assert "Søren har gått på skolen hver dag og øvd på å være ærlig." in text
    assert "Astmamedisin og søvnvansker." in text
    assert "Neste møte på Økern i høstferien." in text
    assert "Søke plass på fritidsklubben på Årvoll" in text
    assert "Åse" in text  # the guardian among the participants
    assert "KONFIDENSIELT – unntatt offentlighet" in text
    assert "Side 1 av" in text
    event = AuditEvent.objects.get(action="minutes.printed")
    assert (event.actor, event.youth_id) == (people.follower, meeting.youth_id)


def test_the_pdf_leaves_out_what_the_police_may_not_see_and_logs_what_it_showed(
    people: People, police_in_team: Meeting, as_user: Any
) -> None:
    from consent.models import Disclosure

    meeting = police_in_team
    text = _pdf_text(as_user(people.police).get(f"/moter/{meeting.pk}/referat/pdf/"))

    assert "Søren har gått på skolen hver dag" in text
    assert "Astmamedisin" not in text
    assert "Noe er holdt tilbake" in text
    disclosures = Disclosure.objects.filter(user=people.police, youth=meeting.youth, channel="pdf")
    assert disclosures.exists()
    assert all("health" not in d.categories for d in disclosures)


def test_the_meeting_page_withholds_a_section_from_the_police(
    people: People, police_in_team: Meeting, as_user: Any
) -> None:
    content = as_user(people.police).get(f"/moter/{police_in_team.pk}/").content.decode()

    assert "Søren har gått på skolen hver dag" in content
    assert "Astmamedisin" not in content
    edit = as_user(people.police).get(f"/moter/{police_in_team.pk}/referat/").content.decode()
    assert "Astmamedisin" not in edit


def test_a_police_save_keeps_the_health_section_it_cannot_see(people: People, police_in_team: Meeting) -> None:
    meeting_services.minutes_save(
        actor=people.police,
        meeting=police_in_team,
        sections={"since_last": "Politiet la til: ingen nye saker."},
        decisions="Neste møte på Økern i høstferien.",
        base_revision=1,
    )

    current = Minutes.objects.get(meeting=police_in_team).revisions.order_by("-number").first()
    assert current is not None
    assert current.sections["health"] == "Astmamedisin og søvnvansker."


def test_the_service_refuses_a_police_change_to_the_health_section_it_cannot_see(
    people: People, police_in_team: Meeting
) -> None:
    with pytest.raises(PermissionDenied):
        meeting_services.minutes_save(
            actor=people.police,
            meeting=police_in_team,
            sections={"health": ""},
            decisions=None,
            base_revision=1,
        )
    assert Minutes.objects.get(meeting=police_in_team).revision == 1


@pytest.fixture
def police_without_consent(people: People, youth: Youth) -> Meeting:
    """The police contact in the youth's team with nothing opened: a participant who may write
    the minutes but sees neither the sections of identity-and-contact information nor the
    decisions."""
    from teams import services
    from teams.models import TeamMember

    services.team_member_add(
        actor=people.follower,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        user=people.police,
        unit=people.police_unit,
        role=TeamMember.Role.POLICE_CONTACT,
    )
    meeting = team_meeting(people.follower, youth, people.unit)
    _save(people.follower, meeting, 0, since_last="Søren har gått på skolen.")
    return meeting


def test_the_service_refuses_a_change_to_decisions_the_writer_may_not_see(
    people: People, police_without_consent: Meeting
) -> None:
    with pytest.raises(PermissionDenied):
        meeting_services.minutes_save(
            actor=people.police,
            meeting=police_without_consent,
            sections={},
            decisions="Politiet bestemte noe annet.",
            base_revision=1,
        )
    assert Minutes.objects.get(meeting=police_without_consent).revision == 1


def test_decisions_left_out_keep_their_text(people: People, police_without_consent: Meeting) -> None:
    revision = meeting_services.minutes_save(
        actor=people.police, meeting=police_without_consent, sections={}, decisions=None, base_revision=1
    )
    assert revision.decisions == "Vi møtes igjen."
    assert revision.sections["since_last"] == "Søren har gått på skolen."


def test_the_page_keeps_the_decisions_a_writer_may_not_see(
    people: People, police_without_consent: Meeting, as_user: Any
) -> None:
    client = as_user(people.police)
    url = f"/moter/{police_without_consent.pk}/referat/"
    assert "decisions" not in client.get(url).context["form"].fields
    # Posted by hand all the same: refused by the service (403), as the API refuses it.
    response = client.post(url, {"base_revision": 1, "decisions": "Politiet bestemte noe annet."})
    assert response.status_code == 403
    current = Minutes.objects.get(meeting=police_without_consent).revisions.order_by("-number").first()
    assert current is not None
    assert current.decisions == "Vi møtes igjen."
