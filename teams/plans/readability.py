"""How easy the plan is to read for the youth it is written for (issue 13, point 6): the
Norwegian readability index LIX (läsbarhetsindex, Björnsson), shown to the writer with a gentle
warning above LAGET_PLAN_LIX_WARNING (40: the border between easy and medium text).

LIX = words / sentences + 100 × long words / words, where a long word has more than six
letters. One small function rather than a dependency: the libraries that compute LIX (textstat)
bring hyphenation dictionaries and language data the plan does not need, and the formula is
two divisions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

# A word: letters (with æøå and other accented letters), digits and inner hyphens or apostrophes.
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A sentence ends at . ! ? : or a line break (a goal is often a line without a full stop).
_SENTENCE_END = re.compile(r"[.!?:]+|\n+")
LONG_WORD = 6  # letters: a word longer than this is long


@dataclass(frozen=True)
class Readability:
    lix: int  # rounded
    words: int
    sentences: int
    long_words: int
    warning: bool  # above the setting: the plan may be hard for the youth to read


def _counts(text: str) -> tuple[int, int, int]:
    words = _WORD.findall(text)
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    return len(words), sentences, sum(1 for w in words if len(w) > LONG_WORD)


def lix(text: str) -> float | None:
    """The LIX of `text`, or None when it has no words."""
    words, sentences, long_words = _counts(text)
    if not words:
        return None
    return words / sentences + 100 * long_words / words


def plan_readability(texts: Iterable[str]) -> Readability | None:
    """The LIX of the plan's texts taken together (each text on its own line, so a goal without
    a full stop is a sentence), the warning decided by the setting; None when nothing is
    written yet."""
    text = "\n".join(t.strip() for t in texts if t and t.strip())
    value = lix(text)
    if value is None:
        return None
    words, sentences, long_words = _counts(text)
    return Readability(
        lix=round(value),
        words=words,
        sentences=sentences,
        long_words=long_words,
        warning=value > settings.LAGET_PLAN_LIX_WARNING,
    )
