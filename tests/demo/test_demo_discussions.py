"""The demo's anonymous discussions (demo/discussions.py): they pass the checks a caseworker's
would, and one became a named case."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from consent import selectors, services
from consent.discussions import checks as discussion
from consent.models import DiscussionCase, DiscussionNote
from demo import builders as demo
from demo import steps


def test_the_demo_discussions_pass_the_checks_and_one_became_a_named_case(seeded: demo.DemoResult) -> None:
    def rows() -> list[tuple[Any, ...]]:
        return [
            *DiscussionCase.objects.order_by("pk").values_list(
                "pk", "alias", "summary", "state", "youth", "created_at", "converted_at", "confirmed_warnings"
            ),
            *DiscussionNote.objects.order_by("pk").values_list("pk", "case", "at", "text"),
        ]

    first = rows()
    steps.build(seed=2026)
    assert rows() == first
    cases = list(DiscussionCase.objects.select_related("district").prefetch_related("notes"))
    assert {c.district.name for c in cases} == {"Bjerke", "Alna", "Søndre Nordstrand"}
    assert {c.state for c in cases} == {"open", "converted", "closed"}
    for case in cases:
        created_on = timezone.localtime(case.created_at).date()
        notes = [note.text for note in case.notes.all()]
        assert notes, case.alias
        assert not any(discussion.identity_numbers(text) for text in [case.alias, case.summary, *notes])
        found = discussion.findings(
            texts=[case.alias, case.summary], district=case.district, age_band=case.age_band, today=created_on
        )
        assert {f.kind for f in found} <= {"few_youths"}, (case.alias, found)
        assert case.confirmed_warnings == [f.key for f in found]
        for text in notes:
            assert (
                discussion.findings(
                    texts=[text], district=case.district, age_band=case.age_band, today=created_on, whole_district=False
                )
                == []
            ), text
    [named] = [c for c in cases if c.state == "converted"]
    assert named.youth is not None
    low, high = named.age_range
    assert low <= named.youth.age_on(timezone.localtime(named.created_at).date()) <= high
    assert list(selectors.discussions_for_youth(youth=named.youth)) == [named]
    assert services.youth_consent_in_force(named.youth, timezone.localtime(named.converted_at).date())
