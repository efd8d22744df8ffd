"""A youth's consents: the list with each consent's state (and the uses of legal bases),
recording a consent or a refusal, one consent's version history, revising, withdrawal, and
the download of a signed form.

Thin views (STYLE.md): the youth through cases.selectors.youth_get (404 for anyone who may not
see it, the read audited), every write through consent.services (403 when the person may not,
the form again with status 400 when a rule is broken, everything typed kept except the file,
which browsers cannot keep). A signed form is only ever served by consent_document, to those
who may see the youth; MEDIA_ROOT has no URL of its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Guardian, Youth
from cases.selectors import youth_get
from core import access
from core.dates import today_in_oslo
from core.forms import add_service_errors
from core.models import User

from . import selectors, services
from .forms import ConsentForm, ConsentReviseForm, WithdrawForm, revise_initial
from .models import Category, Consent, ConsentVersion
from .policy import may_record_consent
from .states import consent_state

PURPOSE = "consents_viewed"

STATE_LABELS = {
    "in_force": gettext_lazy("In force"),
    "expiring": gettext_lazy("In force, ends soon"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "refused": gettext_lazy("Refused"),
    "lapsed_18": gettext_lazy("Lapsed at 18: ask the youth again"),
    "not_started": gettext_lazy("Not yet in force"),
    "ended": gettext_lazy("Ended"),
    "incomplete": gettext_lazy("Not in force: answers missing"),
}


@dataclass
class VersionRow:
    version: ConsentVersion
    categories: list[str]
    units: list[str]
    answers: list[tuple[str, str]]
    changes: list[str] = field(default_factory=list)


@dataclass
class ConsentRow:
    consent: Consent
    current: VersionRow
    state: str
    state_label: str
    actions: frozenset[str]  # consent.services.consent_available_actions
    versions: list[VersionRow] = field(default_factory=list)


def _answers(version: ConsentVersion) -> list[tuple[str, str]]:
    rows = sorted(version.answers.all(), key=lambda a: (a.party != ConsentVersion.Party.YOUTH, a.guardian_id or 0))
    return [(str(a.guardian) if a.guardian_id else str(_("The youth")), str(a.get_answer_display())) for a in rows]


def _version_row(version: ConsentVersion) -> VersionRow:
    return VersionRow(
        version=version,
        categories=[str(Category(c).label) for c in version.categories if c in Category.values],
        units=sorted(u.name for u in version.units.all()),
        answers=_answers(version),
    )


def _changes(before: VersionRow, after: VersionRow) -> list[str]:
    """What a version changed from the one before, in words."""
    changes = []
    for label, old, new in (
        (_("Categories"), before.categories, after.categories),
        (_("Receiving services"), before.units, after.units),
    ):
        added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
        if added:
            changes.append(_("%(what)s added: %(items)s") % {"what": label, "items": ", ".join(added)})
        if removed:
            changes.append(_("%(what)s removed: %(items)s") % {"what": label, "items": ", ".join(removed)})
    b, a = before.version, after.version
    if (b.valid_from, b.valid_to) != (a.valid_from, a.valid_to):
        changes.append(
            _("Validity: %(from)s – %(to)s") % {"from": f"{a.valid_from:%d.%m.%Y}", "to": f"{a.valid_to:%d.%m.%Y}"}
        )
    if b.outreach_notes_to_police != a.outreach_notes_to_police:
        changes.append(
            _("The outreach service's notes may now be shared with the police")
            if a.outreach_notes_to_police
            else _("The outreach service's notes are no longer shared with the police")
        )
    if b.involve_guardians != a.involve_guardians:
        changes.append(
            _("The guardians are now to be told and involved after 18")
            if a.involve_guardians
            else _("The guardians are no longer to be told after 18")
        )
    if b.form != a.form:
        changes.append(_("Form: %(form)s") % {"form": a.get_form_display()})
    if before.answers != after.answers:
        changes.append(_("Answers: %(answers)s") % {"answers": ", ".join(f"{w}: {x}" for w, x in after.answers)})
    return changes


def _consent_row(consent: Consent, youth: Youth, day: datetime.date, *, history: bool = False) -> ConsentRow:
    versions = sorted(consent.versions.all(), key=lambda v: v.number)  # prefetched
    rows = [_version_row(v) for v in versions]
    for before, after in pairwise(rows):
        after.changes = _changes(before, after)
    current = rows[-1]
    state = consent_state(current.version, youth, day)
    return ConsentRow(
        consent=consent,
        current=current,
        state=state,
        state_label=str(STATE_LABELS[state]),
        actions=services.consent_available_actions(current.version),
        versions=list(reversed(rows)) if history else [],
    )


def _responsible_guardians(youth: Youth) -> list[Guardian]:
    return [
        g.guardian
        for g in youth.guardianships.filter(parental_responsibility=True).select_related("guardian").order_by("id")
    ]


def _render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context["form"]
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_GET
def consent_list(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Everyone who may see the youth sees what each consent covers and for whom, so a team
    member knows what their service may see. Who answered (the guardians' names), the youth's
    view and the reasons given for legal-basis uses are for those who work with the follow-up,
    and a reason also for the service that received the information."""
    youth = youth_get(user=request.user, pk=youth_id, purpose=PURPOSE)
    day = today_in_oslo()
    consents = selectors.consents_for_youth(youth=youth)
    may_record = may_record_consent(request.user, youth)
    return render(
        request,
        "consent/consent_list.html",
        {
            "youth": youth,
            "rows": [_consent_row(c, youth, day) for c in consents],
            "may_record": may_record,
            "uses": selectors.legal_basis_uses_shown(user=request.user, youth=youth),
            "may_use_legal_basis": services.may_use_legal_basis(request.user, youth),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = youth_get(user=request.user, pk=youth_id, purpose=PURPOSE)
    if not may_record_consent(request.user, youth):
        raise PermissionDenied
    today = today_in_oslo()
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        youth=youth,
        guardians=_responsible_guardians(youth),
        today=today,
        initial={"valid_from": today, "valid_to": today + datetime.timedelta(days=365)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.consent_record(actor=request.user, youth=youth, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect(reverse("consent:consent_detail", args=[version.consent_id]))
    return _render_form(
        request,
        "consent/consent_form.html",
        {"youth": youth, "form": form, "age": youth.age_on(today), "file_lost": form.is_bound and bool(form.errors)},
    )


@login_required
@require_GET
def consent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_get(user=request.user, pk=pk, purpose=PURPOSE)
    row = _consent_row(consent, consent.youth, today_in_oslo(), history=True)
    return render(
        request,
        "consent/consent_detail.html",
        {"youth": consent.youth, "row": row, "may_record": access.can(request.user, consent, "record")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Change what a consent covers: a new version, the form filled in from the current one."""
    consent = selectors.consent_get(user=request.user, pk=pk, purpose=PURPOSE)
    youth = consent.youth
    today = today_in_oslo()
    row = _consent_row(consent, youth, today)
    if request.method == "GET" and "revise" not in row.actions:
        # Not offered: the service refuses it too, should the form be posted anyway.
        messages.error(
            request, _("This consent has been withdrawn and cannot be changed. Record a new consent instead.")
        )
        return redirect(reverse("consent:consent_detail", args=[consent.pk]))
    form = ConsentReviseForm(
        request.POST or None,
        request.FILES or None,
        youth=youth,
        guardians=_responsible_guardians(youth),
        today=today,
        initial=revise_initial(row.current.version, today),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_revise(actor=request.user, consent=consent, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent is changed. The earlier versions are kept in the history."))
            return redirect(reverse("consent:consent_detail", args=[consent.pk]))
    return _render_form(
        request,
        "consent/consent_revise.html",
        {
            "youth": youth,
            "form": form,
            "row": row,
            "age": youth.age_on(today),
            "file_lost": form.is_bound and bool(form.errors),
        },
    )


DOCUMENT_CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def consent_document_response(*, user: User | AnonymousUser, pk: int, number: int) -> FileResponse:
    """The signed form of one version of a consent as a download (consent.selectors: 404 for
    anyone who may not see the youth, the read audited), for the page and the API alike."""
    consent = selectors.consent_get(user=user, pk=pk, purpose=PURPOSE)
    version, document = selectors.consent_document_open(user=user, consent=consent, number=number)
    extension = next((e for e in DOCUMENT_CONTENT_TYPES if version.document.name.lower().endswith(e)), "")
    # A neutral name: the uploaded file's own name may carry the youth's name onto the device.
    response = FileResponse(
        document,
        as_attachment=True,
        filename=f"samtykke-{consent.pk}-versjon-{version.number}{extension}",
        content_type=DOCUMENT_CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def consent_document(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """The signed form of one version, as a download, to those who may see the youth (audited)."""
    return consent_document_response(user=request.user, pk=pk, number=number)


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_get(user=request.user, pk=pk, purpose=PURPOSE)
    youth = consent.youth
    guardians = _responsible_guardians(youth) if youth.age_on(today_in_oslo()) < 18 else []
    form = WithdrawForm(request.POST or None, guardians=guardians)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=consent, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent is withdrawn. Nothing more is shared on it."))
            return redirect(reverse("consent:consent_list", args=[youth.pk]))
    row = _consent_row(consent, youth, today_in_oslo())
    return _render_form(request, "consent/consent_withdraw.html", {"youth": youth, "form": form, "row": row})
