"""Who may see a youth.

Until follow-ups and teams exist (their own issues) nobody sees a youth through a role:
access comes only from django-guardian grants, which team membership will give and take.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from core import access

from .models import Youth


def _role_scope(user: Any) -> Q:
    return Q(pk__in=[])


access.register(Youth, access.Policy(scope=_role_scope))
