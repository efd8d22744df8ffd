"""What an anonymous discussion may say: the checks on its alias, summary and notes.

DOMAIN.md: before consent, a case can be discussed in an intake or list meeting without name,
national identity number, address, school or exact age, and the system warns when the details
given could identify the youth. So:

- A national identity number (fødselsnummer or D-number: 11 digits, written together or with a
  space, dot or dash after the first six) is refused outright, whatever its check digits: a
  mistyped number still points at a person, and nothing justifies it in an anonymous case.
- Everything else that could identify the youth is a warning (`Finding`): a name, a phone
  number, an address or postal code, a school, an exact age or a date of birth, and an age band
  and district (and school, when the text names one) that fewer than K_ANONYMITY registered
  youths fit. Warnings can be confirmed ("I have checked…"); consent.services stores and audits
  the ones confirmed, and refuses while any warning is left unconfirmed.

The text checks are pure functions of the text (and of today, for ages); names, schools and the
count of youths are small lookups in the database.

A warning never shows more of the register than its author already wrote: "«Vilde» may be a
name", not "Vilde is registered", and "fewer than five youths fit", never how many. A form
that answered "how many 15–17-year-olds at Furuset skole are registered?" would be a way to
search the register for anyone who can open it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Func, Value
from django.db.models.functions import Lower, StrIndex
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Guardian, Youth
from consent.models import AGE_BAND_RANGES
from core import dates
from org.models import District, Unit


class Unaccent(Func):
    """laget_unaccent (migration cases 0003). Not imported from cases.selectors, which reads
    consent's modules: the checks must not depend on the youth pages."""

    function = "laget_unaccent"


# Fewer registered youths than this fitting the details, and the details may point at one.
K_ANONYMITY = 5
# Words shorter than this are not taken for names (Li, Vy, Mo, Do: too many false alarms).
MIN_NAME_LENGTH = 3
# Ages that "N år" may be; outside this, "i 3 år" is a duration, not an age.
AGE_WORDS_RANGE = (6, 25)

NAME = "name"
PHONE = "phone"
ADDRESS = "address"
SCHOOL = "school"
AGE = "age"
FEW_YOUTHS = "few_youths"

KIND_LABELS = {
    NAME: gettext_lazy("A name"),
    PHONE: gettext_lazy("A phone number"),
    ADDRESS: gettext_lazy("An address or postal code"),
    SCHOOL: gettext_lazy("A school"),
    AGE: gettext_lazy("An exact age or a date of birth"),
    FEW_YOUTHS: gettext_lazy("Few youths fit the details"),
}


@dataclass(frozen=True)
class Finding:
    """One warning: what kind, and what was found (as written; for few_youths, what was counted)."""

    kind: str
    match: str

    @property
    def key(self) -> str:
        """Stable across submissions of the same text: what a confirmation refers to."""
        return f"{self.kind}:{self.match}"

    @property
    def message(self) -> str:
        if self.kind == NAME:
            return _("«%(match)s» may be a name. Use the alias instead.") % {"match": self.match}
        if self.kind == PHONE:
            return _("«%(match)s» looks like a phone number.") % {"match": self.match}
        if self.kind == ADDRESS:
            return _("«%(match)s» looks like an address or a postal code.") % {"match": self.match}
        if self.kind == SCHOOL:
            return _("«%(match)s» names a school.") % {"match": self.match}
        if self.kind == AGE:
            return _("«%(match)s» gives an exact age or a date of birth. The age band is enough.") % {
                "match": self.match
            }
        return _(
            "Fewer than five registered youths fit these details together (%(what)s): they may identify the youth."
        ) % {"what": self.match}


def finding_from_key(key: str) -> Finding:
    kind, _sep, match = key.partition(":")
    return Finding(kind, match)


