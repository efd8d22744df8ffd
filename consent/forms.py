"""Forms for recording and withdrawing consents.

Forms only read and tidy what was typed; the rules (the age rules, the signed form's type and
size, who may record or withdraw) live in consent.services, whose ValidationErrors are put back
on the form with cases.forms.add_service_errors.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Guardian, Youth
from teams.models import Unit

from .models import Category, ConsentAnswer, ConsentVersion

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ANSWER_CHOICES = ConsentAnswer.Answer.choices
GUARDIAN_PREFIX = "guardian_"


def _unit_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active services, grouped by district (city-wide services last), sorted by name."""
    groups: dict[str, list[tuple[int, str]]] = {}
    city_wide: list[tuple[int, str]] = []
    units = Unit.objects.filter(is_active=True).select_related("district").order_by("district__number", "name")
    for unit in units:
        if unit.district is None:
            city_wide.append((unit.pk, unit.name))
        else:
            groups.setdefault(str(unit.district.name), []).append((unit.pk, unit.name))
    choices = list(groups.items())
    if city_wide:
        choices.append((str(_("City-wide")), city_wide))
    return choices


class ConsentForm(forms.Form):
    """A consent or a refusal: what is shared, with whom, for what, in which form, for how long,
    and each required party's own answer. Which answers are asked follows the youth's age today;
    the service checks the age rules on the day the consent starts."""

    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        help_text=_("What the information is shared for, in plain words."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories of information"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.TypedMultipleChoiceField(
        label=_("Receiving services"),
        coerce=int,
        help_text=_("A service, not a person."),
        widget=forms.CheckboxSelectMultiple,
    )
    form = forms.ChoiceField(
        label=_("Form"),
        choices=ConsentVersion.Form.choices,
        widget=forms.RadioSelect,
    )
    document = forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("For a written consent: PDF, PNG or JPEG, at most 10 MB."),
    )
    noted_at = forms.DateTimeField(
        label=_("Oral consent given at"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("For an oral consent. You are noted as the one who heard it. Empty: now."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE_WIDGET)
    youth_view = forms.CharField(
        label=_("The youth's view"),
        required=False,
        max_length=4000,
        help_text=_("Under 15 the guardians decide, and the youth is heard: write down what the youth said."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    youth_answer = forms.ChoiceField(
        label=_("The youth's answer"),
        required=False,
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, youth: Youth, guardians: list[Guardian], today: datetime.date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        age = youth.age_on(today)
        self.fields["units"].choices = _unit_choices()  # type: ignore[attr-defined]
        if age >= 15:
            del self.fields["youth_view"]
        else:
            del self.fields["youth_answer"]
        self.guardians = guardians if age < 18 else []
        for guardian in self.guardians:
            self.fields[f"{GUARDIAN_PREFIX}{guardian.pk}"] = forms.ChoiceField(
                label=_("Answer from %(guardian)s") % {"guardian": guardian},
                required=False,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
            )

    def guardian_fields(self) -> list[forms.BoundField]:
        return [self[f"{GUARDIAN_PREFIX}{g.pk}"] for g in self.guardians]

    def service_data(self) -> dict[str, Any]:
        """The keyword arguments for consent.services.consent_record (except actor and youth)."""
        data = self.cleaned_data
        units = {u.pk: u for u in Unit.objects.filter(pk__in=data["units"], is_active=True)}
        return {
            "purpose": data["purpose"],
            "categories": data["categories"],
            "units": [units[pk] for pk in data["units"] if pk in units],
            "form": data["form"],
            "valid_from": data["valid_from"],
            "valid_to": data["valid_to"],
            "youth_answer": data.get("youth_answer") or None,
            "guardian_answers": {
                g: data[f"{GUARDIAN_PREFIX}{g.pk}"] for g in self.guardians if data.get(f"{GUARDIAN_PREFIX}{g.pk}")
            },
            "youth_view": data.get("youth_view") or "",
            "document": data.get("document"),
            "noted_at": data.get("noted_at"),
        }


class WithdrawForm(forms.Form):
    """Who withdrew the consent (the youth, or a guardian with parental responsibility) and why."""

    who = forms.ChoiceField(label=_("Withdrawn by"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why"),
        max_length=4000,
        help_text=_("For example what the youth or the guardian said."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, guardians: list[Guardian], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in guardians}
        self.fields["who"].choices = [  # type: ignore[attr-defined]
            (ConsentVersion.Party.YOUTH, ConsentVersion.Party.YOUTH.label),
            *[(f"{GUARDIAN_PREFIX}{pk}", str(g)) for pk, g in self.guardians.items()],
        ]

    def service_data(self) -> dict[str, Any]:
        who: str = self.cleaned_data["who"]
        if who.startswith(GUARDIAN_PREFIX):
            guardian = self.guardians[who.removeprefix(GUARDIAN_PREFIX)]
            return {"party": ConsentVersion.Party.GUARDIAN, "guardian": guardian, "reason": self.cleaned_data["reason"]}
        return {"party": ConsentVersion.Party.YOUTH, "guardian": None, "reason": self.cleaned_data["reason"]}
