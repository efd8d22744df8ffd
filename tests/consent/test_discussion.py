"""Anonymous discussions (anonym drøfting): the checks on what a case may say, the services (an
identity number is refused, warnings must be confirmed and are kept, conversion needs consent
and keeps the notes), who sees a case, the pages (outsider 404, no right 403, bad input 400 with
everything typed kept) and the audit rows. The clock stands still on Monday 2 March 2026
(tests/consent/conftest.py); every person registered here has a fixed name, so no generated
name can be mistaken for a word of the texts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import Guardian, Guardianship, Youth
from consent import selectors, services
from consent.discussions import checks as discussion
from consent.discussions import services as discussion_services
from consent.discussions.checks import Finding, UnconfirmedWarnings
from consent.models import ConsentVersion, DiscussionCase, DiscussionNote
from core.models import AuditEvent
from org.models import District, StaffRole, Unit

from ..cases.factories import followed_youth
from ..conftest import People
from ..factories import StaffRoleFactory, UnitFactory, YouthFactory
from .conftest import TODAY, World

pytestmark = pytest.mark.django_db

SUMMARY = "Mye fravær og bekymring for miljøet rundt ungdommen. Drøftes før vi spør om samtykke."
# A fødselsnummer that passes the check digits (from python-stdnum's examples), and one that does not.
VALID_ID = "15108695088"
INVALID_ID = "01020312345"
SIXTEEN = datetime.date(2010, 1, 10)  # 16 today


def kinds(found: list[Finding]) -> list[str]:
    return [f.kind for f in found]


def matches(found: list[Finding], kind: str) -> list[str]:
    return [f.match for f in found if f.kind == kind]


@pytest.fixture
def crowd(people: People) -> list[Youth]:
    """Five registered 15–17-year-olds in Bjerke: enough that age band and district identify no one."""
    names = ["Aurora Vestheim", "Brage Kolstad", "Cecilie Myrvang", "Didrik Fossum", "Embla Rudstad"]
    return [
        YouthFactory(
            first_name=name.split()[0],
            last_name=name.split()[1],
            birth_date=SIXTEEN + datetime.timedelta(days=i),
            district=people.unit.district,
        )
        for i, name in enumerate(names)
    ]


@pytest.fixture
def youth(people: People) -> Youth:
    """Alice's youth in Bjerke, 16 today, with two guardians with parental responsibility."""
    youth = followed_youth(
        people.unit, lead=people.follower, first_name="Theodor", last_name="Grønvold", birth_date=SIXTEEN
    )
    for first, relation in (("Randi", "mother"), ("Ketil", "father")):
        guardian = Guardian.objects.create(first_name=first, last_name="Grønvold")
        Guardianship.objects.create(youth=youth, guardian=guardian, relation=relation)
    return youth


def create(people: People, *, confirm: bool = True, **kwargs: Any) -> DiscussionCase:
    """A case brought by Alice for her unit in Bjerke; with `confirm`, every warning confirmed."""
    data: dict[str, Any] = {
        "actor": people.follower,
        "unit": people.unit,
        "alias": "Gutt A",
        "age_band": "15_17",
        "district": people.unit.district,
        "summary": SUMMARY,
    } | kwargs
    try:
        return discussion_services.discussion_case_create(**data)
    except UnconfirmedWarnings as error:
        if not confirm:
            raise
        data["confirmed_warnings"] = [f.key for f in error.findings]
        return discussion_services.discussion_case_create(**data)


# --- Identity numbers: refused ----------------------------------------------------------------


def test_an_anonymous_case_with_an_identity_number_in_its_text_is_refused(people: People, crowd: list[Youth]) -> None:
    with pytest.raises(ValidationError) as refused:
        create(people, summary=f"Gjelder {VALID_ID}. {SUMMARY}")
    assert "summary" in refused.value.message_dict
    assert "Remove the national identity number" in refused.value.message_dict["summary"][0]
    assert not DiscussionCase.objects.exists()
    assert not AuditEvent.objects.filter(action="discussion.created").exists()


def test_the_refusal_cannot_be_confirmed_away(people: People, crowd: list[Youth]) -> None:
    with pytest.raises(ValidationError, match="national identity number"):
        discussion_services.discussion_case_create(
            actor=people.follower,
            unit=people.unit,
            alias="Gutt A",
            age_band="15_17",
            district=people.district,
            summary=f"{SUMMARY} {VALID_ID}",
            confirmed_warnings=[f"name:{VALID_ID}", f"age:{VALID_ID}"],
        )
    assert not DiscussionCase.objects.exists()


