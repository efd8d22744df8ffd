"""Forms of the concern-report pages (bekymringsmeldinger): the report itself, mirroring the KS
Fiks bekymringsmelding v2 fields (reporter, children, guardians, the three parts of the text,
attachments), and the caseworker's action forms.

Forms only read and tidy what was typed and check what one field can tell (a national identity
number's check digits, an attachment's type by its content); the rules of the workflow live in
referrals.concerns.services, whose ValidationErrors are put back on the form
(core.forms.add_service_errors). Addresses are kept as the KS Fiks `adresse` object
(adresselinje1, postnummer, poststed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Youth
from core.models import User
from core.validators import (
    HAPPENED,
    NOTE_MAX,
    PLANNED,
    REASON_MAX,
    TEXT_MAX,
    normalise_national_id,
    validate_national_id,
)
from org.models import Unit
from referrals.concerns.services import MAX_ATTACHMENTS, attachment_check
from referrals.models import ADDRESS_LINE_MAX, POSTAL_CODE_MAX, POSTAL_PLACE_MAX, ConcernReport, Urgency

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

VIOLENCE_REASON = _("Concern about violence or abuse: the guardians must not be told before barnevern has acted.")

TEXT_3 = forms.Textarea(attrs={"rows": 3})
TEXT_6 = forms.Textarea(attrs={"rows": 6})
PHONE = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
POSTAL_CODE = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one field (Django's documented pattern), each checked by its content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS})
        cleaned = [super(AttachmentsField, self).clean(upload, initial) for upload in files]
        errors = []
        for upload in cleaned:
            try:
                attachment_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.district.name})" if obj.district_id else str(obj.name)


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj.full_name or obj.email)


class YouthChoiceField(forms.ModelChoiceField[Youth]):
    def label_from_instance(self, obj: Youth) -> str:
        return f"{obj.first_name} {obj.last_name} ({obj.birth_date:%d.%m.%Y})"


class ActiveCaseChoiceField(forms.ModelChoiceField[ConcernReport]):
    def label_from_instance(self, obj: Any) -> str:
        names = ", ".join(child.name for child in obj.children.all())
        return f"{names or '–'}: {obj.get_state_display()} ({obj.received_at:%d.%m.%Y})"


def _address(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The KS Fiks adresse object from the address fields (empty when no street is given)."""
    line = (data.get(f"{prefix}address_line") or "").strip()
    if not line:
        return {}
    address = {"adresselinje1": line}
    if code := (data.get(f"{prefix}postal_code") or "").strip():
        address["postnummer"] = code
    if place := (data.get(f"{prefix}postal_place") or "").strip():
        address["poststed"] = place
    return address


def _informed(data: dict[str, Any]) -> bool | None:
    value = data.get("informed")
    return True if value == "yes" else False if value == "no" else None


# --- The report -----------------------------------------------------------------------------


