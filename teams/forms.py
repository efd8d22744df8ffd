"""Forms of the team page: add a staff member, an external person, a guardian or the youth; end a
membership. Forms only read and tidy what was typed; the rules live in teams.services, whose
ValidationErrors are put back on the form (core.forms.add_service_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Guardian, Guardianship, Youth
from core.models import User
from core.validators import REASON_MAX
from org.models import Unit
from teams.models import TeamMember

Role = TeamMember.Role

# The roles a staff member or an external person can have (the youth and the guardians have
# their own).
ADULT_ROLES = [(value, label) for value, label in Role.choices if value not in (Role.YOUTH, Role.GUARDIAN)]

NOTE_WIDGET = forms.TextInput(attrs={"autocomplete": "off"})


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        district = obj.district.name if obj.district is not None else _("city-wide")
        return f"{obj.name} ({district})"


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj.full_name or obj.email)


class StaffMemberForm(forms.Form):
    """A staff member, acting for one service where they hold a role: the service first, then
    the person (the list of people follows the service chosen)."""

    prefix = "staff"

    unit = UnitChoiceField(
        label=_("Service"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose a service"),
        help_text=_("The service the person takes part for."),
    )
    user = PersonChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("People with a role in the service, who are not in the team already."),
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=[("", _("Choose a role")), *ADULT_ROLES])
    note = forms.CharField(
        label=_("What they do in the team"),
        required=False,
        max_length=200,
        widget=NOTE_WIDGET,
        help_text=_("Optional, in a few words: «contact teacher of 9B»."),
    )
    is_lead = forms.BooleanField(
        label=_("Give them lead responsibility"),
        required=False,
        help_text=_("The one who holds it now stays in the team without it."),
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], people: QuerySet[User], team_started: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["user"].queryset = people  # type: ignore[attr-defined]
        if not team_started:
            # The first member takes lead responsibility whatever is ticked.
            del self.fields["is_lead"]

    def chosen_unit(self, units: QuerySet[Unit]) -> Unit | None:
        """The service chosen in what was sent, to list its people (before full validation)."""
        raw = self.data.get(self.add_prefix("unit")) if self.is_bound else self.initial.get("unit")
        if not raw:
            return None
        try:
            return units.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            return None

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": TeamMember.Kind.STAFF,
            "unit": data["unit"],
            "user": data["user"],
            "role": data["role"],
            "note": data["note"],
            "is_lead": data.get("is_lead", False),
        }


class ExternalMemberForm(forms.Form):
    """Someone from outside the municipality's services: a coach, a relative, a volunteer."""

    prefix = "external"

    external_name = forms.CharField(label=_("Name"), max_length=200)
    external_organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        help_text=_("For example the football club or the mosque."),
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=[("", _("Choose a role")), *ADULT_ROLES])
    external_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    external_email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    note = forms.CharField(label=_("What they do in the team"), required=False, max_length=200, widget=NOTE_WIDGET)

    def service_data(self) -> dict[str, Any]:
        return {"kind": TeamMember.Kind.EXTERNAL, **self.cleaned_data}


class GuardianChoiceField(forms.ModelChoiceField[Guardian]):
    """A guardian with their relation to the youth, "Fatima Ali (mother)"."""

    def __init__(self, *args: Any, relations: dict[int, str], **kwargs: Any) -> None:
        self.relations = relations
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Guardian) -> str:
        relation = self.relations.get(obj.pk)
        return f"{obj} ({relation})" if relation else str(obj)


class GuardianMemberForm(forms.Form):
    prefix = "guardian"

    def __init__(self, *args: Any, youth: Youth, guardians: QuerySet[Guardian], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relations = {
            g.guardian_id: str(g.get_relation_display()).lower()
            + ("" if g.parental_responsibility else f", {_('no parental responsibility')}")
            for g in Guardianship.objects.filter(youth=youth)
        }
        self.fields["guardian"] = GuardianChoiceField(
            label=_("Guardian"), queryset=guardians, empty_label=_("Choose a guardian"), relations=relations
        )
        self.fields["note"] = forms.CharField(
            label=_("What they do in the team"), required=False, max_length=200, widget=NOTE_WIDGET
        )

    def service_data(self) -> dict[str, Any]:
        return {"kind": TeamMember.Kind.GUARDIAN, **self.cleaned_data}


class YouthMemberForm(forms.Form):
    prefix = "youth"

    note = forms.CharField(label=_("What they do in the team"), required=False, max_length=200, widget=NOTE_WIDGET)

    def service_data(self) -> dict[str, Any]:
        return {"kind": TeamMember.Kind.YOUTH, **self.cleaned_data}


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the membership end?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the team's history, for example «The youth changed school»."),
    )