@pytest.mark.parametrize(
    ("written", "found"),
    [
        (VALID_ID, VALID_ID),
        (INVALID_ID, INVALID_ID),
        ("151086 95088", "151086 95088"),
        ("151086.95088", "151086.95088"),
        ("151086-95088", "151086-95088"),
        ("55108695088", "55108695088"),  # a D-number: the day plus 40
        (f"(fnr:{VALID_ID})", VALID_ID),
    ],
)
def test_any_eleven_digit_number_counts_as_an_identity_number_whatever_its_check_digits(
    written: str, found: str
) -> None:
    assert discussion.identity_numbers(f"Ungdommen har nummer {written} i papirene.") == [found]


@pytest.mark.parametrize("written", ["1510869508", "151086950881", "1510 8695 088", "kr 15 000", "12.03.2026"])
def test_numbers_that_are_not_eleven_digits_are_not_identity_numbers(written: str) -> None:
    assert discussion.identity_numbers(written) == []


def test_an_identity_number_in_the_alias_is_refused_on_the_alias(people: People, crowd: list[Youth]) -> None:
    with pytest.raises(ValidationError) as refused:
        create(people, alias=INVALID_ID)
    assert list(refused.value.message_dict) == ["alias"]


def test_an_identity_number_in_a_note_is_refused(people: People, crowd: list[Youth]) -> None:
    case = create(people)
    with pytest.raises(ValidationError) as refused:
        discussion_services.discussion_note_add(actor=people.follower, case=case, text=f"Politiet oppga {VALID_ID}.")
    assert list(refused.value.message_dict) == ["text"]
    assert not DiscussionNote.objects.exists()


# --- Names --------------------------------------------------------------------------------------


def test_a_registered_youths_or_guardians_name_is_found_without_case_or_accents(people: People) -> None:
    YouthFactory(first_name="Łukasz", last_name="Wiśniewski", district=people.unit.district)
    Guardian.objects.create(first_name="Anne-Grethe", last_name="Søvik")
    found = discussion.names(
        "Vi har snakket med lukasz og familien Wisniewski. Moren Grethe og faren Sovik var med. Kjell var ikke der."
    )
    assert [f.match for f in found] == ["lukasz", "Wisniewski", "Grethe", "Sovik"]
    assert kinds(found) == ["name"] * 4


def test_a_name_warning_does_not_say_that_the_person_is_registered(people: People) -> None:
    YouthFactory(first_name="Sigvald", last_name="Brekkhus", district=people.unit.district)
    [found] = discussion.names("Sigvald er bekymret.")
    assert found.message == "«Sigvald» may be a name. Use the alias instead."


def test_everyday_words_are_not_names_unless_written_with_a_capital_inside_a_sentence(people: People) -> None:
    YouthFactory(first_name="Per", last_name="Hagen", district=people.unit.district)
    YouthFactory(first_name="Dag", last_name="Strand", district=people.unit.district)
    assert discussion.names("Per uke møtes de to ganger, i hagen eller på stranda. Hver dag er lik.") == []
    assert matches(discussion.names("Vi møtte Per og Hagen i går."), "name") == ["Per", "Hagen"]


def test_words_shorter_than_three_letters_are_not_taken_for_names(people: People) -> None:
    YouthFactory(first_name="Mo", last_name="Li", district=people.unit.district)
    assert discussion.names("Mo og Li var der.") == []


def test_the_name_check_is_one_query_however_long_the_text(people: People, django_assert_num_queries: Any) -> None:
    YouthFactory(first_name="Sigvald", last_name="Brekkhus", district=people.unit.district)
    with django_assert_num_queries(1):
        found = discussion.names(" ".join(["Bekymring for miljøet og skolen."] * 200) + " Brekkhus")
    assert matches(found, "name") == ["Brekkhus"]


# --- Phone numbers, addresses, schools, ages -----------------------------------------------------


@pytest.mark.parametrize("written", ["91234567", "912 34 567", "91 23 45 67", "+47 912 34 567", "0047 91234567"])
def test_a_norwegian_phone_number_is_a_warning(written: str) -> None:
    assert matches(discussion.phone_numbers(f"Ring {written} etter skolen."), "phone") == [written]