class ConcernReportForm(forms.Form):
    """The report: which barnevern service, the type, the reporter and the text in the three
    parts of KS Fiks (melding, historie, andre synspunkter). Children and guardians are formsets
    beside it (ChildFormSet, GuardianFormSet)."""

    unit = UnitChoiceField(
        label=_("Barnevern service"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose the barnevern service"),
        help_text=_("The barnevern service of the district where the child lives."),
    )
    kind = forms.ChoiceField(label=_("Type of report"), choices=ConcernReport.Kind.choices, widget=forms.RadioSelect)
    active_case = ActiveCaseChoiceField(
        label=_("The active case"),
        queryset=ConcernReport.objects.none(),
        required=False,
        empty_label=_("Choose the case"),
        help_text=_("The report whose investigation or measures are still going on."),
    )
    channel = forms.ChoiceField(
        label=_("How the report was received"),
        choices=[
            (ConcernReport.Channel.LAGET, ConcernReport.Channel.LAGET.label),
            (ConcernReport.Channel.PHONE, ConcernReport.Channel.PHONE.label),
            (ConcernReport.Channel.LETTER, ConcernReport.Channel.LETTER.label),
        ],
        required=False,
    )
    reporter_kind = forms.ChoiceField(
        label=_("Reporter"),
        choices=ConcernReport.ReporterKind.choices,
        required=False,
        help_text=_("Public: a school, kindergarten, the police or a health service. Private: family, a neighbour."),
    )
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=200)
    reporter_role = forms.CharField(
        label=_("Reporter's role"),
        max_length=200,
        required=False,
        help_text=_("For example «contact teacher» or «school nurse»."),
    )
    reporter_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=40, required=False, widget=PHONE)
    reporter_email = forms.EmailField(label=_("Reporter's e-mail"), required=False)
    reporter_relation = forms.CharField(
        label=_("Relation to the child"),
        max_length=200,
        required=False,
        help_text=_("For a private reporter, for example «neighbour» or «aunt»."),
    )
    concern = forms.CharField(
        label=_("The concern"),
        widget=TEXT_6,
        max_length=TEXT_MAX,
        help_text=_("What you have seen or heard, and what worries you. Describe it as concretely as you can."),
    )
    history = forms.CharField(
        label=_("Background and history"),
        widget=TEXT_6,
        max_length=TEXT_MAX,
        required=False,
        help_text=_("How long you have been worried, and what has been tried."),
    )
    other_views = forms.CharField(
        label=_("Other views"),
        widget=TEXT_3,
        max_length=TEXT_MAX,
        required=False,
        help_text=_("Anything else barnevern should know."),
    )
    interpreter_need = forms.CharField(
        label=_("Need for an interpreter"),
        max_length=300,
        required=False,
        help_text=_("Language, and for whom: the child or the guardians."),
    )
    other_agencies = forms.CharField(
        label=_("Other services involved"),
        widget=TEXT_3,
        max_length=NOTE_MAX,
        required=False,
        help_text=_("For example PPT, BUP, the school nurse or the police."),
    )
    attachments = AttachmentsField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 10 MB each."),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        active_cases: QuerySet[ConcernReport],
        barnevern_staff: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.barnevern_staff = barnevern_staff
        if barnevern_staff:
            self.fields["active_case"].queryset = active_cases  # type: ignore[attr-defined]
        else:
            # Only barnevern staff see the cases; others send ordinary or violence reports, and
            # register a report themselves (a person's duty to report).
            del self.fields["active_case"]
            del self.fields["channel"]
            del self.fields["reporter_kind"]
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                choice for choice in ConcernReport.Kind.choices if choice[0] != ConcernReport.Kind.ACTIVE_CASE
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ConcernReport.Kind.ACTIVE_CASE and not data.get("active_case"):
            self.add_error("active_case", _("Choose the active case the new report belongs to."))
        return data

    @property
    def is_violence(self) -> bool:
        return self.is_bound and self.data.get(self.add_prefix("kind")) == ConcernReport.Kind.VIOLENCE

    def service_data(self, *, default_channel: str) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["kind"]
        reporter_kind = data.get("reporter_kind") or ConcernReport.ReporterKind.PUBLIC
        return {
            "unit": data["unit"],
            "channel": data.get("channel") or default_channel,
            "reporter_kind": reporter_kind,
            "reporter": {
                "name": data["reporter_name"],
                "role": data["reporter_role"],
                "organisation": data["reporter_organisation"],
                "phone": data["reporter_phone"],
                "email": data["reporter_email"],
                "relation": data["reporter_relation"],
            },
            "kind": kind,
            "active_case": data.get("active_case") if kind == ConcernReport.Kind.ACTIVE_CASE else None,
            "concern": data["concern"],
            "history": data["history"],
            "other_views": data["other_views"],
            "interpreter_need": data["interpreter_need"],
            "other_agencies": data["other_agencies"],
            "attachments": data.get("attachments") or [],
        }


