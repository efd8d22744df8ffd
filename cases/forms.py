"""Forms for youths and their follow-up. Forms only read and tidy what was typed; the rules
(duplicates, capacity, who may do what) live in cases.services, whose ValidationErrors are put
back on the form by `core.forms.add_service_errors`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.validators import REASON_MAX, TEXT_MAX, normalise_national_id, validate_national_id
from org.models import Unit

from .models import FollowUp, FollowUpAssignment, Youth
from .services import YOUTH_FIELDS

RESTRICTED_FIELDS = ("national_id", "address", "postal_code")


class YouthForm(forms.Form):
    """A youth's details. Without `restricted`, address and national identity number are left
    out altogether (barnevern's stricter confidentiality): they are neither shown nor changed."""

    def __init__(self, *args: Any, restricted: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [name for name in YOUTH_FIELDS if restricted or name not in RESTRICTED_FIELDS]
        fields = fields_for_model(
            Youth,
            fields=names,
            widgets={
                "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                "safety_notes": forms.Textarea(attrs={"rows": 3}),
                "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            },
        )
        if "national_id" in fields:
            # Typed with spaces or a dash as often as without: tidied before it is checked.
            fields["national_id"] = forms.CharField(
                label=fields["national_id"].label,
                help_text=fields["national_id"].help_text,
                required=False,
                max_length=14,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
        self.fields.update(fields)

    def clean_national_id(self) -> str:
        value = normalise_national_id(self.cleaned_data.get("national_id", ""))
        if value:
            validate_national_id(value)
        return value

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in YOUTH_FIELDS if name in self.cleaned_data}

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in groups with a legend each, for the template."""
        groups: list[tuple[str, tuple[str, ...]]] = [
            (
                str(_("The youth")),
                ("first_name", "last_name", "preferred_name", "birth_date", "national_id", "gender"),
            ),
            (str(_("District and school")), ("district", "school", "school_class")),
            (
                str(_("Address and contact")),
                ("address", "postal_code", "phone", "language", "needs_interpreter"),
            ),
            (str(_("Safety")), ("safety_notes",)),
        ]
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in groups]


class YouthRegisterForm(YouthForm):
    """Register a youth in one of the units where the person is a coordinator or leader."""

    unit = forms.ModelChoiceField(
        label=_("Follow-up team"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose a unit"),
        help_text=_("The youth's follow-up starts in intake in this unit."),
    )
    register_anyway = forms.BooleanField(
        label=_("Register anyway"),
        required=False,
        help_text=_("Tick only when you have checked that it is not the same youth."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, restricted=True, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class YouthSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, national identity number or school."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )


# --- Follow-up -----------------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField[User]):
    """Staff with their current load, "Alice Berg (3 of 5)", so the coordinator sees capacity."""

    def __init__(self, *args: Any, loads: dict[int, int], limit: int, **kwargs: Any) -> None:
        self.loads = loads
        self.limit = limit
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("%(name)s (%(load)d of %(limit)d)")
            % {"name": obj.full_name or obj.email, "load": self.loads.get(obj.pk, 0), "limit": self.limit}
        )


class AssignForm(forms.Form):
    """Give the follow-up a follower, family follower or coordinator (one form per role, the
    role in the form's prefix)."""

    override_reason = forms.CharField(
        label=_("Reason for exception"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only a leader can let a follower take more youths than the limit. The reason is kept."),
    )

    HEADINGS: dict[str, Any] = {
        FollowUpAssignment.Role.LEAD: _("Follower (lead)"),
        FollowUpAssignment.Role.FAMILY: _("Family follower"),
        FollowUpAssignment.Role.COORDINATOR: _("Coordinator"),
    }

    def __init__(
        self,
        *args: Any,
        role: str,
        staff: QuerySet[User],
        loads: dict[int, int],
        limit: int,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", role)
        super().__init__(*args, **kwargs)
        self.role = role
        self.heading = self.HEADINGS.get(role, role)
        self.fields["user"] = PersonChoiceField(
            label=_("Person"),
            queryset=staff,
            loads=loads,
            limit=limit,
            empty_label=_("Choose a person"),
            help_text=_("The number is how many youths each person follows now, and the limit."),
        )
        self.order_fields(["user", "override_reason"])
        self.capacity_refused = False


class StateForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            (FollowUp.State.ACTIVE, FollowUp.State.ACTIVE.label),
            (FollowUp.State.PAUSED, FollowUp.State.PAUSED.label),
        ]
    )


class UnassignForm(forms.Form):
    assignment = forms.IntegerField(min_value=1)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", _("Choose a reason")), *FollowUp.ClosingReason.choices],
    )
    summary = forms.CharField(
        label=_("Closing summary"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was done, what was reached, and who follows the youth now, if anyone."),
    )