@pytest.mark.parametrize("written", ["12345678", "kr 25 000", "1234567", "123456789"])
def test_other_numbers_are_not_phone_numbers(written: str) -> None:
    assert discussion.phone_numbers(f"Det gjelder {written} her.") == []


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("bor i Linderudveien 12B nå", "Linderudveien 12B"),
        ("bor i Karl Johans gate 5", "Johans gate 5"),
        ("bor ved Tonsenhagen allé 3 med mor", "Tonsenhagen allé 3"),
        ("på Furulia 4", "Furulia 4"),
        ("postadresse 0950 Oslo", "0950 Oslo"),
        ("postnummer 0581", "0581"),
    ],
)
def test_an_address_or_a_postal_code_is_a_warning(written: str, found: str) -> None:
    assert matches(discussion.addresses(written), "address") == [found]


@pytest.mark.parametrize(
    "written", ["alle 3 i gruppa var der", "Julia 14 år", "i 2024 Oslo kommune", "var på vei hjem", "kl. 15.30"]
)
def test_other_text_is_not_an_address(written: str) -> None:
    assert discussion.addresses(written) == []


def test_a_registered_school_is_a_warning_wherever_and_however_it_is_written(world: World) -> None:
    found = discussion.findings(
        texts=["Går på furuset skole, 9. trinn."],
        district=world.people.district,
        age_band="15_17",
        today=TODAY,
        whole_district=False,
    )
    assert matches(found, "school") == ["Furuset skole"]


def test_a_school_named_in_words_is_a_warning_but_a_new_school_is_not() -> None:
    assert matches(discussion.school_words("Han går på Tonsen ungdomsskole nå."), "school") == ["Tonsen ungdomsskole"]
    assert matches(discussion.school_words("Hun går på Foss videregående."), "school") == ["Foss videregående"]
    assert discussion.school_words("Ny skole fra høsten. Hun liker skolen.") == []


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("Gutten er 14 år og bor med mor.", "14 år"),
        ("En 15-åring fra bydelen.", "15-åring"),
        ("Hun fylte 16 i januar.", "fylte 16"),
        ("Født 17.05.2011.", "17.05.2011"),
        ("Fødselsdato 2011-05-17.", "2011-05-17"),
        ("Født 17. mai 2011 i Oslo.", "17. mai 2011"),
        ("Født i 2011.", "Født i 2011"),
        ("Dato 170511 står i papirene.", "170511"),
    ],
)
def test_an_exact_age_or_a_date_of_birth_is_a_warning(written: str, found: str) -> None:
    assert found in matches(discussion.exact_ages(written, today=TODAY), "age")


@pytest.mark.parametrize(
    "written",
    [
        "Familien har bodd i bydelen i 12 år.",
        "Det skjedde for 2 år siden.",
        "Han er rundt 15 år.",
        "Møtet var 02.03.2026.",
        "Neste møte 16. mars 2026.",
        "Hun er 3 år eldre enn broren.",
    ],
)
def test_durations_rough_ages_and_meeting_dates_are_not_exact_ages(written: str) -> None:
    assert discussion.exact_ages(written, today=TODAY) == []


# --- Few youths fit: k-anonymity ------------------------------------------------------------------


def test_fewer_than_five_registered_youths_in_the_age_band_and_district_is_a_warning_without_the_count(
    people: People,
) -> None:
    for i in range(4):
        YouthFactory(
            first_name="Aurora", last_name=f"Vest{chr(97 + i)}", birth_date=SIXTEEN, district=people.unit.district
        )
    [found] = discussion.few_youths(district=people.district, age_band="15_17", schools=[], today=TODAY)
    assert found.kind == "few_youths"
    assert found.match == "15–17, Bjerke"
    assert "Fewer than five registered youths" in found.message
    assert "4" not in found.message


def test_five_youths_in_the_age_band_and_district_is_enough(people: People, crowd: list[Youth]) -> None:
    assert discussion.few_youths(district=people.district, age_band="15_17", schools=[], today=TODAY) == []


