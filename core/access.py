"""The only way to fetch a protected object or list (STYLE.md: "one access module").

Each protected model registers a `Policy` here (in its app's `policy.py`): which objects a
user may see through their roles (a role scope, as a Q object), and which further actions a
user may take on an object they can see. django-guardian object permissions, granted and
revoked only by services (for example when someone joins a youth's team), add to what the
role scope gives.

- `get(user, queryset, action=..., **lookup)` returns the object, raises Http404 when the user
  may not see it (so "forbidden" and "does not exist" look the same to an outsider), and
  PermissionDenied (403) when they may see it but not do `action`.
- `visible(user, queryset)` filters a list to what the user may see.
- `can(user, obj, action)` answers yes or no, for showing or hiding a button.

Superusers get nothing extra here: administrators manage the organisation in the admin, and
see youth data only through the roles and teams they hold, like everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

M = TypeVar("M", bound=Model)

VIEW = "view"


@dataclass(frozen=True)
class Policy:
    """How one model is protected.

    scope: the objects a user sees through their roles (a Q over the model).
    actions: for each further action, a predicate on (user, obj); the object is already
      known to be visible when it is called.
    grantable: the actions a django-guardian object permission can grant as well.
    """

    scope: Callable[[Any], Q]
    actions: dict[str, Callable[[Any, Any], bool]] = field(default_factory=dict)
    # Actions that a django-guardian object permission may also grant (the permission
    # `<app>.<action>_<model>` must exist).
    grantable: frozenset[str] = frozenset({VIEW})


_policies: dict[type[Model], Policy] = {}


def register(model: type[Model], policy: Policy) -> None:
    _policies[model] = policy


def _policy(model: type[Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} has no access policy registered") from None


def _permission(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _granted(user: Any, model: type[Model], action: str) -> QuerySet[Any]:
    """Objects on which the user holds a guardian object permission for `action`."""
    return get_objects_for_user(
        user,
        _permission(model, action),
        klass=model,
        use_groups=True,
        with_superuser=False,
        accept_global_perms=False,
    )


def granted(user: Any, model: type[M], action: str) -> QuerySet[M]:
    """The objects of `model` on which the user holds a django-guardian grant for `action`."""
    if not _active(user):
        return model._default_manager.none()
    return _granted(user, model, action)


def has_grant(user: Any, obj: Model, action: str) -> bool:
    """Does the user hold a django-guardian object permission for `action` on `obj`?"""
    return _active(user) and _granted(user, type(obj), action).filter(pk=obj.pk).exists()


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def visible(user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """The part of `queryset` the user may see. One query, whatever the size of the list."""
    if not _active(user):
        return queryset.none()
    model = queryset.model
    policy = _policy(model)
    granted = _granted(user, model, VIEW).values("pk")
    return queryset.filter(policy.scope(user) | Q(pk__in=granted))


def can(user: Any, obj: Model, action: str = VIEW) -> bool:
    """May the user do `action` on `obj`? `obj` must already be visible to them."""
    if not _active(user):
        return False
    model = type(obj)
    if action == VIEW:
        return visible(user, model._default_manager.filter(pk=obj.pk)).exists()
    policy = _policy(model)
    predicate = policy.actions.get(action)
    if predicate is not None and predicate(user, obj):
        return True
    return action in policy.grantable and _granted(user, model, action).filter(pk=obj.pk).exists()


def get(user: Any, queryset: QuerySet[M] | type[M], *, action: str = VIEW, **lookup: Any) -> M:
    """Fetch one object: 404 if the user may not see it, 403 if they may not do `action`."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if action != VIEW and action not in _policy(qs.model).actions:
        raise LookupError(f"{qs.model._meta.label} has no action {action!r}")
    obj = visible(user, qs).filter(**lookup).first()
    if obj is None:
        raise Http404
    if action != VIEW and not can(user, obj, action):
        raise PermissionDenied
    return obj
