"""A workflow's states and allowed transitions are one table that services apply and templates ask
(docs STYLE.md; core.workflow). This test keeps state comparisons of the workflows out of the
templates and views, so that they cannot come back: a page asks the workflow's
`available_actions` instead."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The templates, views and APIs of the apps that hold the workflows whose transitions are a table
# (globs, so that a module moved within its app stays covered).
WORKFLOW_FILES = {
    "concern report": ["referrals/**/*views*.py", "referrals/**/api*.py", "templates/referrals/**/*.html"],
    "follow-up": ["cases/views/*.py", "cases/**/api*.py", "templates/cases/**/*.html"],
    "meeting and minutes": ["teams/**/*views*.py", "teams/**/api*.py", "templates/teams/**/*.html"],
    "consent and discussion": ["consent/**/*views*.py", "consent/**/api*.py", "templates/consent/**/*.html"],
}

# A state compared: `report.state == …`, `state != …`, `state in (…)`, `state not in …`.
COMPARISON = re.compile(r"\bstate\s*(==|!=)|\bstate\s+(not\s+)?in\b")

# What may remain, by the text of the line (where it is today in the comment; the text alone is
# matched, so that a module moved within its app keeps its entry): none of these decides an action.
ALLOWED = {
    # The inbox's filter: the `state` here is the filter the person chose in the list, not a
    # report's state, and the select marks the chosen option.
    'if state == "open":',  # referrals/concern_views.py
    "elif state in State.values:",  # referrals/concern_views.py
    "if state in ConcernReport.State.values else",  # referrals/api.py
    '{% if state == "open" %}',  # templates/referrals/concern_inbox.html
    "{% if state == value %}",  # templates/referrals/concern_inbox.html
    '{% if state == "all" %}',  # templates/referrals/concern_inbox.html
    # The discussions list's filter (?state=), likewise the person's choice, not a case's state.
    "if state not in DiscussionCase.State.values:",  # consent/discussions/api.py
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
                    if any(text in line for text in ALLOWED):
                        continue
                    found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_the_workflow_files_exist() -> None:
    for patterns in WORKFLOW_FILES.values():
        for pattern in patterns:
            assert list(ROOT.glob(pattern)), pattern


def test_no_template_or_view_compares_a_workflows_state() -> None:
    assert _comparisons() == []


def test_the_guard_sees_the_comparisons_it_keeps_out() -> None:
    for line in (
        '{% if report.state == "received" %}',
        "if meeting.state != Meeting.State.CANCELLED:",
        "if state in (State.INVESTIGATING, State.MEASURES):",
        "if followup.state not in OPEN:",
    ):
        assert COMPARISON.search(line), line
    assert not COMPARISON.search("reports.filter(state__in=OPEN_STATES)")