def test_youths_outside_the_age_band_or_district_are_not_counted(people: People, crowd: list[Youth]) -> None:
    # 14 today (born 2011-03-03) and 18 today (born 2008-03-02) are outside 15–17.
    assert discussion.youths_in_band(district=people.district, age_band="15_17", today=TODAY) == 5
    YouthFactory(first_name="Ask", last_name="Eng", birth_date=datetime.date(2011, 3, 3), district=people.unit.district)
    YouthFactory(first_name="Ask", last_name="Lie", birth_date=datetime.date(2008, 3, 2), district=people.unit.district)
    YouthFactory(first_name="Ask", last_name="Vik", birth_date=SIXTEEN, district=people.other_unit.district)
    assert discussion.youths_in_band(district=people.district, age_band="15_17", today=TODAY) == 5
    assert discussion.youths_in_band(district=people.district, age_band="12_14", today=TODAY) == 1
    assert discussion.youths_in_band(district=people.district, age_band="18_20", today=TODAY) == 1


def test_a_named_school_narrows_the_count_to_its_pupils(world: World, crowd: list[Youth]) -> None:
    people = world.people
    case_text = "Eleven ved Furuset skole har mye fravær."
    found = discussion.findings(texts=[case_text], district=people.district, age_band="15_17", today=TODAY)
    assert "15–17, Bjerke, Furuset skole" in matches(found, "few_youths")
    Youth.objects.filter(pk__in=[y.pk for y in crowd]).update(school=world.school)
    found = discussion.findings(texts=[case_text], district=people.district, age_band="15_17", today=TODAY)
    assert matches(found, "few_youths") == []
    assert matches(found, "school") == ["Furuset skole"]


# --- Warnings are confirmed, kept and audited ------------------------------------------------------


def test_a_warning_must_be_confirmed_and_the_confirmed_warnings_are_kept_and_audited(
    people: People, crowd: list[Youth]
) -> None:
    summary = f"{SUMMARY} Mor kan nås på 912 34 567."
    with pytest.raises(UnconfirmedWarnings) as warned:
        create(people, summary=summary, confirm=False)
    assert [f.key for f in warned.value.findings] == ["phone:912 34 567"]
    assert not DiscussionCase.objects.exists()
    case = discussion_services.discussion_case_create(
        actor=people.follower,
        unit=people.unit,
        alias="Gutt A",
        age_band="15_17",
        district=people.district,
        summary=summary,
        confirmed_warnings=["phone:912 34 567"],
    )
    assert case.confirmed_warnings == ["phone:912 34 567"]
    event = AuditEvent.objects.get(action="discussion.created", object_id=str(case.pk))
    assert event.detail["confirmed_warnings"] == ["phone"]
    assert "912" not in str(event.detail)  # what was typed is kept with the case, never in the audit trail


def test_confirming_old_warnings_does_not_confirm_a_new_one(people: People, crowd: list[Youth]) -> None:
    with pytest.raises(UnconfirmedWarnings) as warned:
        create(
            people,
            summary=f"{SUMMARY} Ring 912 34 567. Bor i Linderudveien 12.",
            confirmed_warnings=["phone:912 34 567"],
            confirm=False,
        )
    assert {f.key for f in warned.value.findings} == {"phone:912 34 567", "address:Linderudveien 12"}


def test_an_anonymous_case_without_warnings_is_saved_with_none_confirmed(people: People, crowd: list[Youth]) -> None:
    case = create(people, confirm=False)
    assert (case.state, case.confirmed_warnings, case.unit, case.created_by) == (
        "open",
        [],
        people.unit,
        people.follower,
    )


def test_only_staff_of_the_unit_may_bring_a_case_for_it(people: People, crowd: list[Youth]) -> None:
    with pytest.raises(PermissionDenied):
        create(people, actor=people.outsider)
    with pytest.raises(PermissionDenied):
        create(people, actor=people.admin)  # an administrator role is not case work


# --- Notes, conversion and closing -------------------------------------------------------------------


