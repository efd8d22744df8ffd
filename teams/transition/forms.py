"""Forms of the transition checklist's pages (issue 14, point 2): settle a point, mark it as not
applying, open it again. The fields are named as the services' arguments; forms only read and
tidy what was typed, the rules live in teams.transition.services, whose ValidationErrors are put
back on the form (core.forms.add_service_errors) with everything typed kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User
from org.models import Unit
from teams.models import TRANSITION_HOW_MAX, TRANSITION_NAME_MAX, TransitionItem, TransitionPoint

P = TransitionPoint
HOW_LABELS: dict[str, Any] = {
    P.AFTERCARE: _("How aftercare was discussed with the youth"),
    P.NAV: _("How the handover to NAV was agreed"),
    P.HEALTH: _("How the handover to adult health services was agreed"),
    P.HOUSING: _("Where the youth will live, and how money is arranged"),
    P.SCHOOL_WORK: _("School or work after 18: what is agreed"),
    P.LEAD: _("How lead responsibility after 18 was agreed"),
}
UNIT_LABELS: dict[str, Any] = {
    P.NAV: _("The NAV office, if it is in Laget"),
    P.HEALTH: _("The health service, if it is in Laget"),
    P.LEAD: _("The service that holds lead responsibility after 18"),
}


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class SettleForm(forms.Form):
    """Settle one point: how (always), and what the point asks for besides (module docstring of
    teams.transition.services). Only the point's own fields are on the form."""

    # In the order of the page, so the error summary lists the errors as the fields come.
    field_order = ("aftercare_answer", "lead_outcome", "contact_name", "unit", "lead_user", "how")

    how = forms.CharField(
        label=_("How it was settled"),
        required=False,
        max_length=TRANSITION_HOW_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who agreed what, and when. The youth sees that the point is settled in Min plan."),
    )
    aftercare_answer = forms.ChoiceField(
        label=_("The youth's answer about aftercare"),
        required=False,
        choices=TransitionItem.AftercareAnswer.choices,
        widget=forms.RadioSelect,
    )
    contact_name = forms.CharField(
        label=_("Named contact person who takes over"),
        required=False,
        max_length=TRANSITION_NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    lead_outcome = forms.ChoiceField(
        label=_("What happens to the follow-up at 18"),
        required=False,
        choices=TransitionItem.LeadOutcome.choices,
        widget=forms.RadioSelect,
    )
    unit = UnitChoiceField(label=_("Service"), required=False, queryset=Unit.objects.none(), empty_label="–")
    lead_user = forms.ChoiceField(
        label=_("Who holds lead responsibility after 18, if known"),
        required=False,
        help_text=_("Staff with a role in force, by service. Choose someone in the service chosen above."),
    )

    def __init__(
        self, *args: Any, point: str, units: list[Unit], staff: list[tuple[Unit, list[User]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.point = point
        self.fields["how"].label = HOW_LABELS.get(point, self.fields["how"].label)
        keep = {"how"}
        if point == P.AFTERCARE:
            keep.add("aftercare_answer")
        if point in (P.NAV, P.HEALTH):
            keep |= {"contact_name", "unit"}
        if point == P.LEAD:
            keep |= {"lead_outcome", "unit", "lead_user"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "unit" in self.fields:
            unit_field = self.fields["unit"]
            assert isinstance(unit_field, UnitChoiceField)
            unit_field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name", "id")
            unit_field.label = UNIT_LABELS[point]
        self._people: dict[str, User] = {}
        if "lead_user" in self.fields:
            groups: list[tuple[str, list[tuple[str, str]]]] = []
            for unit, people in staff:
                groups.append((unit.name, [(str(p.pk), p.get_full_name() or p.email) for p in people]))
                self._people.update({str(p.pk): p for p in people})
            lead_field = self.fields["lead_user"]
            assert isinstance(lead_field, forms.ChoiceField)
            lead_field.choices = [("", "–"), *groups]

    def clean_lead_user(self) -> User | None:
        raw = self.cleaned_data.get("lead_user") or ""
        return self._people.get(raw)

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as the service's arguments (fields not on the form left out)."""
        return dict(self.cleaned_data)


class NotApplicableForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the point does not apply"),
        required=False,
        max_length=TRANSITION_HOW_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: barnevern has no measures, so there is no aftercare to discuss."),
    )


class ReopenForm(forms.Form):
    """Opening a point again asks for nothing but the confirmation (the button)."""
