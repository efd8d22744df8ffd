"""Validators shared by several apps."""

from __future__ import annotations

import datetime
import enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.no import fodselsnummer


def normalise_national_id(value: str) -> str:
    return fodselsnummer.compact(value or "")


def validate_national_id(value: str) -> None:
    """A Norwegian national identity number or D-number, with valid check digits."""
    try:
        fodselsnummer.validate(value)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The national identity number has wrong check digits. Check for typing errors."),
            code="national_id_checksum",
        ) from None
    except stdnum_exceptions.InvalidLength:
        raise ValidationError(_("A national identity number has 11 digits."), code="national_id_length") from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("This is not a valid national identity number or D-number."), code="national_id_invalid"
        ) from None


# --- Uploaded documents ------------------------------------------------------------------------

# What the municipality's archive takes and a phone camera produces: PDF, PNG and JPEG, at most
# 10 MB, recognised by their first bytes (the name alone can lie) with a name that matches.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}


class DocumentProblem(enum.Enum):
    TOO_LARGE = "too_large"
    NAME_MISMATCH = "name_mismatch"
    NOT_ALLOWED = "not_allowed"


def document_type(upload: Any) -> str | DocumentProblem:
    """The content type of an uploaded PDF, PNG or JPEG of at most 10 MB, or what is wrong with
    it (each caller says so in its own words)."""
    if upload.size is None or upload.size > MAX_DOCUMENT_BYTES:
        return DocumentProblem.TOO_LARGE
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    name = (upload.name or "").lower()
    for content_type, (signature, extensions) in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return content_type if name.endswith(extensions) else DocumentProblem.NAME_MISMATCH
    return DocumentProblem.NOT_ALLOWED


# --- Bounds of free text and dates ------------------------------------------------------------
#
# Every text a person writes and every date a person picks has bounds that fit its purpose, set
# once on the model field (forms, ModelSerializers and the admin take them from there) or, for a
# form or serializer field without a model field, from these constants. The limits are generous:
# no real caseworker text is refused, but a pasted megabyte or a date in year 1 or 9999 is.

TITLE_MAX = 200
# A reason or a comment: why something was done, a short remark.
REASON_MAX = 2_000
# A note: a safety note, a decision, what was done, a description.
NOTE_MAX = 5_000
# A narrative: a contact's text, a concern, a closing summary, a conclusion.
TEXT_MAX = 20_000
# One section of the minutes, the decisions of a meeting, an agenda.
MINUTES_MAX = 50_000

# Laget's records start here: an earlier date is a typing mistake.
RECORDS_START = datetime.date(2000, 1, 1)
# The youths Laget follows (and their families' records) were born after this.
EARLIEST_BIRTH = datetime.date(1990, 1, 1)
# The outer window the database itself holds bounded dates to (CHECK constraints): a backstop
# for writes that pass no form (imports, demo data, scripts), never tighter than a form's bounds.
DB_LATEST = datetime.date(2100, 12, 31)

YEAR = 366  # days; "five years ahead" is 5 * YEAR, a little generous on purpose


@deconstructible
class DateRange:
    """A date (or the date in Oslo of a date-time) from `earliest` to today plus `days_ahead`
    (today itself with 0). Today moves, so the latest day is worked out at each check."""

    message = _("Choose a date between %(earliest)s and %(latest)s.")
    code = "date_out_of_range"

    def __init__(self, *, earliest: datetime.date = RECORDS_START, days_ahead: int = 0) -> None:
        self.earliest = earliest
        self.days_ahead = days_ahead

    def latest(self) -> datetime.date:
        return timezone.localdate() + datetime.timedelta(days=self.days_ahead)

    def __call__(self, value: datetime.date | datetime.datetime | None) -> None:
        if value is None:
            return
        day = value
        if isinstance(value, datetime.datetime):
            try:
                day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
            except OverflowError:  # year 1 or 9999 moved across midnight by the time zone
                day = value.date()
        latest = self.latest()
        if not self.earliest <= day <= latest:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"earliest": f"{self.earliest:%d.%m.%Y}", "latest": f"{latest:%d.%m.%Y}"},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRange) and self.earliest == other.earliest and self.days_ahead == other.days_ahead

    def __hash__(self) -> int:
        return hash((self.earliest, self.days_ahead))


# The usual purposes. Something that happened: from 2000 to today.
HAPPENED = DateRange()
# A date of birth: from 1990 to today.
BORN = DateRange(earliest=EARLIEST_BIRTH)
# Something planned or due (a task, a meeting, an action item, the end of a period): up to five
# years ahead.
PLANNED = DateRange(days_ahead=5 * YEAR)
# A period that may run long (a consent, a sentence): up to ten years ahead.
LONG_PERIOD = DateRange(days_ahead=10 * YEAR)


def clean_text(value: Any) -> str:
    """Free text as a service stores it: Windows line ends made plain, and no leading or
    trailing white space (so "   " is empty and a required text refuses it)."""
    return str(value or "").replace("\r\n", "\n").strip()


def text_within(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """A database CHECK that `field` holds at most `limit` characters (the model field's
    max_length, which forms and serializers refuse first)."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def date_within(
    field: str, *, name: str, earliest: datetime.date = RECORDS_START, moment: bool = False
) -> models.CheckConstraint:
    """A database CHECK that `field` (a date, or a date-time with `moment`) lies between
    `earliest` and the end of 2100: the outer window, wider than the field's validator, which
    refuses first."""
    bounds: tuple[datetime.date, datetime.date] = (earliest, DB_LATEST)
    if moment:
        bounds = (
            datetime.datetime.combine(earliest, datetime.time.min, tzinfo=datetime.UTC),
            datetime.datetime.combine(DB_LATEST, datetime.time.max, tzinfo=datetime.UTC),
        )
    return models.CheckConstraint(condition=models.Q(**{f"{field}__range": bounds}), name=name)