def test_conversion_requires_a_consent_in_force_and_keeps_the_notes(
    people: People, crowd: list[Youth], youth: Youth, record: Callable[..., ConsentVersion]
) -> None:
    case = create(people)
    discussion_services.discussion_note_add(actor=people.follower, case=case, text="Drøftet i inntaksmøtet.")
    discussion_services.discussion_note_add(actor=people.police, case=case, text="Politiet deler bekymringen.")
    with pytest.raises(ValidationError, match="has no consent in force"):
        discussion_services.discussion_case_convert(actor=people.follower, case=case, youth=youth)
    case.refresh_from_db()
    assert case.state == "open"
    assert not AuditEvent.objects.filter(action="discussion.converted").exists()

    record(youth)
    converted = discussion_services.discussion_case_convert(actor=people.follower, case=case, youth=youth)
    converted.refresh_from_db()
    assert (converted.state, converted.youth, converted.converted_by) == ("converted", youth, people.follower)
    assert [n.text for n in selectors.discussion_notes(case=converted)] == [
        "Drøftet i inntaksmøtet.",
        "Politiet deler bekymringen.",
    ]
    [shown] = selectors.discussions_for_youth(youth=youth)
    assert [n.text for n in shown.notes.all()] == ["Drøftet i inntaksmøtet.", "Politiet deler bekymringen."]
    event = AuditEvent.objects.get(action="discussion.converted")
    assert (event.object_id, event.youth_id, event.detail) == (str(case.pk), youth.pk, {"notes": 2})


def test_a_withdrawn_consent_does_not_allow_conversion(
    people: People, crowd: list[Youth], youth: Youth, record: Callable[..., ConsentVersion]
) -> None:
    case = create(people)
    version = record(youth)
    services.consent_withdraw(actor=people.follower, consent=version.consent, party="youth", reason="Ombestemte seg.")
    with pytest.raises(ValidationError, match="has no consent in force"):
        discussion_services.discussion_case_convert(actor=people.follower, case=case, youth=youth)


def test_conversion_refuses_a_youth_the_person_may_not_see(
    people: People, crowd: list[Youth], record: Callable[..., ConsentVersion]
) -> None:
    stranger = followed_youth(people.other_unit, lead=people.outsider, first_name="Sindre", last_name="Kvamme")
    case = create(people)
    with pytest.raises(ValidationError) as refused:
        discussion_services.discussion_case_convert(actor=people.follower, case=case, youth=stranger)
    assert list(refused.value.message_dict) == ["youth"]


def test_only_the_unit_that_brought_the_case_may_convert_or_close_it(
    people: People, crowd: list[Youth], youth: Youth
) -> None:
    case = create(people)
    with pytest.raises(PermissionDenied):
        discussion_services.discussion_case_convert(actor=people.police, case=case, youth=youth)
    with pytest.raises(PermissionDenied):
        discussion_services.discussion_case_close(actor=people.police, case=case, reason="no_consent")
    with pytest.raises(PermissionDenied):
        discussion_services.discussion_case_close(actor=people.outsider, case=case, reason="no_consent")


def test_a_closed_case_is_read_only_and_its_closing_is_audited(
    people: People, crowd: list[Youth], youth: Youth
) -> None:
    case = create(people)
    discussion_services.discussion_case_close(actor=people.leader, case=case, reason="handled_elsewhere")
    case.refresh_from_db()
    assert (case.state, case.closing_reason, case.closed_by) == ("closed", "handled_elsewhere", people.leader)
    assert AuditEvent.objects.get(action="discussion.closed").detail == {"reason": "handled_elsewhere"}
    with pytest.raises(ValidationError, match="closed"):
        discussion_services.discussion_note_add(actor=people.follower, case=case, text="Ett notat til.")
    with pytest.raises(ValidationError, match="closed"):
        discussion_services.discussion_case_convert(actor=people.follower, case=case, youth=youth)


def test_a_note_is_audited_and_its_warnings_confirmed_like_the_summary(people: People, crowd: list[Youth]) -> None:
    case = create(people)
    with pytest.raises(UnconfirmedWarnings):
        discussion_services.discussion_note_add(actor=people.police, case=case, text="Han er 16 år.")
    note = discussion_services.discussion_note_add(
        actor=people.police, case=case, text="Han er 16 år.", confirmed_warnings=["age:16 år"]
    )
    assert note.confirmed_warnings == ["age:16 år"]
    event = AuditEvent.objects.get(action="discussion.note_added")
    assert event.detail == {"note": note.pk, "confirmed_warnings": ["age"]}


def test_a_note_does_not_repeat_the_whole_district_warning_confirmed_with_the_case(people: People) -> None:
    case = create(people)  # no youths registered: the age band and district warning was confirmed
    assert [discussion.finding_from_key(k).kind for k in case.confirmed_warnings] == ["few_youths"]
    note = discussion_services.discussion_note_add(actor=people.follower, case=case, text="Drøftet i listemøtet.")
    assert note.confirmed_warnings == []


