"""Validators shared by several apps."""

from __future__ import annotations

import enum
from typing import Any

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
