"""Sign-in (password, then a TOTP code), enrolment in two-factor login, sign-out,
password reset, and /healthz."""

from __future__ import annotations

import base64
import logging
from io import BytesIO
from typing import TYPE_CHECKING, Any, cast

import qrcode
import qrcode.image.svg
import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, signals
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, lockout
from .forms import EmailAuthenticationForm, TokenForm
from .middleware import client_ip
from .models import User
from .outbox import outbox_status
from .throttling import SignInThrottle

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    """The signed-in person (the views below require sign-in)."""
    return cast(User, request.user)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        return f"{reverse('core:otp')}?next={_next_url(self.request)}"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if SignInThrottle().exceeded(request):
            return _signin_throttled(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        SignInThrottle().failed(self.request)
        return super().form_invalid(form)


def _signin_throttled(request: HttpRequest) -> HttpResponse:
    """Too many failed steps from this address (core.throttling): refused before any check.
    Logged, not audited: a flood of refused requests must not become a flood of audit rows."""
    logger.warning("sign-in refused: too many failures from %s", client_ip(request))
    return render(request, "core/signin_throttled.html", status=429)


def _confirmed_device(user: User | AnonymousUser) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _demo_code(device: TOTPDevice) -> str | None:
    """The current code, shown on screen only in local settings (demo)."""
    if not settings.LAGET_SHOW_DEMO_OTP:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _otp_failed(request: HttpRequest, device: TOTPDevice) -> HttpResponse | None:
    """A wrong code counts as a failed sign-in, towards the same lock-out as a wrong password."""
    user = request.user
    audit.record(actor=user, action="auth.otp_failed", target=_user(request))
    signals.user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    return None


def _refused_while_locked(request: HttpRequest) -> HttpResponse | None:
    """The code step opens nothing while the account is locked, not even with the right code:
    the password step may have been passed before the lock-out (core.lockout)."""
    if not lockout.is_locked(request, request.user):
        return None
    user = _user(request)
    audit.record(actor=user, action="auth.otp_refused_locked", target=user)
    logout(request)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


def _otp_succeeded(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    lockout.clear(request.user)


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request))
    refused = _refused_while_locked(request)
    if refused is not None:
        return refused
    device = _confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('core:otp_setup')}?next={_next_url(request)}")
    if request.method == "POST" and SignInThrottle().exceeded(request):
        return _signin_throttled(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = device.verify_token(form.cleaned_data["token"])
        if verified:
            _otp_succeeded(request, device)
            audit.record(actor=request.user, action="auth.otp_verified", target=_user(request))
            return redirect(_next_url(request))
        SignInThrottle().failed(request)
        locked = _otp_failed(request, device)
        if locked is not None:
            return locked
        form.add_error("token", _("Wrong or expired code. Wait for a new code and try again."))
    return render(
        request,
        "core/otp_verify.html",
        {"form": form, "next": _next_url(request), "demo_code": _demo_code(device)},
        status=400 if form.errors else 200,
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: enrol an authenticator app (TOTP), confirmed by one correct code."""
    if _confirmed_device(request.user) is not None:
        return redirect(f"{reverse('core:otp')}?next={_next_url(request)}")
    refused = _refused_while_locked(request)
    if refused is not None:
        return refused
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Autentiseringsapp"}
    )
    if request.method == "POST" and SignInThrottle().exceeded(request):
        return _signin_throttled(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _otp_succeeded(request, device)
            audit.record(actor=request.user, action="auth.otp_enrolled", target=_user(request))
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect(_next_url(request))
        SignInThrottle().failed(request)
        locked = _otp_failed(request, device)
        if locked is not None:
            return locked
        form.add_error("token", _("Wrong code. Check that the clock on your phone is right, and try again."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "core/otp_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
        status=400 if form.errors else 200,
    )


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/password_reset.html"
    email_template_name = "core/email/password_reset.txt"
    subject_template_name = "core/email/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Recorded without saying whether the address belongs to an account.
        audit.record(actor=None, action="auth.password_reset_requested", detail={"email": form.cleaned_data["email"]})
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(actor=form.user, action="auth.password_reset_done", target=form.user)
        return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when PostgreSQL and Redis answer, 503 naming what failed; with the e-mails waiting in
    the outbox. No data, no session."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["postgresql"] = "ok"
    except Exception as exc:  # noqa: BLE001 (any failure is reported, not raised)
        checks["postgresql"] = f"error: {exc.__class__.__name__}"
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        checks["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    body: dict[str, Any] = {"status": "ok" if healthy else "error", "checks": checks}
    if checks["postgresql"] == "ok":
        # The e-mail outbox: how many wait (and for how long), how many were given up. Counts only.
        outbox = outbox_status()
        waited = (timezone.now() - outbox.oldest).total_seconds() if outbox.oldest else 0
        body["email"] = {"waiting": outbox.waiting, "oldest_seconds": int(waited), "failed": outbox.failed}
    return JsonResponse(body, status=200 if healthy else 503)