def test_the_database_refuses_a_converted_case_without_a_youth(people: People, crowd: list[Youth]) -> None:
    case = create(people)
    with pytest.raises(IntegrityError), transaction.atomic():
        DiscussionCase.objects.filter(pk=case.pk).update(state="converted")


def test_notes_cannot_be_changed_or_deleted(people: People, crowd: list[Youth]) -> None:
    case = create(people)
    note = discussion_services.discussion_note_add(actor=people.follower, case=case, text="Drøftet i inntaksmøtet.")
    with pytest.raises(DatabaseError), transaction.atomic():
        DiscussionNote.objects.filter(pk=note.pk).update(text="Endret.")
    with pytest.raises(DatabaseError), transaction.atomic():
        DiscussionNote.objects.filter(pk=note.pk).delete()


# --- Who sees a case ---------------------------------------------------------------------------------


def test_the_meeting_sees_an_anonymous_case_and_no_one_else(people: People, crowd: list[Youth]) -> None:
    case = create(people)
    district_school = UnitFactory(name="Linderud skole", district=people.unit.district, kind=Unit.Kind.SCHOOL)
    teacher = StaffRoleFactory(unit=district_school, role=StaffRole.Role.SCHOOL_CONTACT).user
    citywide_bup = UnitFactory(name="BUP Oslo", district=None, kind=Unit.Kind.BUP)
    therapist = StaffRoleFactory(unit=citywide_bup, role=StaffRole.Role.OTHER_SERVICE).user
    former = StaffRoleFactory(unit=people.unit, role=StaffRole.Role.FOLLOWER, ends_on=datetime.date(2025, 12, 31)).user
    for person in (people.follower, people.leader, people.police, teacher):
        assert list(selectors.discussions_for_user(user=person)) == [case], person
    for person in (people.outsider, people.admin, therapist, former):
        assert not selectors.discussions_for_user(user=person).exists(), person


def test_once_named_only_those_who_see_the_youth_see_the_case(
    people: People, crowd: list[Youth], youth: Youth, record: Callable[..., ConsentVersion]
) -> None:
    case = create(people)
    record(youth)
    discussion_services.discussion_case_convert(actor=people.follower, case=case, youth=youth)
    state = DiscussionCase.State.CONVERTED
    assert list(selectors.discussions_for_user(user=people.follower, state=state)) == [case]
    assert list(selectors.discussions_for_user(user=people.leader, state=state)) == [case]
    assert not selectors.discussions_for_user(user=people.police, state=state).exists()


# --- Pages ---------------------------------------------------------------------------------------------


def _pages(case: DiscussionCase) -> list[str]:
    return [
        f"/samtykke/drofting/{case.pk}/",
        f"/samtykke/drofting/{case.pk}/navngi/",
        f"/samtykke/drofting/{case.pk}/avslutt/",
    ]


def test_an_outsider_gets_404_on_every_discussion_page(as_user: Any, people: People, crowd: list[Youth]) -> None:
    case = create(people)
    client = as_user(people.outsider)
    for url in _pages(case):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "no_consent"}).status_code in (404, 405), url
    assert client.post(f"/samtykke/drofting/{case.pk}/notat/", {"text": "Hei"}).status_code == 404
    assert client.get("/samtykke/drofting/999999/").status_code == 404
    listing = client.get("/samtykke/drofting/")
    assert listing.status_code == 200
    assert "Gutt A" not in listing.content.decode()
    case.refresh_from_db()
    assert case.state == "open"
    assert not DiscussionNote.objects.exists()


def test_a_meeting_member_without_the_right_gets_403_on_naming_and_closing(
    as_user: Any, people: People, crowd: list[Youth]
) -> None:
    case = create(people)
    client = as_user(people.police)
    page = client.get(f"/samtykke/drofting/{case.pk}/")
    assert page.status_code == 200
    assert f"/samtykke/drofting/{case.pk}/navngi/" not in page.content.decode()
    assert client.get(f"/samtykke/drofting/{case.pk}/navngi/").status_code == 403
    assert client.post(f"/samtykke/drofting/{case.pk}/avslutt/", {"reason": "no_consent"}).status_code == 403
    case.refresh_from_db()
    assert case.state == "open"


