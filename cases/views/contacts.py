"""Contact logging (kontaktlogg), mostly from a phone: log one contact with one or several youths,
keep what is typed as a draft, see a contact with its versions, change it, mark its task done,
and (a leader, with a reason) delete it.

Views are thin: reads through cases.selectors (which go through core.access and audit the
reads), writes through cases.services (which check permission, keep versions and audit).
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from consent.models import Category
from consent.selectors import contact_versions_seen
from core import access
from core.dates import OSLO
from core.forms import add_service_errors

from .. import selectors, services
from ..contact_forms import (
    KEPT_FIELDS,
    MULTI_FIELDS,
    QUICK_DURATIONS,
    ContactCreateForm,
    ContactDeleteForm,
    ContactEditForm,
    ContactFieldsForm,
    draft_values,
    now_in_oslo,
    parse_uuid,
)
from ..models import Contact, ContactDraft, ContactKind, Youth

if TYPE_CHECKING:
    from core.models import User


# Session keys: the choices kept by "save and log another", and the draft the next page must
# clear from the browser's storage after a successful save.
KEEP_SESSION_KEY = "laget_contact_keep"
CLEAR_DRAFT_SESSION_KEY = "laget_contact_clear_draft"

# Where a service's error about a model field is shown on the form.
_FIELD_FOR_SERVICE_ERROR = {"occurred_at": "occurred_date"}


# --- helpers -----------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return access.signed_in(request.user)


def _error_list(form: BaseForm, anchors: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The error summary at the top of a form: each error links to its field."""
    anchors = anchors or {}
    items = []
    for name, errors in form.errors.items():
        if name == "__all__":
            items += [{"anchor": "", "label": "", "message": str(message)} for message in errors]
            continue
        field = form.fields[name]
        anchor = anchors.get(name) or (f"id_{name}_0" if name in MULTI_FIELDS or name == "kind" else f"id_{name}")
        items += [{"anchor": anchor, "label": str(field.label), "message": str(message)} for message in errors]
    return items


def _youth_url(youth_id: int) -> str | None:
    """The youth's page, when that page exists (it belongs to the youths module)."""
    try:
        return reverse("cases:youth_detail", args=[youth_id])
    except NoReverseMatch:
        return None


def _clear_draft_key(request: HttpRequest) -> str:
    """The key of a draft saved as a contact just now: the page tells the browser to forget it."""
    return str(request.session.pop(CLEAR_DRAFT_SESSION_KEY, ""))


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or bool(getattr(request, "htmx", False))


