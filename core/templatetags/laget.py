from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CHECKABLE = {"checkbox", "radio"}


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
