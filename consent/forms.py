"""Forms for recording, revising and withdrawing consents, and for using a legal basis.

Forms only read and tidy what was typed; the rules (the age rules, the signed form's type and
size, who may record or withdraw) live in consent.services, whose ValidationErrors are put back
on the form with core.forms.add_service_errors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Guardian, Youth
from core.validators import HAPPENED, LONG_PERIOD, NOTE_MAX, PLANNED, REASON_MAX
from org.models import Unit

from .models import Category, ConsentAnswer, ConsentVersion, LegalBasis
from .services import LEGAL_BASIS_DEFAULT_DAYS, LEGAL_BASIS_MAX_DAYS, LEGAL_BASIS_MIN_REASON

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
    the service checks the strictest age rule of the ages today and on the day the consent
    starts."""

    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=REASON_MAX,
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
    outreach_notes_to_police = forms.BooleanField(
        label=_("The outreach service's notes may be shared with the police"),
        required=False,
        help_text=_(
            "Tick only when the youth (and under 18 the guardians) agreed to exactly this, and a police unit "
            "is among the receiving services. Without it the police never see what outreach workers wrote."
        ),
    )
    involve_guardians = forms.BooleanField(
        label=_("The youth wants the guardians told and involved after 18"),
        required=False,
        help_text=_(
            "From the 18th birthday the guardians are told nothing: no letters, no meeting invitations, no plan "
            "to acknowledge. Tick only when the youth has said they want the guardians involved. It counts only "
            "for the youth's own consent, starting on or after the 18th birthday."
        ),
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
        validators=[HAPPENED],
        help_text=_("For an oral consent. You are noted as the one who heard it. Empty: now."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET, validators=[PLANNED])
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE_WIDGET, validators=[LONG_PERIOD])
    youth_view = forms.CharField(
        label=_("The youth's view"),
        required=False,
        max_length=NOTE_MAX,
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
        if age < 17:
            # Only the youth's own consent from the birthday may say so (consent_version_check):
            # offered from the year before, when such a consent can be recorded to start then.
            del self.fields["involve_guardians"]
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
            "purpose": data.get("purpose", ""),
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
            "outreach_notes_to_police": bool(data.get("outreach_notes_to_police")),
            "involve_guardians": bool(data.get("involve_guardians")),
        }


class ConsentReviseForm(ConsentForm):
    """A change to a consent: the recording form without the purpose (a consent keeps its
    purpose; another purpose is another consent). Start it from `revise_initial`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["purpose"]

    def service_data(self) -> dict[str, Any]:
        """The keyword arguments for consent.services.consent_revise (except actor and consent)."""
        data = super().service_data()
        del data["purpose"]
        return data


def revise_initial(version: ConsentVersion, today: datetime.date) -> dict[str, Any]:
    """The revise form filled in from the current version: what it covers, its form and answers.
    The new version starts today (its age rule follows the youth's age today); it keeps the end
    date unless that has passed. The signed form and the time of an oral consent are given anew."""
    initial: dict[str, Any] = {
        "categories": list(version.categories),
        "units": [u.pk for u in version.units.all()],
        "form": version.form,
        "valid_from": today,
        "valid_to": version.valid_to if version.valid_to >= today else today + datetime.timedelta(days=365),
        "youth_view": version.youth_view,
        "outreach_notes_to_police": version.outreach_notes_to_police,
        "involve_guardians": version.involve_guardians,
    }
    for answer in version.answers.all():
        if answer.party == ConsentVersion.Party.YOUTH:
            initial["youth_answer"] = answer.answer
        else:
            initial[f"{GUARDIAN_PREFIX}{answer.guardian_id}"] = answer.answer
    return initial


class WithdrawForm(forms.Form):
    """Who withdrew the consent (the youth, or a guardian with parental responsibility) and why."""

    who = forms.ChoiceField(label=_("Withdrawn by"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why"),
        max_length=NOTE_MAX,
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


@dataclass
class BasisOption:
    radio: Any  # the radio button (a BoundWidget)
    basis: LegalBasis
    categories: list[str]
    receiving: list[str]  # kinds of service; empty: any service


class LegalBasisUseForm(forms.Form):
    """A use of a legal basis: which basis from the catalogue, what is opened to which service,
    why, and until when. The service checks the reason, the basis's categories and services,
    and the time limit."""

    basis = forms.ChoiceField(label=_("Legal basis"), widget=forms.RadioSelect)
    categories = forms.MultipleChoiceField(
        label=_("Categories of information"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what the receiving service needs, and only categories the legal basis allows."),
    )
    unit = forms.TypedChoiceField(
        label=_("Receiving service"),
        coerce=int,
        help_text=_("The service that receives the information."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    until = forms.DateTimeField(label=_("Until"), required=False, widget=DATETIME_WIDGET, validators=[PLANNED])

    def __init__(self, *args: Any, bases: list[LegalBasis], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The numbers are the service's rules; filled in here, in the language of the request.
        self.fields["reason"].help_text = gettext(
            "At least %(n)d characters: what happened, and why the information must be shared without consent."
        ) % {"n": LEGAL_BASIS_MIN_REASON}
        self.fields["until"].help_text = gettext("Empty: %(default)d days from now. At most %(max)d days.") % {
            "default": LEGAL_BASIS_DEFAULT_DAYS,
            "max": LEGAL_BASIS_MAX_DAYS,
        }
        self.bases = {str(basis.pk): basis for basis in bases}
        self.fields["basis"].choices = [  # type: ignore[attr-defined]
            (pk, f"{basis.title} ({basis.law_reference})") for pk, basis in self.bases.items()
        ]
        self.fields["unit"].choices = [("", _("Choose a service")), *_unit_choices()]  # type: ignore[attr-defined]

    def basis_options(self) -> list[BasisOption]:
        """Each basis's radio button with what the catalogue says of it, to show beside it."""
        options = []
        for radio in self["basis"]:
            basis = self.bases[str(radio.data["value"])]
            options.append(
                BasisOption(
                    radio=radio,
                    basis=basis,
                    categories=[str(Category(c).label) for c in basis.categories if c in Category.values],
                    receiving=[str(Unit.Kind(k).label) for k in basis.receiving_kinds if k in Unit.Kind.values],
                )
            )
        return options

    def service_data(self) -> dict[str, Any]:
        """The keyword arguments for consent.services.legal_basis_use (except actor and youth)."""
        data = self.cleaned_data
        return {
            "basis": self.bases[data["basis"]],
            "categories": data["categories"],
            "unit": Unit.objects.get(pk=data["unit"]),
            "reason": data["reason"],
            "until": data.get("until"),
        }
