"""Rules every template keeps, checked over templates/ (the interface's small consistencies)."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# PDFs are paper: no screen, no scrolling, no phone.
SCREEN = [p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.name]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_table_on_screen_is_in_a_focusable_labelled_region() -> None:
    """A wide table scrolls inside its region, which keyboard users can reach (axe's
    scrollable-region-focusable), and which a screen reader names."""
    missing = []
    for path in SCREEN:
        text = _text(path)
        for match in re.finditer(r"<table\b", text):
            before = text[: match.start()]
            wrap = before.rfind('<div class="laget-table-wrap"')
            closed = before.rfind("</div>")
            opening = before[wrap : before.find(">", wrap) + 1] if wrap >= 0 else ""
            if (
                wrap < 0
                or closed > wrap
                or 'tabindex="0"' not in opening
                or 'role="region"' not in opening
                or "aria-label" not in opening
            ):
                missing.append(f"{path.relative_to(TEMPLATES)}:{text[: match.start()].count(chr(10)) + 1}")
    assert missing == []


def test_responsive_tables_label_every_cell() -> None:
    """On a phone a responsive table becomes cards, each value under the label in data-label."""
    unlabelled = []
    for path in SCREEN:
        for table in re.findall(r"<table[^>]*pkt-table--responsive.*?</table>", _text(path), re.S):
            body = table.split("<tbody>", 1)[-1]
            for cell in re.findall(r"<td\b[^>]*>", body):
                if "data-label" not in cell and "colspan" not in cell:
                    unlabelled.append(f"{path.relative_to(TEMPLATES)}: {cell}")
    assert unlabelled == []


def test_month_names_are_never_capitalised_in_dates() -> None:
    """Django's «M» capitalises the month («7. Des») and «b» drops the full stop; Norwegian writes
    «7. des.» («N»)."""
    wrong = []
    for path in SCREEN:
        for fmt in re.findall(r'date:"([^"]+)"', _text(path)):
            if fmt.isupper() and "_" in fmt:  # a named format (SHORT_DATE_FORMAT)
                continue
            if re.search(r"(?<!\\)[Mb]", fmt):
                wrong.append(f"{path.relative_to(TEMPLATES)}: {fmt}")
    assert wrong == []


def test_overdue_looks_the_same_everywhere() -> None:
    """«Over fristen» as a tag comes from one include, in one style."""
    places = []
    for path in SCREEN:
        if path.name == "overdue_tag.html":
            continue
        for match in re.finditer(r'<span[^>]*>\s*\{% translate "Overdue" %\}', _text(path)):
            places.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert places == []
    assert 'include "includes/overdue_tag.html"' in _text(TEMPLATES / "referrals/partials/concern_deadline_status.html")


def test_hidden_means_hidden_for_every_element() -> None:
    css = (TEMPLATES.parent / "static" / "css" / "laget.css").read_text(encoding="utf-8")
    assert re.search(r"^\[hidden\]\s*\{\s*display:\s*none\s*!important;?\s*\}", css, re.M)