def _signed_in_json(*, always: bool) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Like login_required, but answers the browser's background calls with JSON (401/403)
    instead of a sign-in page, so the script can keep the text on the device and say so.
    `always`: JSON even when the caller did not ask for it (the draft endpoint is only called
    by the script)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            json = always or _wants_json(request)
            if not user.is_authenticated:
                if not json:
                    return redirect_to_login(request.get_full_path())
                message = _("You are signed out. Sign in again to save on the server.")
                return JsonResponse({"error": "signed_out", "message": message}, status=401)
            if not getattr(user, "is_verified", lambda: False)():
                message = _("Finish signing in with your code.")
                return JsonResponse({"error": "not_verified", "message": message}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _evening_or_weekend(form: ContactFieldsForm) -> bool:
    """Is the time in the form (typed or default) an evening or weekend? For the hint."""
    try:
        day = datetime.date.fromisoformat(str(form["occurred_date"].value()))
        time = datetime.time.fromisoformat(str(form["occurred_time"].value()))
    except (TypeError, ValueError):
        return False
    return services.is_evening_or_weekend(datetime.datetime.combine(day, time, tzinfo=OSLO))


# --- log a contact -----------------------------------------------------------------------


def _preselected_youths(request: HttpRequest, loggable: list[Youth], youth_id: int | None) -> tuple[list[str], bool]:
    """The youths ticked in a new form: the one whose page the form was opened from, or the only
    one the person follows. Returns the ids and whether a requested youth was not loggable."""
    ids = {str(youth.pk) for youth in loggable}
    wanted = [str(youth_id)] if youth_id is not None else request.GET.getlist("ungdom")
    chosen = [value for value in wanted if value in ids]
    refused = bool(wanted) and not chosen
    if not chosen and len(loggable) == 1:
        chosen = [str(loggable[0].pk)]
    return chosen, refused


def _new_form_initial(
    request: HttpRequest, form_youths: list[Youth], recent: list[str], youth_id: int | None
) -> tuple[dict[str, Any], bool]:
    now = now_in_oslo()
    chosen, refused = _preselected_youths(request, form_youths, youth_id)
    initial: dict[str, Any] = {
        "draft_key": uuid.uuid4(),
        "occurred_date": now.date(),
        "occurred_time": now.time(),
        "youths": chosen,
    }
    if recent:
        initial["kind"] = recent[0]
    if request.GET.get("fortsett"):
        kept = request.session.get(KEEP_SESSION_KEY) or {}
        loggable_ids = {str(youth.pk) for youth in form_youths}
        for field in KEPT_FIELDS:
            if field in kept:
                initial[field] = kept[field]
        initial["youths"] = [value for value in initial.get("youths", []) if value in loggable_ids]
    return initial, refused


_KEY_PLACEHOLDER = uuid.UUID(int=0)


def _draft_initial(draft: ContactDraft) -> dict[str, Any]:
    data = dict(draft.data)
    data["draft_key"] = draft.key
    return data


def _saved_message(contacts: list[Contact]) -> str:
    names = ", ".join(contact.youth.display_name for contact in contacts)
    if len(contacts) == 1:
        text = _("The contact with %(name)s is logged.") % {"name": names}
    else:
        text = ngettext(
            "The group contact is logged for %(count)d youth: %(names)s. Each has their own note.",
            "The group contact is logged for %(count)d youths: %(names)s. Each has their own note.",
            len(contacts),
        ) % {"count": len(contacts), "names": names}
    if contacts[0].evening_or_weekend:
        text += " " + _("It is marked as an evening or weekend contact.")
    return text


# A group activity names at most this many youths; more posted is not a person using the form.
_MAX_POSTED_YOUTHS = 50


def _refuse_youths_not_offered(user: User, posted: list[str], offered: QuerySet[Youth]) -> None:
    """A youth posted that the form does not offer (someone typed the address or the id) is
    answered as the API answers it: fetched through core.access (404 when the person may not see
    the youth), then refused by the service (403 when they see the youth but may not log for it)."""
    if len(posted) > _MAX_POSTED_YOUTHS:
        raise SuspiciousOperation("too many youths posted")
    wanted = {int(value) for value in posted if value.isdigit() and len(value) < 12}
    others = wanted - set(offered.filter(pk__in=wanted).values_list("pk", flat=True))
    if others:
        youths = [selectors.youth_get(user=user, pk=pk, purpose="viewed") for pk in sorted(others)]
        services.contact_log_permitted(actor=user, youths=youths)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, youth_id: int | None = None) -> HttpResponse:
    """One screen to log a contact from a phone. Saving deletes the draft it came from.

    A new contact starts empty. Unsaved drafts are listed above the form; one is continued only
    when the person chooses it (?utkast=<key>), never merged into a new contact."""
    user = _user(request)
    youths = selectors.loggable_youths(user=user)
    recent = selectors.recent_contact_kinds(user=user)
    status = 200
    restored: ContactDraft | None = None
    refused = False
    if request.method == "POST":
        _refuse_youths_not_offered(user, request.POST.getlist("youths"), youths)
        form = ContactCreateForm(request.POST, youths=youths, recent_kinds=recent)
        if form.is_valid():
            try:
                contacts = services.contact_log(
                    actor=user,
                    youths=list(form.cleaned_data["youths"]),
                    fields=form.contact_fields(),
                    texts=form.texts(),
                    draft_key=form.cleaned_data["draft_key"],
                )
            except ValidationError as error:
                add_service_errors(form, error, field_names=_FIELD_FOR_SERVICE_ERROR)
            else:
                return _after_log(request, form, contacts, youth_id)
        status = 400
    else:
        key = request.GET.get("utkast")
        if key is not None:
            restored = selectors.draft_get(user=user, key=parse_uuid(key))
        form = ContactCreateForm(youths=youths, recent_kinds=recent)
        if restored is not None:
            form.initial = _draft_initial(restored)
        else:
            form.initial, refused = _new_form_initial(request, form.loggable, recent, youth_id)
    current_key = parse_uuid(form["draft_key"].value()) or uuid.uuid4()
    drafts = selectors.draft_list(user=user, exclude=current_key)
    anchors = {"youths": f"id_youths_{form.loggable[0].pk}" if form.loggable else ""}
    # What the script may do on load: a blank form stays blank (drafts typed on this device are
    # only listed); a continued or re-shown form has the server's values, newer unless the
    # device has changes of that same draft the server never got.
    state = "bound" if form.is_bound else "restored" if restored is not None else "fresh"
    context = {
        "form": form,
        "errors": _error_list(form, anchors) if form.is_bound else [],
        "drafts": drafts,
        "draft_key": current_key,
        "discard_url": reverse("cases:contact_draft_discard", args=[current_key]),
        "discard_url_template": reverse("cases:contact_draft_discard", args=[_KEY_PLACEHOLDER]).replace(
            str(_KEY_PLACEHOLDER), "{key}"
        ),
        "draft_state": state,
        "restored": restored,
        "refused_youth": refused,
        "quick_durations": QUICK_DURATIONS,
        "evening_or_weekend": _evening_or_weekend(form),
        "clear_draft": _clear_draft_key(request),
        "ttl_days": settings.LAGET_DRAFT_TTL.days,
        "youth_url": _youth_url(youth_id) if youth_id is not None else None,
        "login_url": f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}",
        "kept": bool(request.GET.get("fortsett")) and not form.is_bound,
    }
    return render(request, "cases/contact_form.html", context, status=status)


