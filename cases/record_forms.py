"""Forms for a youth's records: offences (police information), criminal-justice steps with their
reporting dates (meldeplikt), and outcome measures.

Forms only read and tidy what was typed; the rules (a date in the future, reporting dates only on
a reporting duty, who may register what) live in cases.services, whose ValidationErrors are put
back on the form with `core.forms.add_service_errors`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import PLANNED

from .models import JusticeStep, Offence, OutcomeMeasure

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

# A reporting duty is rarely longer than two years of weekly reporting.
MAX_WEEKLY_DATES = 104
# Irregular reporting dates, one a line, as people type them in Norway or as ISO.
EXTRA_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M", "%d.%m.%Y kl. %H.%M", "%d.%m.%Y kl %H.%M")
MAX_EXTRA_DATES = 100


class OffenceForm(forms.ModelForm[Offence]):
    """An offence (forhold) as the police registered it."""

    class Meta:
        model = Offence
        fields = ["kind", "committed_on", "police_reference", "description"]
        widgets = {
            "committed_on": DATE_WIDGET,
            "police_reference": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "police_reference": _("The police's case number (anmeldelsesnummer), if known."),
            "description": _("Police information: write only what the police have shared."),
        }

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _local(day: datetime.date, at: datetime.time) -> datetime.datetime:
    """A wall-clock time in Oslo (the current time zone), right across summer time changes."""
    return timezone.make_aware(datetime.datetime.combine(day, at))


class JusticeStepForm(forms.ModelForm[JusticeStep]):
    """A criminal-justice step. For a reporting duty (meldeplikt) also the dates to report:
    a first date and time repeated weekly, and/or irregular dates one a line, and where."""

    reporting_first_on = forms.DateField(
        label=_("First reporting date"), required=False, widget=DATE_WIDGET, validators=[PLANNED]
    )
    reporting_time = forms.TimeField(label=_("Time"), required=False, widget=TIME_WIDGET)
    reporting_count = forms.IntegerField(
        label=_("Number of weeks"),
        required=False,
        min_value=1,
        max_value=MAX_WEEKLY_DATES,
        help_text=_("The same weekday and time every week, starting on the first date."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reporting_extra = forms.CharField(
        label=_("Other reporting dates"),
        required=False,
        max_length=4000,
        help_text=_("One a line, for example 24.03.2026 14.00."),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    reporting_place = forms.CharField(
        label=_("Where to report"),
        required=False,
        max_length=200,
        help_text=_("For example the police station at Grønland."),
    )

    class Meta:
        model = JusticeStep
        fields = ["kind", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3})}

    REPORTING_FIELDS = ("reporting_first_on", "reporting_time", "reporting_count", "reporting_extra", "reporting_place")

    def clean_reporting_extra(self) -> list[datetime.datetime]:
        text: str = self.cleaned_data.get("reporting_extra") or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_EXTRA_DATES:
            raise ValidationError(_("At most %(n)d dates.") % {"n": MAX_EXTRA_DATES})
        moments = []
        for line in lines:
            for fmt in EXTRA_DATE_FORMATS:
                try:
                    parsed = datetime.datetime.strptime(line, fmt)
                except ValueError:
                    continue
                try:
                    PLANNED(parsed.date())
                except ValidationError as error:
                    raise ValidationError(
                        _("«%(line)s»: %(problem)s") % {"line": line[:40], "problem": " ".join(error.messages)}
                    ) from None
                moments.append(_local(parsed.date(), parsed.time()))
                break
            else:
                raise ValidationError(
                    _("«%(line)s» is not a date and time. Write for example 24.03.2026 14.00.") % {"line": line[:40]}
                )
        return moments

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, at, count = (
            cleaned.get("reporting_first_on"),
            cleaned.get("reporting_time"),
            cleaned.get("reporting_count"),
        )
        weekly = first is not None or at is not None or count is not None
        if weekly:
            if first is None:
                self.add_error("reporting_first_on", _("Give the first reporting date."))
            if at is None:
                self.add_error("reporting_time", _("Give the time to report."))
            if first is not None and count is not None and first.year > datetime.MAXYEAR - 3:
                self.add_error("reporting_first_on", _("Check the year."))
        if (
            cleaned.get("kind") == JusticeStep.Kind.REPORTING_DUTY
            and not weekly
            and not cleaned.get("reporting_extra")
            and "reporting_extra" not in self.errors
        ):
            self.add_error("reporting_first_on", _("A reporting duty needs its reporting dates."))
        return cleaned

    def reporting_dates(self) -> list[datetime.datetime]:
        """Every reporting date typed, in order, without duplicates."""
        first, at = self.cleaned_data.get("reporting_first_on"), self.cleaned_data.get("reporting_time")
        moments: set[datetime.datetime] = set(self.cleaned_data.get("reporting_extra") or [])
        if first is not None and at is not None:
            count = self.cleaned_data.get("reporting_count") or 1
            moments.update(_local(first + datetime.timedelta(weeks=week), at) for week in range(count))
        return sorted(moments)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OutcomeForm(forms.ModelForm[OutcomeMeasure]):
    """Where the youth stands now: at the start, every 3 months and at the end (seed 001)."""

    class Meta:
        model = OutcomeMeasure
        fields = [
            "measured_on",
            "phase",
            "school_attendance",
            "offences_last_period",
            "substance_use",
            "organised_activity",
            "occupation",
            "note",
        ]
        widgets = {
            "measured_on": DATE_WIDGET,
            "school_attendance": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
            "offences_last_period": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "school_attendance": _("Per cent of school days attended. Leave empty when not in school."),
            "offences_last_period": _("Offences registered by the police since the last measure."),
        }

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AttendedForm(forms.Form):
    """Did the youth report as they should (meldeplikt)?"""

    attended = forms.TypedChoiceField(
        label=_("Attended"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
