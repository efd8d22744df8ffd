"""Forms of the meeting pages. Forms only read and tidy what was typed; the rules live in
teams.meetings.services, whose ValidationErrors are put back on the form
(core.forms.add_service_errors)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Youth
from core.models import User
from core.validators import MINUTES_MAX, NOTE_MAX, PLANNED, REASON_MAX, TEXT_MAX, TITLE_MAX
from org.models import District, Unit
from teams.meetings.minutes_template import Heading
from teams.models import YOUTH_MEETING_KINDS, ActionItem, MeetingKind, MeetingParticipant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj.full_name or obj.email)


class PeopleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj.full_name or obj.email)


class YouthChoiceField(forms.ModelChoiceField[Youth]):
    def label_from_instance(self, obj: Youth) -> str:
        return str(obj.display_name)


def _combine(day: datetime.date | None, time: datetime.time | None) -> datetime.datetime | None:
    if day is None or time is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, time))


class TimeAndPlaceForm(forms.Form):
    """When and where: a day, a start and an end, a place or a video link."""

    day = forms.DateField(label=_("Date"), widget=DATE, validators=[PLANNED])
    starts = forms.TimeField(label=_("Starts"), widget=TIME, input_formats=TIME_FORMATS)
    ends = forms.TimeField(label=_("Ends"), widget=TIME, input_formats=TIME_FORMATS)
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_(
            "Where the meeting is held. The place goes into the calendar invitations, which leave Laget: "
            "never write the youth's name or home address here."
        ),
    )
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For a meeting on video: the address to join it."),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=TITLE_MAX, help_text=_("Optional."))
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Open action items from earlier meetings are added to the agenda by themselves."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = self.starts_at(), self.ends_at()
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends", _("The meeting must end after it starts."))
        if not data.get("place") and not data.get("video_link") and "video_link" not in self.errors:
            self.add_error("place", _("Write where the meeting is, or give a video link."))
        return data

    def starts_at(self) -> datetime.datetime | None:
        data = getattr(self, "cleaned_data", {})
        return _combine(data.get("day"), data.get("starts"))

    def ends_at(self) -> datetime.datetime | None:
        data = getattr(self, "cleaned_data", {})
        return _combine(data.get("day"), data.get("ends"))


class MeetingPlanForm(TimeAndPlaceForm):
    """Plan a meeting: its type; the youth it is about, or the district (intake and list
    meetings); the organising service; time and place; recurrence; for intake and list meetings
    whom to invite (a youth's meeting invites the youth's team)."""

    field_order = [
        "kind",
        "youth",
        "district",
        "unit",
        "day",
        "starts",
        "ends",
        "place",
        "video_link",
        "title",
        "agenda",
        "repeat_weeks",
        "until",
        "invite",
    ]

    kind = forms.ChoiceField(label=_("Type of meeting"), choices=[("", _("Choose a type")), *MeetingKind.choices])
    youth = YouthChoiceField(
        label=_("Youth"),
        required=False,
        queryset=Youth.objects.none(),
        empty_label=_("Choose a youth"),
        help_text=_("For a meeting about one youth. The youth's team is invited."),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=District.objects.order_by("number"),
        empty_label=_("The district of the service"),
        help_text=_("For intake and list meetings."),
    )
    unit = forms.ModelChoiceField(
        label=_("Organised by"), queryset=Unit.objects.none(), empty_label=_("Choose a service")
    )
    repeat_weeks = forms.IntegerField(
        label=_("Repeat every … weeks"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_(
            "Leave empty for a single meeting. An intake meeting with an end date repeats at the district's interval."
        ),
    )
    until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        widget=DATE,
        validators=[PLANNED],
        help_text=_("At most 26 meetings, and at most one year ahead."),
    )
    invite = PeopleChoiceField(
        label=_("Invite"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For intake and list meetings. You are invited yourself."),
    )

    def __init__(
        self, *args: Any, youths: QuerySet[Youth], units: QuerySet[Unit], people: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youths  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["invite"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind in YOUTH_MEETING_KINDS and not data.get("youth") and "youth" not in self.errors:
            self.add_error("youth", _("Choose the youth the meeting is about."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        about_youth = data["kind"] in YOUTH_MEETING_KINDS
        return {
            "kind": data["kind"],
            "unit": data["unit"],
            "youth": data["youth"] if about_youth else None,
            "district": None if about_youth else data["district"],
            "starts_at": self.starts_at(),
            "ends_at": self.ends_at(),
            "place": data["place"],
            "video_link": data["video_link"],
            "title": data["title"],
            "agenda": data["agenda"],
            "repeat_weeks": data["repeat_weeks"],
            "until": data["until"],
            "invite": list(data["invite"]) if not about_youth else [],
        }


class MeetingChangeForm(TimeAndPlaceForm):
    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(),
            "ends_at": self.ends_at(),
            "place": data["place"],
            "video_link": data["video_link"],
            "title": data["title"],
            "agenda": data["agenda"],
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the meeting is cancelled"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MinutesForm(forms.Form):
    """The minutes under the headings this person may see, the decisions, and the revision the
    text was based on (so a save after someone else's is refused, not overwritten)."""

    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    decisions = forms.CharField(
        label=_("Decisions"), required=False, max_length=MINUTES_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    change_note = forms.CharField(
        label=_("What was changed"),
        required=False,
        max_length=300,
        help_text=_("The minutes are approved: a change makes a new version, which must be approved again."),
    )

    def __init__(self, *args: Any, headings: list[Heading], approved: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headings = headings
        fields: dict[str, forms.Field] = {}
        for heading in headings:
            fields[self.section_field(heading)] = forms.CharField(
                label=str(heading.label),
                help_text=str(heading.help),
                required=False,
                max_length=MINUTES_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.fields = {**fields, **self.fields}
        if approved:
            self.fields["change_note"].required = True
        else:
            del self.fields["change_note"]

    @staticmethod
    def section_field(heading: Heading) -> str:
        return f"section_{heading.key}"

    def section_fields(self) -> list[forms.BoundField]:
        return [self[self.section_field(h)] for h in self.headings]

    def sections(self) -> dict[str, str]:
        return {h.key: self.cleaned_data.get(self.section_field(h), "") for h in self.headings}


class ApproveForm(forms.Form):
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ActionItemForm(forms.Form):
    prefix = "item"

    title = forms.CharField(label=_("What is to be done"), max_length=300)
    owner = PersonChoiceField(
        label=_("Owner in Laget"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Someone outside Laget (write the name)"),
    )
    owner_name = forms.CharField(
        label=_("Owner outside Laget"),
        required=False,
        max_length=200,
        help_text=_("The youth, a guardian or an external person, when they own the action item."),
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE, validators=[PLANNED])

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    done_note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the action item is done."),
    )


class PresenceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, participants: list[MeetingParticipant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(p.pk), p.display_name) for p in participants]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["present"] = [str(p.pk) for p in participants if p.present]


RATINGS = [(str(n), str(n)) for n in range(1, 6)]


class RatingForm(forms.Form):
    prefix = "rating"

    participant = forms.TypedChoiceField(label=_("Who"), coerce=int, choices=[])
    rating = forms.TypedChoiceField(
        label=_("How useful was the meeting (1 not useful – 5 very useful)"),
        coerce=int,
        choices=RATINGS,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What they said"), required=False, max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, participants: list[MeetingParticipant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose who")),
            *[(p.pk, p.display_name) for p in participants],
        ]


class ExternalParticipantForm(forms.Form):
    prefix = "external"

    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