def _after_log(
    request: HttpRequest, form: ContactCreateForm, contacts: list[Contact], youth_id: int | None
) -> HttpResponse:
    if form.cleaned_data["draft_key"]:
        request.session[CLEAR_DRAFT_SESSION_KEY] = str(form.cleaned_data["draft_key"])
    messages.success(request, _saved_message(contacts))
    if request.POST.get("action") == "another":
        kept: dict[str, Any] = {}
        for field in KEPT_FIELDS:
            value = form.cleaned_data[field]
            kept[field] = [str(v.pk) for v in value] if field == "youths" else value
        request.session[KEEP_SESSION_KEY] = kept
        base = reverse("cases:contact_create_for", args=[youth_id]) if youth_id else reverse("cases:contact_create")
        return redirect(f"{base}?fortsett=1")
    return redirect("cases:contact_detail", pk=contacts[0].pk)


# --- drafts ------------------------------------------------------------------------------


@require_POST
@_signed_in_json(always=True)
def contact_draft_save(request: HttpRequest) -> HttpResponse:
    """Keep what is typed, a few seconds after each change (called by contact-draft.js)."""
    user = _user(request)
    key = parse_uuid(request.POST.get("key") or request.POST.get("draft_key"))
    if key is None:
        return JsonResponse({"error": "bad_key", "message": _("The draft has no valid key.")}, status=400)
    form = ContactCreateForm(youths=selectors.loggable_youths(user=user))
    data = draft_values(request.POST, set(form.fields))
    chosen = {str(value) for value in data.get("youths", [])}
    youth = next((youth for youth in form.loggable if str(youth.pk) in chosen), None)
    draft = services.draft_save(actor=user, key=key, data=data, youth=youth)
    local = draft.updated_at.astimezone(OSLO)
    return JsonResponse(
        {
            "key": str(draft.key),
            "saved_at": draft.updated_at.isoformat(),
            "status": _("Saved at %(time)s") % {"time": local.strftime("%H:%M")},
        }
    )


