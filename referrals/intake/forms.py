"""Forms of the intake pages: propose a candidate, decide about one in intake mode, add a youth
to a list meeting. Forms only read and tidy what was typed; the rules (a named youth or an
anonymous case, never both; a list entry says something) live in
referrals.intake.services, whose ValidationErrors are put back on the form
(core.forms.add_service_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Youth
from consent.models import DiscussionCase
from core.models import User
from core.validators import NOTE_MAX, REASON_MAX, TEXT_MAX
from org.models import District, Unit
from referrals.intake.selectors import FollowerChoice
from referrals.models import Outcome, Urgency

# The decisions in the order of the keys 1–5 in intake mode.
OUTCOME_KEYS = [
    Outcome.TAKEN_IN,
    Outcome.WAITING_LIST,
    Outcome.OTHER_SERVICE,
    Outcome.DECLINED,
    Outcome.AWAITING_CONSENT,
]


class _YouthChoice(forms.ModelChoiceField[Youth]):
    def label_from_instance(self, obj: Youth) -> str:
        return f"{obj.display_name} ({obj.birth_date:%d.%m.%Y}, {obj.district.name})"


class _CaseChoice(forms.ModelChoiceField[DiscussionCase]):
    def label_from_instance(self, obj: DiscussionCase) -> str:
        return f"{obj.alias} ({obj.get_age_band_display()}, {obj.district.name})"


class _UnitChoice(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return str(obj.name)


class _DistrictChoice(forms.ModelChoiceField[District]):
    def label_from_instance(self, obj: District) -> str:
        return str(obj)


def propose_data(data: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments for referrals.intake.services.intake_candidate_propose (except
    actor), from the page's form or the API's serializer."""
    return {
        "district": data["district"],
        "youth": data.get("youth"),
        "discussion": data.get("discussion"),
        "unit": data["unit"],
        "reason": data["reason"],
        "urgency": data["urgency"],
    }


class ProposeForm(forms.Form):
    """A named youth (with consent) or an anonymous case, for one district's intake queue."""

    district = _DistrictChoice(
        label=_("District"), queryset=District.objects.none(), empty_label=_("Choose a district")
    )
    youth = _YouthChoice(
        label=_("Named youth"),
        queryset=Youth.objects.none(),
        required=False,
        empty_label=_("No named youth"),
        help_text=_("Youths you work with. Propose a youth by name only with consent."),
    )
    discussion = _CaseChoice(
        label=_("Or an anonymous case"),
        queryset=DiscussionCase.objects.none(),
        required=False,
        empty_label=_("No anonymous case"),
        help_text=_("Open anonymous discussions you take part in. Shown by the alias only."),
    )
    unit = _UnitChoice(label=_("Proposed by"), queryset=Unit.objects.none(), empty_label=None)
    reason = forms.CharField(
        label=_("Why one-to-one follow-up is proposed"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write why one-to-one follow-up is proposed.")},
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL, widget=forms.RadioSelect
    )

    def __init__(
        self,
        *args: Any,
        districts: QuerySet[District],
        youths: QuerySet[Youth],
        discussions: QuerySet[DiscussionCase],
        units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["youth"].queryset = youths  # type: ignore[attr-defined]
        self.fields["discussion"].queryset = discussions  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["district"].error_messages["required"] = _("Choose the district whose queue it is.")

    def service_data(self) -> dict[str, Any]:
        return propose_data(self.cleaned_data)


class _FollowerChoice(forms.ModelChoiceField[User]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.loads: dict[int, FollowerChoice] = {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        choice = self.loads.get(obj.pk)
        return choice.label if choice is not None else str(obj.full_name or obj.email)


class DecisionForm(forms.Form):
    """One decision in intake mode: the keys 1–5 choose the outcome, F the follower."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[(value, Outcome(value).label) for value in OUTCOME_KEYS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    follower = _FollowerChoice(
        label=_("Follower"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose a follower"),
        help_text=_("When taken in. The number is how many youths they follow now, of the limit."),
    )
    override_reason = forms.CharField(
        label=_("Reason for exceeding capacity (leaders only)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Only when the follower already follows as many youths as the limit."),
    )
    referred_to = forms.CharField(
        label=_("Referred to which service"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, followers: list[FollowerChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["follower"]
        assert isinstance(field, _FollowerChoice)
        field.loads = {f.user.pk: f for f in followers}
        field.queryset = User.objects.filter(pk__in=[f.user.pk for f in followers]).order_by("full_name", "pk")

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "follower": data.get("follower"),
            "override_reason": data.get("override_reason", ""),
            "referred_to": data.get("referred_to", ""),
            "note": data.get("note", ""),
        }


class ListEntryForm(forms.Form):
    """A youth or an anonymous case discussed in a list meeting."""

    youth = _YouthChoice(
        label=_("Named youth"), queryset=Youth.objects.none(), required=False, empty_label=_("No named youth")
    )
    discussion = _CaseChoice(
        label=_("Or an anonymous case"),
        queryset=DiscussionCase.objects.none(),
        required=False,
        empty_label=_("No anonymous case"),
    )
    police_information = forms.CharField(
        label=_("Information from the police"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Marked as police information: shown only to services that consent or law allows."),
    )
    decision = forms.CharField(
        label=_("Decision"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, youths: QuerySet[Youth], discussions: QuerySet[DiscussionCase], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youths  # type: ignore[attr-defined]
        self.fields["discussion"].queryset = discussions  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "youth": data.get("youth"),
            "discussion": data.get("discussion"),
            "police_information": data.get("police_information", ""),
            "decision": data.get("decision", ""),
        }
