"""The person's own API keys: issue one (its secret shown once, on this answer only), see the
list (purpose, created, last used, expires), revoke. The rules are in core.api_tokens."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .api_tokens import api_token_issue, api_token_revoke, api_tokens_for_user
from .forms import ApiTokenForm
from .models import User


@login_required
@require_http_methods(["GET", "POST"])
def api_token_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_token_issue(
                actor=user, purpose=form.cleaned_data["purpose"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    context = {"form": form, "secret": secret, "tokens": api_tokens_for_user(user=user), "now": timezone.now()}
    return render(request, "core/api_token_list.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    api_token_revoke(actor=cast(User, request.user), token_id=token_id)
    messages.success(request, _("The API key is revoked. Systems that used it are refused from now on."))
    return redirect("core:api_tokens")
