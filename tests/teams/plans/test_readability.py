"""The plan's readability (issue 13, point 6): the Norwegian LIX, words per sentence plus the
share of long words (more than six letters), with a warning above the setting."""

from __future__ import annotations

import pytest
from django.test import override_settings

from teams.plans.readability import lix, plan_readability


def test_lix_is_words_per_sentence_plus_the_share_of_long_words() -> None:
    # 9 words, 2 sentences, 2 long words (fotballtrening, kommunikasjon; "hjemme" has six)
    assert lix("Jeg vil gå på fotballtrening. Bedre kommunikasjon hjemme nå!") == pytest.approx(9 / 2 + 200 / 9)


def test_norwegian_letters_count_as_letters_and_a_line_is_a_sentence() -> None:
    # "skjønnlitteratur" is one long word; two lines are two sentences: 2/2 + 100 * 1/2
    assert lix("Lese skjønnlitteratur\nmer") == pytest.approx(1.5 + 100 / 3)
    assert lix("Ærlig øving") == pytest.approx(2 + 0)


def test_no_words_is_no_index() -> None:
    assert lix("") is None
    assert lix(" ... !") is None
    assert plan_readability(["", "  "]) is None


@override_settings(LAGET_PLAN_LIX_WARNING=40)
def test_a_plan_above_the_setting_is_warned_about_and_an_easy_one_is_not() -> None:
    easy = plan_readability(["Jeg vil gå på skolen hver dag.", "Da får jeg venner."])
    assert easy is not None
    assert easy.lix < 40
    assert not easy.warning
    hard = plan_readability(
        ["Gjennomføre systematisk kartlegging av utdanningsmessige utfordringer og tilrettelegging"]
    )
    assert hard is not None
    assert hard.warning
    assert hard.sentences == 1
