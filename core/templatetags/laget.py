from __future__ import annotations

from django import template
from django.apps import apps
from django.forms import BoundField
from django.utils.safestring import SafeString

from core import audit
from core.models import AuditEvent

register = template.Library()

_CHECKABLE = {"checkbox", "radio"}


@register.filter
def audit_action(action: str) -> str:
    return audit.action_label(action)


@register.filter
def audit_object(event: AuditEvent) -> str:
    """The kind of object an audit entry is about, in words, with its id."""
    if not event.object_type:
        return ""
    try:
        kind = str(apps.get_model(event.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = event.object_type
    return f"{kind[:1].upper()}{kind[1:]} {event.object_id}".strip()


@register.simple_tag
def punkt_widget(field: BoundField) -> SafeString:
    """Render a form widget with Punkt's classes and the ARIA links to its help and error text."""
    attrs: dict[str, str | bool] = {}
    input_type = getattr(field.field.widget, "input_type", "")
    if input_type not in _CHECKABLE:
        attrs["class"] = "pkt-input pkt-input--fullwidth"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