class UnconfirmedWarnings(ValidationError):
    """The details may identify the youth, and the author has not confirmed every warning."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            _(
                "The details may identify the youth. Change them, or tick the box to confirm that you have "
                "checked that they do not."
            ),
            code="unconfirmed_warnings",
        )
        self.findings = findings


# --- National identity numbers: refused -------------------------------------------------------

_IDENTITY_NUMBER = re.compile(r"(?<!\d)\d{6}[ .-]?\d{5}(?!\d)")


def identity_numbers(text: str) -> list[str]:
    """Every 11-digit number in the text (fødselsnummer or D-number), valid or not."""
    return _IDENTITY_NUMBER.findall(text)


def refuse_identity_numbers(fields: Mapping[str, str]) -> None:
    """Raise a ValidationError on each field (by name) that holds an identity number."""
    errors = {
        name: _(
            "Remove the national identity number. An anonymous discussion must not identify the youth: "
            "use the alias, the age band and the district."
        )
        for name, text in fields.items()
        if identity_numbers(text)
    }
    if errors:
        raise ValidationError(errors)


# --- Phone numbers, addresses, schools named in words, ages: from the text alone ---------------

# A Norwegian number of 8 digits (not starting with 0 or 1), written together or in the usual
# groups, with or without +47 / 0047 first.
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s?47\s?)?"
    r"(?:[2-9]\d{7}|[2-9]\d{2} \d{2} \d{3}|[2-9]\d (?:\d{2} ){2}\d{2}|[2-9]\d{3} \d{4})"
    r"(?!\d)"
)
_STREET_SUFFIXES = "gate|gata|veien|vei|vn\\.?|allé|alle|plass|stien|bakken|lia|tunet|ringen|svingen"
# A house number (12, 12B, 12 B), not an age ("Julia 14 år" is no address in -lia).
_HOUSE_NUMBER = r"\d{1,3}(?:\s?[A-Za-z](?![^\W\d_]))?(?!\d)(?!\s?-?\s?år)"
# Linderudveien 12, Tonsenhagen allé 3 B … (a street word, a compound, and a house number).
_STREET_COMPOUND = re.compile(
    rf"(?<![^\W\d_])[^\W\d_]{{2,}}(?:{_STREET_SUFFIXES})\s+{_HOUSE_NUMBER}(?!\d)", re.IGNORECASE
)
# Ole Reistads vei 5, Karl Johans gate 12 (a name, then the street word on its own).
_STREET_SEPARATE = re.compile(rf"[A-ZÆØÅ][^\W\d_]*\s+(?:gate|gata|vei|veg|allé|plass)\s+{_HOUSE_NUMBER}(?!\d)")
# A postal code with its place (0950 Oslo), or an Oslo postal code on its own (0xxx: no year or
# count is written so). Years (19xx, 20xx) followed by a capital are left alone.
_POSTAL_CODE = re.compile(r"(?<![\d.,+])(?:(?!19|20)\d{4}\s+[A-ZÆØÅ][a-zæøå]+|0\d{3}(?!\d|\s?\d))")
# Furuset skole, Holmlia ungdomsskole, Foss videregående: a capitalised word before the school word.
_SCHOOL_WORDS = re.compile(
    r"(?<![^\W\d_])([A-ZÆØÅ][^\W\d_-]*(?:-[^\W\d_]+)*)\s+(?:skole|skolen|ungdomsskole|ungdomsskolen|barneskole|"
    r"barneskolen|videregående)(?![^\W\d_])"
)
_AGE_YEARS = re.compile(r"(?:(?<![^\W\d_])([^\W\d_]+)\s+)?(?<![\d.,])(\d{1,2})\s?(?:-\s?)?år(?![^\W\d_])(?!\s+siden)")
_AGE_NOUN = re.compile(r"(?<![\d.,])\d{1,2}\s?-?\s?åring(?:en|er|ene)?(?![^\W\d_])", re.IGNORECASE)
_AGE_TURNS = re.compile(r"(?<![^\W\d_])fy(?:lte|ller|lt|lle)\s+\d{1,2}(?!\d)", re.IGNORECASE)
_BORN_YEAR = re.compile(r"(?<![^\W\d_])født(?![^\W\d_])[^.\n]{0,25}?(?<!\d)(?:19|20)\d{2}(?!\d)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d])")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_SIX_DIGIT_DATE = re.compile(r"(?<![\d.,+])(\d{2})(\d{2})(\d{2})(?![\d.,])")
MONTHS = {
    "januar": 1,
    "jan": 1,
    "februar": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "desember": 12,
    "des": 12,
}
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\.?\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})(?!\d)",
    re.IGNORECASE,
)
# Words before "N år" that make it a duration or a rough age, not an exact one.
_NOT_EXACT_AGE = frozenset(
    {"i", "for", "etter", "om", "over", "under", "ca", "cirka", "rundt", "omtrent", "hvert", "annethvert"}
)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def phone_numbers(text: str) -> list[Finding]:
    return _dedupe(Finding(PHONE, m.group(0).strip()) for m in _PHONE.finditer(text))


def addresses(text: str) -> list[Finding]:
    found = [m.group(0) for pattern in (_STREET_COMPOUND, _STREET_SEPARATE) for m in pattern.finditer(text)]
    found += [m.group(0) for m in _POSTAL_CODE.finditer(text)]
    return _dedupe(Finding(ADDRESS, " ".join(match.split())) for match in found)


def school_words(text: str) -> list[Finding]:
    """ "<Name> skole" and the like, when the name is not the first word of a sentence ("Ny skole
    fra høsten" is no school's name); registered schools are found wherever they are
    (`registered_schools`)."""
    return _dedupe(
        Finding(SCHOOL, " ".join(m.group(0).split()))
        for m in _SCHOOL_WORDS.finditer(text)
        if not _starts_sentence(text, m.start())
    )


def _looks_born(born: datetime.date | None, today: datetime.date) -> bool:
    """A date that would make someone a child or young adult today: likely a date of birth."""
    return born is not None and born <= today and AGE_WORDS_RANGE[0] - 1 <= dates.age_on(born, today) <= 30


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _full_year(two_digits: int, today: datetime.date) -> int:
    century = today.year // 100 * 100
    return century + two_digits if century + two_digits <= today.year else century - 100 + two_digits


def exact_ages(text: str, *, today: datetime.date) -> list[Finding]:
    """ "15 år", "15-åring", "fylte 15", dates of birth (17.05.2011, 2011-05-17, 17. mai 2011,
    170511) and "født 2011". Durations ("i 3 år", "for 2 år siden") and rough ages ("rundt 15
    år") are left alone, and so are dates that would make nobody a youth today (this week's
    meeting)."""
    low, high = AGE_WORDS_RANGE
    found: list[str] = []
    for m in _AGE_YEARS.finditer(text):
        before, number = m.group(1), int(m.group(2))
        if low <= number <= high and (before is None or before.lower() not in _NOT_EXACT_AGE):
            found.append(m.group(0) if before is None else m.group(0)[len(before) :].strip())
    found += [m.group(0) for m in _AGE_NOUN.finditer(text)]
    found += [m.group(0) for m in _AGE_TURNS.finditer(text)]
    found += [m.group(0) for m in _BORN_YEAR.finditer(text)]
    for m in _NUMERIC_DATE.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        full = int(year) if len(year) == 4 else _full_year(int(year), today)
        if _looks_born(_date(full, month, day), today):
            found.append(m.group(0))
    for m in _ISO_DATE.finditer(text):
        if _looks_born(_date(int(m.group(1)), int(m.group(2)), int(m.group(3))), today):
            found.append(m.group(0))
    for m in _WORD_DATE.finditer(text):
        month = MONTHS[m.group(2).lower()]
        if _looks_born(_date(int(m.group(3)), month, int(m.group(1))), today):
            found.append(m.group(0))
    for m in _SIX_DIGIT_DATE.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), _full_year(int(m.group(3)), today)
        if _looks_born(_date(year, month, day), today):
            found.append(m.group(0))
    return _dedupe(Finding(AGE, " ".join(match.split())) for match in found)


# --- Names: words that are names of registered youths or guardians ------------------------------

# Everyday Norwegian words that are also first names or surnames in Oslo. Written in lower case,
# or first in a sentence, they are taken for the word; written with a capital inside a sentence
# ("vi møtte Per"), for a name. Only words likely in a concern summary are listed.
COMMON_WORDS = frozenset(
    {
        "april",
        "are",
        "ask",
        "august",
        "bakke",
        "bakken",
        "berg",
        "bjørn",
        "dag",
        "dal",
        "egal",
        "eik",
        "eng",
        "fred",
        "frank",
        "gro",
        "hagen",
        "hai",
        "haug",
        "haugen",
        "holm",
        "iver",
        "kai",
        "lie",
        "lind",
        "liv",
        "live",
        "lund",
        "lån",
        "mai",
        "mette",
        "moen",
        "nes",
        "per",
        "ravn",
        "rune",
        "sand",
        "sol",
        "son",
        "stein",
        "storm",
        "strand",
        "tangen",
        "tone",
        "tran",
        "ulv",
        "vik",
        "vilde",
        "vilje",
    }
)

_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = frozenset(".!?:")
_OPENERS = "-–—•*«»\"'([ \t"


def _starts_sentence(text: str, start: int) -> bool:
    """Is the word at `start` the first of a sentence, a line or a list item?"""
    before = text[:start].rstrip(_OPENERS)
    return not before or before[-1] in _SENTENCE_END or before[-1] == "\n"


def name_candidates(text: str) -> list[str]:
    """The words of the text that could be names: at least MIN_NAME_LENGTH letters, and not an
    everyday word (COMMON_WORDS) unless written with a capital inside a sentence."""
    words = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if len(word) < MIN_NAME_LENGTH:
            continue
        capital_inside = word[0].isupper() and not _starts_sentence(text, m.start())
        if word.lower() in COMMON_WORDS and not capital_inside:
            continue
        words.append(word)
    return list(dict.fromkeys(words))


def _split_folded(expression: str) -> str:
    return rf"regexp_split_to_table(laget_unaccent(lower({expression})), '[^[:alnum:]]+')"


def names(text: str) -> list[Finding]:
    """Words of the text that are first names, preferred names or surnames (or a part of a double
    name) of a registered youth or guardian, compared without case or accents (Lukasz finds
    Łukasz). One query, however long the text."""
    words = name_candidates(text)
    if not words:
        return []
    youth, guardian = Youth._meta.db_table, Guardian._meta.db_table
    # Every part of every registered name, folded (lower case, no accents), in one pass of the
    # two tables; the text's words are folded the same way (laget_unaccent, cases 0003).
    sql = f"""
        WITH parts(part) AS (
            SELECT {_split_folded("first_name || ' ' || preferred_name || ' ' || last_name")} FROM {youth}
            UNION
            SELECT {_split_folded("first_name || ' ' || last_name")} FROM {guardian}
        )
        SELECT w FROM unnest(%s::text[]) AS w WHERE laget_unaccent(lower(w)) IN (SELECT part FROM parts)
    """  # noqa: S608 (table names come from the models, the words are a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [words])
        matched = {row[0] for row in cursor.fetchall()}
    return [Finding(NAME, word) for word in words if word in matched]


# --- Schools and the number of youths who fit ---------------------------------------------------


def registered_schools(text: str) -> list[Unit]:
    """Schools (units of kind school) whose whole name is in the text, without case or accents."""
    if not text.strip():
        return []
    folded = Unaccent(Lower(Value(text)))
    return list(
        Unit.objects.filter(kind=Unit.Kind.SCHOOL)
        .alias(at=StrIndex(folded, Unaccent(Lower(F("name")))))
        .filter(at__gt=0)
        .order_by("name")
    )


def youths_in_band(*, district: District, age_band: str, today: datetime.date, school: Unit | None = None) -> int:
    """How many registered youths live in the district and are in the age band today (and go to
    the school, when given). Counted across Laget, whoever follows them: it is only a count."""
    low, high = AGE_BAND_RANGES[age_band]
    youths = Youth.objects.filter(
        district=district,
        birth_date__lte=dates.born_on_or_before(today, low),
        birth_date__gt=dates.born_on_or_before(today, high + 1),
    )
    if school is not None:
        youths = youths.filter(school=school)
    return youths.count()


def few_youths(
    *, district: District, age_band: str, schools: Iterable[Unit], today: datetime.date, whole_district: bool = True
) -> list[Finding]:
    """A warning when fewer than K_ANONYMITY registered youths fit the age band and district
    (unless `whole_district` is False: it was counted before), or the age band, district and a
    school the text names. The count itself is never shown (module docstring). What was counted
    is written without words to translate ("15–17, Bjerke, Furuset skole"), so the warning's key
    does not change with the interface language."""
    low, high = AGE_BAND_RANGES[age_band]
    what = [f"{low}–{high}", district.name]
    if whole_district and youths_in_band(district=district, age_band=age_band, today=today) < K_ANONYMITY:
        return [Finding(FEW_YOUTHS, ", ".join(what))]
    return [
        Finding(FEW_YOUTHS, ", ".join([*what, school.name]))
        for school in schools
        if youths_in_band(district=district, age_band=age_band, today=today, school=school) < K_ANONYMITY
    ]


# --- Everything together ------------------------------------------------------------------------


def findings(
    *, texts: Iterable[str], district: District, age_band: str, today: datetime.date, whole_district: bool = True
) -> list[Finding]:
    """Every warning for the texts of an anonymous case (its alias and summary, or a note), in
    the order they are shown. For a note, `whole_district` is False: the age band and district
    were counted when the case was made, and only a school the note names narrows them."""
    texts = [t for t in texts if t]
    result: list[Finding] = []
    for text in texts:
        result += names(text)
        result += phone_numbers(text)
        result += addresses(text)
        result += exact_ages(text, today=today)
    schools: dict[int, Unit] = {}
    for text in texts:
        for school in registered_schools(text):
            schools[school.pk] = school
            result.append(Finding(SCHOOL, school.name))
        result += school_words(text)
    result += few_youths(
        district=district, age_band=age_band, schools=schools.values(), today=today, whole_district=whole_district
    )
    return _dedupe(_without_school_name_echoes(result))


def _without_school_name_echoes(found: list[Finding]) -> list[Finding]:
    """A registered school found by its name is also "<Name> skole" in words: one warning."""
    registered = {f.match.casefold() for f in found if f.kind == SCHOOL}
    seen: set[str] = set()
    result = []
    for f in found:
        if f.kind == SCHOOL:
            folded = f.match.casefold()
            if folded in seen or any(folded != r and folded in r for r in registered):
                continue
            seen.add(folded)
        result.append(f)
    return result


def unconfirmed(found: Iterable[Finding], confirmed: Iterable[str]) -> list[Finding]:
    keys = set(confirmed)
    return [f for f in found if f.key not in keys]