def test_a_person_without_a_working_role_gets_403_on_the_form(as_user: Any, people: People) -> None:
    client = as_user(people.admin)
    assert client.get("/samtykke/drofting/ny/").status_code == 403


def test_bringing_a_case_shows_the_warnings_keeps_what_was_typed_and_saves_once_confirmed(
    as_user: Any, people: People, crowd: list[Youth]
) -> None:
    client = as_user(people.follower)
    form = client.get("/samtykke/drofting/ny/")
    assert form.status_code == 200
    assert "consent/discussion_form.html" in [t.name for t in form.templates]
    data = {
        "unit": str(people.unit.pk),
        "alias": "Gutt A",
        "age_band": "15_17",
        "district": str(people.unit.district_id),
        "summary": "Mye fravær. Mor kan nås på 912 34 567.",
    }
    warned = client.post("/samtykke/drofting/ny/", data)
    assert warned.status_code == 400
    page = warned.content.decode()
    assert "«912 34 567» ser ut som et telefonnummer." in page
    assert 'name="shown_warnings" value="phone:912 34 567"' in page
    assert "Jeg har sjekket: opplysningene identifiserer ikke ungdommen" in page
    assert "Mye fravær. Mor kan nås på 912 34 567.</textarea>" in page
    assert 'value="Gutt A"' in page
    assert not DiscussionCase.objects.exists()
    response = client.post("/samtykke/drofting/ny/", data | {"shown_warnings": "phone:912 34 567", "confirm": "on"})
    assert response.status_code == 302
    case = DiscussionCase.objects.get()
    assert response["Location"] == f"/samtykke/drofting/{case.pk}/"
    assert case.confirmed_warnings == ["phone:912 34 567"]


def test_an_identity_number_gives_the_form_back_with_400_and_nothing_saved(
    as_user: Any, people: People, crowd: list[Youth]
) -> None:
    client = as_user(people.follower)
    data = {
        "unit": str(people.unit.pk),
        "alias": "Gutt A",
        "age_band": "15_17",
        "district": str(people.unit.district_id),
        "summary": f"Gjelder {VALID_ID}, mye fravær.",
        "shown_warnings": "phone:1",
        "confirm": "on",
    }
    response = client.post("/samtykke/drofting/ny/", data)
    assert response.status_code == 400
    assert "summary" in response.context["form"].errors
    assert f"Gjelder {VALID_ID}, mye fravær.</textarea>" in response.content.decode()
    assert not DiscussionCase.objects.exists()


def test_an_empty_form_is_given_back_with_400(as_user: Any, people: People) -> None:
    response = as_user(people.follower).post("/samtykke/drofting/ny/", {"alias": "Gutt A"})
    assert response.status_code == 400
    assert {"summary", "age_band", "district"} <= set(response.context["form"].errors)
    assert 'value="Gutt A"' in response.content.decode()


def test_the_case_page_shows_the_notes_and_its_read_is_audited(
    as_user: Any, people: People, crowd: list[Youth]
) -> None:
    case = create(people)
    client = as_user(people.police)
    response = client.post(f"/samtykke/drofting/{case.pk}/notat/", {"text": "Kjent for politiet fra før."})
    assert response.status_code == 302
    assert response["Location"] == f"/samtykke/drofting/{case.pk}/#notes"
    page = client.get(f"/samtykke/drofting/{case.pk}/")
    assert page.status_code == 200
    assert "consent/discussion_detail.html" in [t.name for t in page.templates]
    assert "Kjent for politiet fra før." in page.content.decode()
    assert AuditEvent.objects.filter(action="discussion.viewed", object_id=str(case.pk), actor=people.police).exists()
    assert AuditEvent.objects.filter(action="discussion.note_added", actor=people.police).exists()


def test_a_note_with_a_warning_is_given_back_with_400_keeping_the_text(
    as_user: Any, people: People, crowd: list[Youth]
) -> None:
    case = create(people)
    client = as_user(people.follower)
    response = client.post(f"/samtykke/drofting/{case.pk}/notat/", {"text": "Han er 16 år nå."})
    assert response.status_code == 400
    assert "Han er 16 år nå.</textarea>" in response.content.decode()
    assert not DiscussionNote.objects.exists()
    empty = client.post(f"/samtykke/drofting/{case.pk}/notat/", {"text": " "})
    assert empty.status_code == 400
    confirmed = client.post(
        f"/samtykke/drofting/{case.pk}/notat/",
        {"text": "Han er 16 år nå.", "shown_warnings": "age:16 år", "confirm": "on"},
    )
    assert confirmed.status_code == 302
    assert DiscussionNote.objects.get().confirmed_warnings == ["age:16 år"]


