"""Validators shared by several apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
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
