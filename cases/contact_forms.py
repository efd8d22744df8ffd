"""Forms for logging and changing contacts (kontaktlogg).

The forms only parse and check what was typed; the rules across rows (may this person log for
this youth, not in the future, versions, who may delete) live in cases.services. One contact
can concern several youths (a group activity): the create form then carries one note per youth,
named `text_<youth id>`, so each youth's record holds only what concerns that youth.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import OSLO
from core.validators import HAPPENED, PLANNED, REASON_MAX, TEXT_MAX

from .models import Contact, ContactKind, LifeArea, Participant, Youth

QUICK_DURATIONS = (15, 30, 60, 90)

# Fields kept by "save and log another": a series of contacts usually shares them.
KEPT_FIELDS = ("youths", "kind", "place", "participants", "life_areas")
MULTI_FIELDS = frozenset({"youths", "participants", "life_areas"})


def text_field_name(youth_id: int) -> str:
    return f"text_{youth_id}"


def ordered_kinds(recent: Iterable[str]) -> list[tuple[str, Any]]:
    """Contact types, the person's most used recently first, then the rest in the usual order."""
    labels = dict(ContactKind.choices)
    first = [kind for kind in recent if kind in labels]
    return [(kind, labels[kind]) for kind in first] + [
        (kind, label) for kind, label in ContactKind.choices if kind not in first
    ]


def now_in_oslo() -> datetime.datetime:
    return timezone.now().astimezone(OSLO).replace(second=0, microsecond=0)


class ContactFieldsForm(forms.Form):
    """What every contact has: when, how long, type, place, who took part, life areas, and an
    optional follow-up task with a due date."""

    # From 2000 (earlier is a typing mistake) to today: far-away years would also overflow when
    # converted to UTC. Later today is the service's rule (not in the future).
    occurred_date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), validators=[HAPPENED]
    )
    occurred_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 24 * 60, "step": 1}),
    )
    kind = forms.ChoiceField(label=_("Type of contact"), choices=ContactKind.choices, widget=forms.RadioSelect)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("For example «at home», «the youth club» or «by phone»."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Both are required by the model (Contact.participants and Contact.life_areas are not blank):
    # standardised logs, so contacts can be counted and compared (DOMAIN.md).
    participants = forms.MultipleChoiceField(
        label=_("Who took part"),
        choices=Participant.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who took part.")},
    )
    life_areas = forms.MultipleChoiceField(
        label=_("Life areas"),
        choices=LifeArea.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the life areas the contact touched, at least one.")},
    )
    task = forms.CharField(
        label=_("Follow-up task"),
        max_length=300,
        required=False,
        help_text=_("Something you or the team must do after this contact."),
    )
    task_due_on = forms.DateField(
        label=_("Task due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[PLANNED],
    )

    # Errors are shown in a summary and next to each field; the browser's own bubbles would
    # appear before the summary and differ from phone to phone.
    use_required_attribute = False

    def __init__(self, *args: Any, recent_kinds: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ordered_kinds(recent_kinds)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("occurred_date"), data.get("occurred_time")
        if day is not None and time is not None:
            data["occurred_at"] = datetime.datetime.combine(day, time.replace(second=0, microsecond=0), tzinfo=OSLO)
        if data.get("task_due_on") and not (data.get("task") or "").strip():
            self.add_error("task", _("Write the task that is due on this date, or remove the date."))
        return data

    def contact_fields(self) -> dict[str, Any]:
        """The cleaned values as the services take them (cases.services.CONTACT_FIELDS)."""
        data = self.cleaned_data
        return {
            "occurred_at": data["occurred_at"],
            "duration_minutes": data["duration_minutes"],
            "kind": data["kind"],
            "place": data["place"].strip(),
            "participants": list(data["participants"]),
            "life_areas": list(data["life_areas"]),
            "task": data["task"].strip(),
            "task_due_on": data["task_due_on"],
        }


class YouthNote:
    """One loggable youth in the form: its checkbox and its own note."""

    def __init__(self, form: ContactCreateForm, youth: Youth) -> None:
        self.youth = youth
        self.field = form[text_field_name(youth.pk)]
        self.checkbox_id = f"id_youths_{youth.pk}"
        values = form["youths"].value() or []
        self.checked = str(youth.pk) in {str(value) for value in values}


class ContactCreateForm(ContactFieldsForm):
    """Log a contact with one or several of the person's youths, each with its own note."""

    youths = forms.ModelMultipleChoiceField(
        label=_("Youth"),
        queryset=Youth.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose the youth the contact was with."),
            "invalid_choice": _("You cannot log contacts for one of the chosen youths."),
            "invalid_pk_value": _("You cannot log contacts for one of the chosen youths."),
        },
    )
    draft_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, youths: QuerySet[Youth], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loggable = list(youths)
        self.fields["youths"].queryset = youths  # type: ignore[attr-defined]
        for youth in self.loggable:
            self.fields[text_field_name(youth.pk)] = forms.CharField(
                label=_("Note about %(name)s") % {"name": youth.display_name},
                required=False,
                max_length=TEXT_MAX,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def clean_draft_key(self) -> uuid.UUID | None:
        # A damaged key must not stop the contact from being saved: there is then no draft to delete.
        return parse_uuid(self.cleaned_data.get("draft_key"))

    @property
    def notes(self) -> list[YouthNote]:
        return [YouthNote(self, youth) for youth in self.loggable]

    def texts(self) -> dict[int, str]:
        return {
            youth.pk: (self.cleaned_data.get(text_field_name(youth.pk)) or "").strip()
            for youth in self.cleaned_data["youths"]
        }


class ContactEditForm(ContactFieldsForm):
    """Change a logged contact: the same fields, with its one note."""

    text = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        self.contact = contact
        local = contact.occurred_at.astimezone(OSLO)
        kwargs.setdefault(
            "initial",
            {
                "occurred_date": local.date(),
                "occurred_time": local.time().replace(second=0, microsecond=0),
                "duration_minutes": contact.duration_minutes,
                "kind": contact.kind,
                "place": contact.place,
                "participants": contact.participants,
                "life_areas": contact.life_areas,
                "text": contact.text,
                "task": contact.task,
                "task_due_on": contact.task_due_on,
            },
        )
        super().__init__(*args, **kwargs)

    def contact_fields(self) -> dict[str, Any]:
        fields = super().contact_fields()
        fields["text"] = self.cleaned_data["text"].strip()
        # The form shows minutes; an unchanged time must not count as a change of seconds.
        original = self.contact.occurred_at.astimezone(OSLO)
        if fields["occurred_at"] == original.replace(second=0, microsecond=0):
            fields["occurred_at"] = self.contact.occurred_at
        return fields


class ContactDeleteForm(forms.Form):
    # Not required here: services.contact_delete checks who may delete first, then the reason.
    reason = forms.CharField(
        label=_("Why is the contact deleted?"),
        help_text=_("The reason is kept with the deleted contact and in the audit trail."),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    use_required_attribute = False


def draft_values(data: Mapping[str, Any], allowed: set[str]) -> dict[str, Any]:
    """The typed values worth keeping in a draft: only the form's own fields, lists for the
    fields that take several values."""
    getlist = getattr(data, "getlist", None)
    kept: dict[str, Any] = {}
    for name in allowed:
        if name == "draft_key":
            continue
        if name in MULTI_FIELDS:
            # Always kept, also when empty: an unticked group must not come back ticked.
            kept[name] = [str(v)[:40] for v in (getlist(name) if getlist else data.get(name) or [])][:50]
        elif name in data:
            kept[name] = str(data.get(name, ""))[:TEXT_MAX]
    return kept


def parse_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None
