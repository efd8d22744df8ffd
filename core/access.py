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

A child object (a contact, an offence, a consent version, a minutes revision) has no scope of
its own: `register_child(Child, parent="youth", actions={...})` says which foreign-key path
leads to the parent, and the child is visible exactly when its parent is. Each of the child's
actions is either the name of a parent action (contact "delete" is the youth's
"delete_contact") or a predicate on (user, child) for a rule of the child's own (its author
may edit a contact). No view fetches a child and then checks its parent by hand.

Superusers get nothing extra here: administrators manage the organisation in the admin, and
see youth data only through the roles and teams they hold, like everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

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

    scope: Callable[[User], Q]
    actions: dict[str, Callable[[User, Any], bool]] = field(default_factory=dict)
    # Actions that a django-guardian object permission may also grant (the permission
    # `<app>.<action>_<model>` must exist).
    grantable: frozenset[str] = frozenset({VIEW})


@dataclass(frozen=True)
class ChildPolicy:
    """How a child object is protected: through its parent.

    parent: the foreign-key path from the child to the parent ("youth", "step__youth").
    actions: for each action on the child, the parent's action it needs (a name), or a
      predicate on (user, child) for a rule of the child's own; the child is already known to
      be visible when it is called.
    """

    parent: str
    actions: dict[str, str | Callable[[User, Any], bool]] = field(default_factory=dict)


_policies: dict[type[Model], Policy] = {}
_children: dict[type[Model], ChildPolicy] = {}


def register(model: type[Model], policy: Policy) -> None:
    _policies[model] = policy


def register_child(
    model: type[Model], *, parent: str, actions: dict[str, str | Callable[[User, Any], bool]] | None = None
) -> None:
    """Protect `model` through the parent at the end of the foreign-key path `parent`."""
    if model in _policies:
        raise ValueError(f"{model._meta.label} has a policy of its own; a child has only its parent's")
    parent_model(model, parent)  # a wrong path fails here, at start-up
    _children[model] = ChildPolicy(parent=parent, actions=dict(actions or {}))


def children() -> dict[type[Model], ChildPolicy]:
    """The child models registered, with how each reaches its parent (for guard tests)."""
    return dict(_children)


def parent_model(model: type[Model], path: str) -> type[Model]:
    """The model at the end of the foreign-key path `path` from `model`."""
    current: type[Model] = model
    for name in path.split("__"):
        related = current._meta.get_field(name).related_model
        if not (isinstance(related, type) and issubclass(related, Model)):
            raise LookupError(f"{model._meta.label}: {path!r} is not a foreign-key path")
        current = related
    return current


def parent_of(obj: Model) -> Model:
    """The parent object a registered child is protected through."""
    current: Model = obj
    for name in _children[type(obj)].parent.split("__"):
        current = getattr(current, name)
    return current


def _policy(model: type[Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} has no access policy registered") from None


def _actions(model: type[Model]) -> Any:
    child = _children.get(model)
    return child.actions if child is not None else _policy(model).actions


def _permission(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _granted(user: User, model: type[Model], action: str) -> QuerySet[Any]:
    """Objects on which the user holds a guardian object permission for `action`."""
    return get_objects_for_user(
        user,
        _permission(model, action),
        klass=model,
        use_groups=True,
        with_superuser=False,
        accept_global_perms=False,
    )


def granted(user: User | AnonymousUser, model: type[M], action: str) -> QuerySet[M]:
    """The objects of `model` on which the user holds a django-guardian grant for `action`."""
    if not _active(user):
        return model._default_manager.none()
    return _granted(user, model, action)


def has_grant(user: User | AnonymousUser, obj: Model, action: str) -> bool:
    """Does the user hold a django-guardian object permission for `action` on `obj`?"""
    return _active(user) and _granted(user, type(obj), action).filter(pk=obj.pk).exists()


def _active(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def signed_in(user: User | AnonymousUser) -> User:
    """The person acting, once a service or selector needs them as a row (an author, a lookup).

    Views and the API require sign-in, so this never refuses a real request; an anonymous or
    deactivated user who got this far may do nothing (403).
    """
    if not _active(user):
        raise PermissionDenied
    return user


def visible(user: User | AnonymousUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """The part of `queryset` the user may see. One query, whatever the size of the list."""
    if not _active(user):
        return queryset.none()
    model = queryset.model
    child = _children.get(model)
    if child is not None:
        parents = parent_model(model, child.parent)._default_manager.all()
        return queryset.filter(**{f"{child.parent}__in": visible(user, parents).values("pk")})
    policy = _policy(model)
    granted = _granted(user, model, VIEW).values("pk")
    return queryset.filter(policy.scope(user) | Q(pk__in=granted))


def can(user: User | AnonymousUser, obj: Model, action: str = VIEW) -> bool:
    """May the user do `action` on `obj`? `obj` must already be visible to them."""
    if not _active(user):
        return False
    model = type(obj)
    if action == VIEW:
        return visible(user, model._default_manager.filter(pk=obj.pk)).exists()
    child = _children.get(model)
    if child is not None:
        rule = child.actions.get(action)
        if rule is None:
            return False
        return can(user, parent_of(obj), rule) if isinstance(rule, str) else rule(user, obj)
    policy = _policy(model)
    predicate = policy.actions.get(action)
    if predicate is not None and predicate(user, obj):
        return True
    return action in policy.grantable and _granted(user, model, action).filter(pk=obj.pk).exists()


def get(user: User | AnonymousUser, queryset: QuerySet[M] | type[M], *, action: str = VIEW, **lookup: Any) -> M:
    """Fetch one object: 404 if the user may not see it, 403 if they may not do `action`."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if action != VIEW and action not in _actions(qs.model):
        raise LookupError(f"{qs.model._meta.label} has no action {action!r}")
    obj = visible(user, qs).filter(**lookup).first()
    if obj is None:
        raise Http404
    if action != VIEW and not can(user, obj, action):
        raise PermissionDenied
    return obj
