"""Forms of the plan's pages (issue 13): a goal, a step, a step's status, the next review and an
acknowledgement. Forms only read and tidy what was typed; the rules live in
teams.plans.services, whose ValidationErrors are put back on the form
(core.forms.add_service_errors) with everything typed kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Guardian
from teams.models import (
    GOAL_TEXT_MAX,
    STEP_TEXT_MAX,
    WHY_MAX,
    ActionItem,
    Meeting,
    PlanAcknowledgement,
    PlanArea,
    PlanGoal,
    TeamMember,
)
from teams.plans.selectors import HelperChoices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SUMMARY_WIDGET = forms.TextInput(attrs={"autocomplete": "off"})


class AreaChoiceField(forms.ModelChoiceField[PlanArea]):
    def label_from_instance(self, obj: PlanArea) -> str:
        return obj.name


class HelperChoiceField(forms.ModelChoiceField[TeamMember]):
    names_withheld: frozenset[int] = frozenset()

    def label_from_instance(self, obj: TeamMember) -> str:
        if obj.pk in self.names_withheld:
            return str(_("A guardian (the name is withheld from you)"))
        role = obj.get_role_display()
        service = obj.service
        return f"{obj.name} ({service}, {role})" if service else f"{obj.name} ({role})"


class MeetingChoiceField(forms.ModelChoiceField[Meeting]):
    def label_from_instance(self, obj: Meeting) -> str:
        from django.utils import formats, timezone

        when = formats.date_format(timezone.localtime(obj.starts_at), "j. F Y")
        return f"{obj.title or obj.get_kind_display()} – {when}"


def _summary() -> forms.CharField:
    return forms.CharField(
        label=_("What was changed, in a few words"),
        required=False,
        max_length=500,
        widget=SUMMARY_WIDGET,
        help_text=_("Optional: shown in the plan's versions."),
    )


class GoalForm(forms.Form):
    """A goal in the youth's own words: the life area, the goal, why it matters; when it is
    changed, also whether it is reached or dropped."""

    area = AreaChoiceField(label=_("Life area"), queryset=PlanArea.objects.none(), empty_label=_("Choose a life area"))
    in_own_words = forms.CharField(
        label=_("The goal, in the youth's own words"),
        max_length=GOAL_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write it as the youth says it: «I want a summer job»."),
    )
    why_it_matters = forms.CharField(
        label=_("Why it matters to the youth"),
        required=False,
        max_length=WHY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(
        label=_("Status of the goal"), choices=PlanGoal.Status.choices, widget=forms.RadioSelect, initial="active"
    )
    summary = _summary()

    def __init__(self, *args: Any, areas: list[PlanArea], new: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = PlanArea.objects.filter(pk__in=[a.pk for a in areas]).order_by(  # type: ignore[attr-defined]
            "order", "id"
        )
        if new:
            del self.fields["status"]


class StepForm(forms.Form):
    """A step toward a goal: what is to be done, who helps and by when. A helper and a date
    make it an action item too."""

    what = forms.CharField(
        label=_("What is to be done"),
        max_length=STEP_TEXT_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    helper = HelperChoiceField(
        label=_("Who helps"),
        queryset=TeamMember.objects.none(),
        required=False,
        empty_label=_("No one named yet"),
        help_text=_("Someone in the youth's team. With a date, the step is an action item for them."),
    )
    due_on = forms.DateField(label=_("By when"), required=False, widget=DATE)
    summary = _summary()

    def __init__(self, *args: Any, helpers: HelperChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = TeamMember.objects.filter(pk__in=[h.pk for h in helpers.members])
        helper = self.fields["helper"]
        helper.names_withheld = helpers.names_withheld  # type: ignore[attr-defined]
        helper.queryset = members.select_related("user", "unit", "guardian", "youth").order_by(  # type: ignore[attr-defined]
            "-is_lead", "kind", "id"
        )


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices, widget=forms.RadioSelect)
    done_note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a step that is an action item is done."),
    )


class ReviewForm(forms.Form):
    next_review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=DATE,
        help_text=_("Empty: three months from today."),
    )


YOUTH = "youth"


class AcknowledgeForm(forms.Form):
    """Who acknowledges the current version, and how: on screen in a meeting (which one) or on
    a signed paper. `who` offers only the parties the age rules ask for who have not
    acknowledged yet (teams.plans.selectors.plan_acknowledgement_status)."""

    who = forms.ChoiceField(label=_("Who acknowledges the plan"), choices=[], widget=forms.RadioSelect)
    how = forms.ChoiceField(
        label=_("How"), choices=PlanAcknowledgement.How.choices, widget=forms.RadioSelect, initial="meeting"
    )
    meeting = MeetingChoiceField(
        label=_("The meeting where the plan was shown"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Choose a meeting"),
        help_text=_("When acknowledged on screen."),
    )
    document = forms.FileField(
        label=_("The signed plan"),
        required=False,
        help_text=_("When signed on paper: PDF, PNG or JPEG, at most 10 MB."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.TextInput())

    def __init__(
        self,
        *args: Any,
        youth_name: str,
        youth_asked: bool,
        guardians: list[Guardian],
        meetings: list[Meeting],
        name_guardians: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = []
        if youth_asked:
            choices.append((YOUTH, youth_name))
        # A guardian's name is family information: to whoever may not see it, "Guardian 1".
        choices += [
            (
                f"guardian-{g.pk}",
                str(_("%(name)s (guardian)") % {"name": g})
                if name_guardians
                else str(_("Guardian %(number)s") % {"number": n}),
            )
            for n, g in enumerate(guardians, start=1)
        ]
        self.fields["who"].choices = choices  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by(  # type: ignore[attr-defined]
            "-starts_at", "-id"
        )
        self._guardians = {str(g.pk): g for g in guardians}

    def service_data(self) -> dict[str, Any]:
        who = self.cleaned_data["who"]
        guardian = None
        party = PlanAcknowledgement.Party.YOUTH
        if who != YOUTH:
            party = PlanAcknowledgement.Party.GUARDIAN
            guardian = self._guardians.get(who.removeprefix("guardian-"))
        how = self.cleaned_data["how"]
        return {
            "party": party,
            "guardian": guardian,
            "how": how,
            "meeting": self.cleaned_data["meeting"] if how == PlanAcknowledgement.How.MEETING else None,
            "document": self.cleaned_data["document"] if how == PlanAcknowledgement.How.PAPER else None,
            "note": self.cleaned_data["note"],
        }