class ChildForm(forms.Form):
    """A child the report concerns: a registered youth the person may see, or a new person."""

    youth = YouthChoiceField(
        label=_("Registered youth"),
        queryset=Youth.objects.none(),
        required=False,
        empty_label=_("Not registered in Laget / a new person"),
        help_text=_("Only youths you work with are listed. Otherwise, write the child's details below."),
    )
    name = forms.CharField(label=_("Child's name"), max_length=200, required=False)
    national_id = forms.CharField(
        label=_("National identity number"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("11 digits, if you know it."),
    )
    unborn = forms.BooleanField(label=_("Unborn child"), required=False)
    assumed_age = forms.CharField(label=_("Age (if the identity number is unknown)"), max_length=20, required=False)
    address_line = forms.CharField(label=_("Address"), max_length=ADDRESS_LINE_MAX, required=False)
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=POSTAL_CODE_MAX, required=False, widget=POSTAL_CODE
    )
    postal_place = forms.CharField(label=_("Postal town"), max_length=POSTAL_PLACE_MAX, required=False)
    phone = forms.CharField(label=_("Child's phone"), max_length=40, required=False, widget=PHONE)
    informed = forms.ChoiceField(
        label=_("Has the child been told about the report?"), choices=YES_NO, widget=forms.RadioSelect
    )
    informed_reason = forms.CharField(
        label=_("Why not?"),
        max_length=REASON_MAX,
        required=False,
        widget=TEXT_3,
        help_text=_("Required when the child has not been told."),
    )

    def __init__(self, *args: Any, youths: QuerySet[Youth] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youths if youths is not None else Youth.objects.none()  # type: ignore[attr-defined]

    def clean_national_id(self) -> str:
        value = (self.cleaned_data.get("national_id") or "").strip()
        if not value:
            return ""
        value = normalise_national_id(value)
        validate_national_id(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_changed():
            return data
        if not data.get("youth") and not (data.get("name") or "").strip():
            self.add_error("name", _("Write the child's name, or choose a registered youth."))
        if data.get("unborn") and data.get("national_id"):
            self.add_error("national_id", _("An unborn child has no national identity number."))
        if data.get("informed") == "no" and not (data.get("informed_reason") or "").strip():
            self.add_error("informed_reason", _("Write why the child has not been told."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        youth: Youth | None = data.get("youth")
        name = (data.get("name") or "").strip()
        if youth is not None and not name:
            name = f"{youth.first_name} {youth.last_name}"
        informed = _informed(data)
        return {
            "youth": youth,
            "name": name,
            "national_id": data.get("national_id") or "",
            "unborn": bool(data.get("unborn")),
            "assumed_age": data.get("assumed_age") or "",
            "phone": data.get("phone") or "",
            "address": _address(data),
            "informed": informed,
            "informed_reason": "" if informed else (data.get("informed_reason") or "").strip(),
        }


class GuardianForm(forms.Form):
    """A guardian named in the report, with whether they were told and, if not, why."""

    name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Guardian's phone"), max_length=40, required=False, widget=PHONE)
    informed = forms.ChoiceField(
        label=_("Has the guardian been told about the report?"), choices=YES_NO, widget=forms.RadioSelect
    )
    informed_reason = forms.CharField(
        label=_("Why not?"),
        max_length=REASON_MAX,
        required=False,
        widget=TEXT_3,
        help_text=_("Required when the guardian has not been told."),
    )

    def __init__(self, *args: Any, violence: bool = False, **kwargs: Any) -> None:
        self.violence = violence
        super().__init__(*args, **kwargs)

    def has_changed(self) -> bool:
        # The informed choice alone (preset to "no" for violence) does not make a row.
        return any(self[name].value() for name in ("name", "phone", "informed_reason"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_changed():
            return data
        if not (data.get("name") or "").strip():
            self.add_error("name", _("Write the guardian's name."))
        if self.violence:
            # Routine 2: for violence or abuse, guardians are not told; "no" whatever was chosen.
            data["informed"] = "no"
            if not (data.get("informed_reason") or "").strip():
                data["informed_reason"] = str(VIOLENCE_REASON)
        elif data.get("informed") == "no" and not (data.get("informed_reason") or "").strip():
            self.add_error("informed_reason", _("Write why the guardian has not been told."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        informed = _informed(data) is True and not self.violence
        return {
            "name": (data.get("name") or "").strip(),
            "phone": data.get("phone") or "",
            "informed": informed,
            "informed_reason": "" if informed else (data.get("informed_reason") or "").strip(),
        }


_RowForm = TypeVar("_RowForm", ChildForm, GuardianForm)


class BaseRowFormSet(forms.BaseFormSet[_RowForm]):
    """Rows left empty are ignored; `rows()` is the service data of the rest."""

    def rows(self) -> list[dict[str, Any]]:
        return [form.service_data() for form in self.forms if form.has_changed()]


class BaseChildFormSet(BaseRowFormSet[ChildForm]):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError(_("Name at least one child the report is about."))


# One empty row each to start with; "add a child" / "add a guardian" (grow) adds more.
ChildFormSet = forms.formset_factory(ChildForm, formset=BaseChildFormSet, extra=1, max_num=20, validate_max=True)
GuardianFormSet = forms.formset_factory(
    GuardianForm, formset=BaseRowFormSet[GuardianForm], extra=1, max_num=20, validate_max=True
)


def grow(formset: forms.BaseFormSet[Any], data: Any, prefix: str) -> dict[str, Any]:
    """The POST data with one more (empty) row in the formset `prefix`: "add a child" without
    JavaScript, keeping everything typed."""
    copy: dict[str, Any] = data.copy()
    total = int(copy.get(f"{prefix}-TOTAL_FORMS") or formset.total_form_count())
    copy[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, 20))
    return copy


# --- The caseworker's actions ---------------------------------------------------------------


class AssignForm(forms.Form):
    caseworker = PersonChoiceField(
        label=_("Caseworker"), queryset=User.objects.none(), empty_label=_("Choose a caseworker")
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = people  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    """A written reason: closing without investigation, or extending it to 6 months."""

    reason = forms.CharField(label=_("Reason"), widget=TEXT_3, max_length=NOTE_MAX)

    def __init__(self, *args: Any, label: Any = None, help_text: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class OpenInvestigationForm(forms.Form):
    started_on = forms.DateField(
        label=_("Investigation started"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[HAPPENED],
        help_text=_("Today if left empty."),
    )


OUTCOMES = [("closed", _("Closed after investigation")), ("measures", _("Measures"))]


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    conclusion = forms.CharField(label=_("Conclusion"), widget=TEXT_3, max_length=TEXT_MAX)
    contact_person = PersonChoiceField(
        label=_("New contact person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose the contact person"),
        help_text=_("For measures: the school is told this name and nothing more."),
    )
    measures_started_on = forms.DateField(
        label=_("Measures start"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[PLANNED],
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "measures":
            if not data.get("contact_person"):
                self.add_error("contact_person", _("Choose the new contact person for the measures."))
            if not data.get("measures_started_on"):
                self.add_error("measures_started_on", _("Give the day the measures start."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("What was decided"),
        widget=TEXT_3,
        max_length=NOTE_MAX,
        help_text=_("For example: the police have been consulted and agree that the parents may now be told."),
    )


FEEDBACK_CHOICES = [
    ("receipt", _("Receipt")),
    ("opening", _("Whether an investigation was opened")),
    ("conclusion", _("That the investigation has ended")),
]


class FeedbackForm(forms.Form):
    which = forms.ChoiceField(label=_("Feedback sent to the reporter"), choices=FEEDBACK_CHOICES)

    def __init__(self, *args: Any, choices: Sequence[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["which"].choices = list(choices)  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    """Propose the handover meeting after the transition to measures (routine 3)."""

    youth = YouthChoiceField(label=_("The child"), queryset=Youth.objects.none(), empty_label=_("Choose the child"))
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        validators=[PLANNED],
    )
    minutes = forms.TypedChoiceField(
        label=_("Length"),
        choices=[(30, _("30 minutes")), (60, _("1 hour")), (90, _("1 hour 30 minutes")), (120, _("2 hours"))],
        coerce=int,
        initial=60,
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, youths: QuerySet[Youth], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youths  # type: ignore[attr-defined]


class LinkChildForm(forms.Form):
    """Link a child the report names to the registered youth with the child's identity number."""

    child = forms.TypedChoiceField(
        label=_("The child"),
        coerce=int,
        help_text=_("The identity number the report gives for the child is that of a youth registered in Laget."),
    )

    def __init__(self, *args: Any, children: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", _("Choose the child")), *children]  # type: ignore[attr-defined]


class IntakeReferralForm(forms.Form):
    """Refer a child of the report to one-to-one follow-up: the district's intake queue."""

    youth = YouthChoiceField(label=_("The child"), queryset=Youth.objects.none(), empty_label=_("Choose the child"))
    reason = forms.CharField(
        label=_("Why one-to-one follow-up"),
        widget=TEXT_3,
        max_length=NOTE_MAX,
        help_text=_("Shown in the intake queue and on the shared screen of the intake meeting: write no names."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args: Any, youths: QuerySet[Youth], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youths  # type: ignore[attr-defined]


class KsFiksImportForm(forms.Form):
    """A KS Fiks bekymringsmelding v2 (JSON) to import, and the barnevern service that receives it."""

    unit = forms.ModelChoiceField(label=_("Barnevern service"), queryset=Unit.objects.none(), empty_label=None)
    document = forms.FileField(
        label=_("The report as KS Fiks JSON"),
        help_text=_("A bekymringsmelding v2, offentlig or privat (.json, at most 2 MB)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_document(self) -> bytes:
        document: UploadedFile = self.cleaned_data["document"]
        if document.size is None or document.size > self.MAX_BYTES:
            raise ValidationError(_("The file is too large: at most 2 MB."))
        content: bytes = document.read()
        return content
