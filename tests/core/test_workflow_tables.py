"""A workflow's states and allowed transitions are one table that services apply and templates ask
(docs STYLE.md; core.workflow). This test keeps state comparisons of the workflows out of the
templates and views, so that they cannot come back: a page asks the workflow's
`available_actions` instead."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The templates and views of each workflow whose transitions are a table.
WORKFLOW_FILES = {
    "concern report": [
        "referrals/concern_views.py",
        "templates/referrals/concern_*.html",
        "templates/referrals/partials/concern_*.html",
    ],
    "follow-up": [
        "cases/views/youths.py",
        "cases/api.py",
        "templates/cases/followup_*.html",
        "templates/cases/partials/followup_*.html",
    ],
    "meeting and minutes": [
        "teams/meeting_views.py",
        "teams/calendar_views.py",
        "templates/teams/meeting_*.html",
        "templates/teams/minutes_*.html",
        "templates/teams/calendar_*.html",
        "templates/teams/partials/meeting_*.html",
    ],
}

# A state compared: `report.state == …`, `state != …`, `state in (…)`, `state not in …`.
COMPARISON = re.compile(r"\bstate\s*(==|!=)|\bstate\s+(not\s+)?in\b")

# What may remain, by file and the text of the line: none of these decides an action.
ALLOWED = {
    # The inbox's filter: the `state` here is the filter the person chose in the list, not a
    # report's state, and the select marks the chosen option.
    ("referrals/concern_views.py", 'if state == "open":'),
    ("referrals/concern_views.py", "elif state in State.values:"),
    ("templates/referrals/concern_inbox.html", '{% if state == "open" %}'),
    ("templates/referrals/concern_inbox.html", "{% if state == value %}"),
    ("templates/referrals/concern_inbox.html", '{% if state == "all" %}'),
    # A meeting's or the minutes' state shown as a label or notice, offering no action.
    ("templates/teams/meeting_detail.html", '{% if meeting.state == "cancelled" %}'),
    ("templates/teams/calendar_page.html", '{% if m.state == "cancelled" %}'),
    ("templates/teams/partials/meeting_minutes_body.html", '{% if view.minutes.state == "approved" and'),
    ("templates/teams/minutes_pdf.html", '{% if view.minutes.state == "approved" %}'),
    ("templates/teams/meeting_approve.html", '{% elif view.minutes.state == "approved" %}'),
}


def _comparisons() -> list[str]:
    found = []
    for patterns in WORKFLOW_FILES.values():
        for pattern in patterns:
            for path in sorted(ROOT.glob(pattern)):
                name = str(path.relative_to(ROOT))
                for number, line in enumerate(path.read_text().splitlines(), start=1):
                    if not COMPARISON.search(line):
                        continue
                    if any(name == allowed_name and text in line for allowed_name, text in ALLOWED):
                        continue
                    found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_the_workflow_files_exist() -> None:
    for patterns in WORKFLOW_FILES.values():
        for pattern in patterns:
            assert list(ROOT.glob(pattern)), pattern


def test_no_template_or_view_compares_a_workflows_state() -> None:
    assert _comparisons() == []