def test_naming_without_consent_gives_the_form_back_with_400_and_with_consent_names_the_case(
    as_user: Any, people: People, crowd: list[Youth], youth: Youth, record: Callable[..., ConsentVersion]
) -> None:
    case = create(people)
    client = as_user(people.follower)
    form = client.get(f"/samtykke/drofting/{case.pk}/navngi/")
    assert form.status_code == 200
    assert youth.display_name in form.content.decode()
    refused = client.post(f"/samtykke/drofting/{case.pk}/navngi/", {"youth": str(youth.pk)})
    assert refused.status_code == 400
    assert "har ikke noe samtykke som gjelder" in refused.content.decode()
    record(youth)
    response = client.post(f"/samtykke/drofting/{case.pk}/navngi/", {"youth": str(youth.pk)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.youth == youth
    page = client.get(f"/samtykke/drofting/{case.pk}/").content.decode()
    assert f"dette er {youth.display_name}" in page


def test_a_youth_the_person_may_not_see_cannot_be_chosen(as_user: Any, people: People, crowd: list[Youth]) -> None:
    stranger = followed_youth(people.other_unit, lead=people.outsider, first_name="Sindre", last_name="Kvamme")
    case = create(people)
    response = as_user(people.follower).post(f"/samtykke/drofting/{case.pk}/navngi/", {"youth": str(stranger.pk)})
    assert response.status_code == 400
    assert "youth" in response.context["form"].errors
    assert "Sindre" not in response.content.decode()


def test_closing_a_case(as_user: Any, people: People, crowd: list[Youth]) -> None:
    case = create(people)
    client = as_user(people.leader)
    assert client.get(f"/samtykke/drofting/{case.pk}/avslutt/").status_code == 200
    assert client.post(f"/samtykke/drofting/{case.pk}/avslutt/", {}).status_code == 400
    response = client.post(f"/samtykke/drofting/{case.pk}/avslutt/", {"reason": "no_further_action"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "closed"
    again = client.post(f"/samtykke/drofting/{case.pk}/avslutt/", {"reason": "no_further_action"})
    assert again.status_code == 400


def test_the_list_shows_the_cases_a_person_may_see_in_a_fixed_number_of_queries(
    as_user: Any, people: People, crowd: list[Youth], django_assert_max_num_queries: Any
) -> None:
    client = as_user(people.police)
    create(people)
    alna = District.objects.get(number=12)
    create(people, actor=people.outsider, unit=people.other_unit, alias="Jente B", district=alna)
    with django_assert_max_num_queries(12):
        few = client.get("/samtykke/drofting/")
    for i in range(10):
        create(people, alias=f"Ungdom {i}")
    with django_assert_max_num_queries(12):
        many = client.get("/samtykke/drofting/")
    assert few.status_code == many.status_code == 200
    assert "consent/discussion_list.html" in [t.name for t in many.templates]
    assert len(many.context["page"].object_list) == 12  # police see the whole city
    follower_page = as_user(people.follower).get("/samtykke/drofting/").content.decode()
    assert "Gutt A" in follower_page
    assert "Jente B" not in follower_page


def test_the_youth_page_partial_says_where_the_case_was_discussed(
    people: People, crowd: list[Youth], youth: Youth, record: Callable[..., ConsentVersion]
) -> None:
    case = create(people, alias="Gutt A")
    discussion_services.discussion_note_add(actor=people.follower, case=case, text="Drøftet i inntaksmøtet.")
    record(youth)
    discussion_services.discussion_case_convert(actor=people.follower, case=case, youth=youth)
    html = render_to_string(
        "consent/partials/youth_discussions.html", {"discussions": selectors.discussions_for_youth(youth=youth)}
    )
    since = date_format(timezone.localtime(case.created_at), "SHORT_DATE_FORMAT")
    assert f"Discussed anonymously as «Gutt A» from {since}" in html
    assert "Drøftet i inntaksmøtet." in html
    assert render_to_string("consent/partials/youth_discussions.html", {"discussions": []}).strip() == ""