@require_POST
@_signed_in_json(always=False)
def contact_draft_discard(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """Discard a draft on purpose. Only its owner can; anyone else gets 404."""
    discarded = services.draft_discard(actor=_user(request), key=key)
    if _wants_json(request):
        return JsonResponse({"discarded": discarded}, status=200 if discarded else 404)
    if discarded:
        messages.info(request, _("The draft is discarded."))
    else:
        messages.info(request, _("There was no draft on the server to discard."))
    return redirect("cases:contact_create")


# --- one contact -------------------------------------------------------------------------


_SHOWN_FIELDS = services.CONTACT_FIELDS


@login_required
@require_http_methods(["GET"])
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    contact = selectors.contact_get(user=user, pk=pk)
    # Each earlier version by its own categories (its life areas then), not the contact's now.
    versions = contact_versions_seen(user=user, contact=contact, channel="view")
    labels = {name: str(getattr(Contact._meta.get_field(name), "verbose_name", name)) for name in _SHOWN_FIELDS}
    categories = dict(Category.choices)
    for version in versions:
        version.changed_labels = [labels.get(name, name) for name in version.changed_fields]  # type: ignore[attr-defined]
        version.withheld_labels = [str(categories.get(c, c)) for c in version.withheld]  # type: ignore[attr-defined]
        version.before = (  # type: ignore[attr-defined]
            []
            if version.withheld  # type: ignore[attr-defined]
            else [
                (labels.get(name, name), _shown_value(name, version.data.get(name))) for name in version.changed_fields
            ]
        )
    context = {
        "contact": contact,
        "versions": versions,
        "participants": _labels(contact.participants, Contact._meta.get_field("participants")),
        "life_areas": _labels(contact.life_areas, Contact._meta.get_field("life_areas")),
        "may_edit": access.can(user, contact, "edit"),
        "may_delete": access.can(user, contact, "delete"),
        "may_mark_done": access.can(user, contact, "mark_done"),
        "youth_url": _youth_url(contact.youth_id),
        "clear_draft": _clear_draft_key(request),
        "log_another_url": reverse("cases:contact_create_for", args=[contact.youth_id]),
    }
    return render(request, "cases/contact_detail.html", context)


def _labels(values: list[str], field: Any) -> list[str]:
    choices = dict(field.base_field.choices)
    return [str(choices.get(value, value)) for value in values]


def _shown_value(name: str, value: Any) -> str:
    """A field's value from a kept version, as a person reads it."""
    if value in (None, "", []):
        return ""
    if name in ("participants", "life_areas"):
        return ", ".join(_labels(list(value), Contact._meta.get_field(name)))
    if name == "kind":
        return str(dict(ContactKind.choices).get(value, value))
    if name == "occurred_at":
        try:
            return datetime.datetime.fromisoformat(str(value)).astimezone(OSLO).strftime("%d.%m.%Y %H:%M")
        except ValueError:
            return str(value)
    if name == "task_due_on":
        try:
            return datetime.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    return str(value)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a contact; the service keeps the version before the change."""
    user = _user(request)
    contact = selectors.contact_get(user=user, pk=pk)
    if not access.can(user, contact, "edit"):  # 403 before a form is filled in; the service decides
        raise PermissionDenied
    recent = selectors.recent_contact_kinds(user=user)
    status = 200
    if request.method == "POST":
        form = ContactEditForm(request.POST, contact=contact, recent_kinds=recent)
        if form.is_valid():
            try:
                contact = services.contact_update(actor=user, contact=contact, fields=form.contact_fields())
            except ValidationError as error:
                add_service_errors(form, error, field_names=_FIELD_FOR_SERVICE_ERROR)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("cases:contact_detail", pk=contact.pk)
        status = 400
    else:
        form = ContactEditForm(contact=contact, recent_kinds=recent)
    context = {
        "form": form,
        "contact": contact,
        "errors": _error_list(form) if form.is_bound else [],
        "quick_durations": QUICK_DURATIONS,
        "evening_or_weekend": _evening_or_weekend(form),
    }
    return render(request, "cases/contact_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader deletes a contact with a reason; it is hidden, not erased."""
    user = _user(request)
    contact = selectors.contact_get(user=user, pk=pk)
    status = 200
    if request.method == "POST":
        form = ContactDeleteForm(request.POST)
        try:
            # The service checks who may delete before anything else (403), then the reason.
            services.contact_delete(actor=user, contact=contact, reason=str(request.POST.get("reason", "")))
        except ValidationError as error:
            add_service_errors(form, error, field_names=_FIELD_FOR_SERVICE_ERROR)
        else:
            messages.success(request, _("The contact is deleted. The reason is kept."))
            return redirect(_youth_url(contact.youth_id) or reverse("reports:home"))
        status = 400
    else:
        if not access.can(user, contact, "delete"):
            raise PermissionDenied
        form = ContactDeleteForm()
    context = {"form": form, "contact": contact, "errors": _error_list(form) if form.is_bound else []}
    return render(request, "cases/contact_delete.html", context, status=status)


@login_required
@require_POST
def contact_task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the contact's follow-up task as done (a button; htmx swaps the task in place)."""
    user = _user(request)
    contact = selectors.contact_get(user=user, pk=pk)
    contact = services.contact_task_done(actor=user, contact=contact)
    if getattr(request, "htmx", False):
        return render(
            request, "cases/partials/contact_task.html", {"contact": contact, "may_mark_done": True, "just_done": True}
        )
    messages.success(request, _("The task is marked as done."))
    return redirect("cases:contact_detail", pk=contact.pk)


urlpatterns: list[URLPattern] = [
    path("kontakter/ny/", contact_create, name="contact_create"),
    path("<int:youth_id>/kontakt/ny/", contact_create, name="contact_create_for"),
    path("kontakter/utkast/", contact_draft_save, name="contact_draft_save"),
    path("kontakter/utkast/<uuid:key>/forkast/", contact_draft_discard, name="contact_draft_discard"),
    path("kontakter/<int:pk>/", contact_detail, name="contact_detail"),
    path("kontakter/<int:pk>/endre/", contact_edit, name="contact_edit"),
    path("kontakter/<int:pk>/slett/", contact_delete, name="contact_delete"),
    path("kontakter/<int:pk>/oppgave-utfort/", contact_task_done, name="contact_task_done"),
]
