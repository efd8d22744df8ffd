"""Forms for anonymous discussions: bring a case, add a note, name it, close it.

Forms only read and tidy what was typed; the checks (identity numbers refused, warnings to
confirm) and the rules live in consent.discussions.checks and consent.services. When the service finds
warnings not yet confirmed, the form is shown again with the warnings, their keys in hidden
fields and the confirmation box unticked: ticking it confirms exactly the warnings shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cases.models import Youth
from consent.discussions.checks import Finding
from consent.models import DiscussionCase
from core.validators import NOTE_MAX
from org.models import District, Unit

MAX_WARNINGS = 50


class WarningKeysField(forms.Field):
    """The keys of the warnings the person was shown (consent.discussions.checks.Finding.key)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        return [str(v)[:300] for v in values][:MAX_WARNINGS]


class _Warnings(forms.Form):
    shown_warnings = WarningKeysField(required=False)
    confirm = forms.BooleanField(label=_("I have checked: the details do not identify the youth"), required=False)

    findings: list[Finding]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.findings = []

    def confirmed_warnings(self) -> list[str]:
        return self.cleaned_data["shown_warnings"] if self.cleaned_data.get("confirm") else []

    def show_warnings(self, findings: list[Finding]) -> None:
        """Show the form again with these warnings, to confirm afresh (the box unticked)."""
        self.findings = findings
        data = QueryDict(mutable=True)
        data.update(self.data)  # a QueryDict keeps every value of a multiple field
        data.setlist("shown_warnings", [f.key for f in findings])
        data.pop("confirm", None)
        self.data = data


def case_create_data(data: dict[str, Any], confirmed_warnings: list[str]) -> dict[str, Any]:
    """The keyword arguments for consent.discussions.services.discussion_case_create (except actor), from the
    page's form or the API's serializer."""
    return {
        "unit": data["unit"],
        "alias": data["alias"],
        "age_band": data["age_band"],
        "district": data["district"],
        "summary": data["summary"],
        "confirmed_warnings": confirmed_warnings,
    }


class DiscussionCaseForm(_Warnings):
    """A case for an intake or list meeting: who brings it, an alias, an age band, a district
    and the concern. Nothing that identifies the youth."""

    unit = forms.ModelChoiceField(label=_("Brought by"), queryset=Unit.objects.none(), empty_label=None)
    alias = forms.CharField(
        label=_("Alias"),
        max_length=60,
        help_text=_("A name for the meeting that does not identify the youth, for example «Gutt A» or «Jente 2»."),
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        choices=DiscussionCase.AgeBand.choices,
        help_text=_("An age band, never the exact age."),
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.order_by("number"), empty_label=_("Choose a district")
    )
    summary = forms.CharField(
        label=_("The concern"),
        max_length=NOTE_MAX,
        help_text=_(
            "What the meeting should know and decide. No name, national identity number, address, school, "
            "phone number or exact age."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        return case_create_data(self.cleaned_data, self.confirmed_warnings())


class DiscussionNoteForm(_Warnings):
    """What the meeting said about the case."""

    text = forms.CharField(
        label=_("Note from the meeting"),
        max_length=NOTE_MAX,
        help_text=_("What was discussed and agreed, and who does what. The same care as the summary."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def service_data(self) -> dict[str, Any]:
        return {"text": self.cleaned_data["text"], "confirmed_warnings": self.confirmed_warnings()}


class _YouthChoice(forms.ModelChoiceField[Youth]):
    def label_from_instance(self, obj: Youth) -> str:
        return f"{obj.display_name} ({obj.birth_date:%Y}, {obj.district.name})"


class DiscussionConvertForm(forms.Form):
    """Which youth the case turns out to be, now that there is consent."""

    youth = _YouthChoice(
        label=_("Youth"),
        queryset=Youth.objects.none(),
        empty_label=_("Choose the youth"),
        help_text=_("The youths you work with. The youth must have a consent in force."),
    )

    def __init__(self, *args: Any, youths: QuerySet[Youth], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youths  # type: ignore[attr-defined]


class DiscussionCloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the case closed?"),
        choices=DiscussionCase.ClosingReason.choices,
        widget=forms.RadioSelect,
    )
