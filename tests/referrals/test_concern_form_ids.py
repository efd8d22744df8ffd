"""Every choice on the concern form has its own id, and every label points to one (clicking
«Nei» for one guardian must never choose «Ja» for another)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from ..conftest import People
from .concern_pages import build_pages

pytestmark = pytest.mark.django_db


def _check_ids(body: str) -> None:
    ids = re.findall(r'\sid="([^"]*)"', body)
    assert "None" not in ids
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    targets = re.findall(r'<label[^>]*\sfor="([^"]*)"', body)
    assert "None" not in targets
    assert set(targets) <= set(ids), set(targets) - set(ids)


def test_the_told_choices_of_every_child_and_guardian_have_their_own_ids(people: People, as_user: Any) -> None:
    pages = build_pages(people)
    client = as_user(pages.school_contact)
    body = client.get("/meldinger/ny/").content.decode()
    _check_ids(body)

    # With two children and two guardians (the rows added without JavaScript).
    data = {
        "children-TOTAL_FORMS": "2",
        "children-INITIAL_FORMS": "0",
        "guardians-TOTAL_FORMS": "2",
        "guardians-INITIAL_FORMS": "0",
        "kind": "ordinary",
        "action": "add_guardian",
    }
    body = client.post("/meldinger/ny/", data).content.decode()
    _check_ids(body)
    for prefix in ("children-0", "children-1", "guardians-0", "guardians-1"):
        for n in (0, 1):
            assert f'id="id_{prefix}-informed_{n}"' in body
            assert f'for="id_{prefix}-informed_{n}"' in body


def test_the_violence_notice_is_hidden_for_an_ordinary_report(people: People, as_user: Any) -> None:
    pages = build_pages(people)
    body = as_user(pages.school_contact).get("/meldinger/ny/").content.decode()

    notice = re.search(r"<div[^>]*data-violence-notice[^>]*>", body)
    assert notice
    assert " hidden" in notice.group(0)
