from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .lockout import normalise_email


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, field_names: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    that field (a service's name for it translated by `field_names` where the form's differs),
    otherwise at the top of the form. Every app's views use it, so it lives here."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = (field_names or {}).get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class SignInEmailField(forms.EmailField):
    """The e-mail as the account knows it: one spelling for every way of typing it (core.lockout),
    so the password check and the lock-out count the same account."""

    def to_python(self, value: Any) -> str:
        return normalise_email(value)


class EmailAuthenticationForm(AuthenticationForm):
    """The password step: e-mail and password."""

    username = SignInEmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    error_messages = {
        "invalid_login": _("Wrong e-mail or password. After %(limit)s failed attempts the account is locked."),
        "inactive": _("This account is deactivated. Contact your leader."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")

    def get_invalid_login_error(self) -> forms.ValidationError:
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class TokenForm(forms.Form):
    """The second step: the six-digit code from the authenticator app."""

    token = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has six digits.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "maxlength": 8}
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class ApiTokenForm(forms.Form):
    """A new API key: what it is for and how long it lasts (the rules are in core.api_tokens)."""

    purpose = forms.CharField(
        label=_("What is the key for?"),
        max_length=100,
        help_text=_("For example the system that will use it. Shown in your list of keys and in the audit trail."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.LAGET_API_TOKEN_MAX_DAYS,
        initial=settings.LAGET_API_TOKEN_DAYS,
    )
