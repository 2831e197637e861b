"""Reading ease of a letter and the sentences that pull it down.

Scores are worked by hand with Flesch's formula, 206.835 - 1.015 x (words per sentence)
- 84.6 x (syllables per word), counting syllables as the CMU pronouncing dictionary does.
"""

import pytest

from putright.rules.readability import (
    HARD_SENTENCE_SCORE,
    LONG_SENTENCE_WORDS,
    MIN_WORDS_TO_SCORE_SENTENCE,
    PLAIN_ENGLISH_SCORE,
    Readability,
    SentenceScore,
    assess,
    reading_ease,
    split_sentences,
)

LEGALESE = (
    "Notwithstanding the aforementioned considerations, the organisation determined that "
    "remediation was inappropriate."
)

# 26 words, all of one syllable, so long but not hard.
LONG_AND_EASY = (
    "We will send a man to fix the door, the lock, the gate, the shed, the wall, "
    "the bin, the step and the roof at once."
)


def test_the_thresholds_are_the_documented_ones():
    assert (PLAIN_ENGLISH_SCORE, HARD_SENTENCE_SCORE) == (60.0, 30.0)
    assert (LONG_SENTENCE_WORDS, MIN_WORDS_TO_SCORE_SENTENCE) == (25, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 6 words, 6 syllables, 1 sentence: 206.835 - 6.09 - 84.6
        ("The cat sat on the mat.", 116.145),
        # 7 words, 9 syllables (win-dow, Fri-day): 206.835 - 7.105 - 108.771
        ("We will fix the window by Friday.", 90.959),
        # 11 words, 12 syllables (sun-ny), 2 sentences: 206.835 - 5.583 - 92.291
        ("The cat sat on the mat. It was a sunny day.", 108.962),
        # 11 words, 35 syllables: 206.835 - 11.165 - 269.182
        (LEGALESE, -73.512),
    ],
)
def test_reading_ease_of_known_sentences(text, expected):
    assert reading_ease(text) == pytest.approx(expected, abs=0.001)


def test_each_line_is_read_as_a_sentence_even_without_a_full_stop():
    # 10 words, 13 syllables (to-day twice, paint-ed), 2 sentences: 206.835 - 5.075 - 109.98
    as_lines = "We fixed the door today\nWe painted the wall today"
    assert reading_ease(as_lines) == pytest.approx(91.78)
    assert reading_ease("We fixed the door today. We painted the wall today.") == pytest.approx(
        91.78
    )
    # Run together as one 10-word sentence it would score 5.075 lower.
    assert reading_ease("We fixed the door today we painted the wall today") == pytest.approx(
        86.705
    )


@pytest.mark.parametrize("text", ["", "   \n\n ", "...", "- \n*"])
def test_text_with_no_words_has_no_score(text):
    assert reading_ease(text) is None
    result = assess(text)
    assert result.score is None
    assert result.sentences == ()
    assert not result.is_plain_english
    assert result.hard_sentences == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are sorry. We will fix it.", ["We are sorry.", "We will fix it."]),
        ("Is that right? Yes! Good.", ["Is that right?", "Yes!", "Good."]),
        ("We will, e.g. by phone, call you.", ["We will, e.g. by phone, call you."]),
        ('You said "No." Then you rang.', ['You said "No."', "Then you rang."]),
        ("(We checked.) Then we rang.", ["(We checked.)", "Then we rang."]),
        ("Dear Ms Khan,\n\nThank you.\n- a new door\n- a new lock", None),
        ("We paid £50. 3 actions remain.", ["We paid £50.", "3 actions remain."]),
        ("  Trailing space.  ", ["Trailing space."]),
    ],
)
def test_how_a_letter_is_split_into_sentences(text, expected):
    if expected is None:
        expected = ["Dear Ms Khan,", "Thank you.", "- a new door", "- a new lock"]
    assert split_sentences(text) == expected


def test_a_letter_is_scored_as_a_whole_and_sentence_by_sentence():
    result = assess(f"The cat sat on the mat. {LEGALESE}")

    assert [(s.text, s.words) for s in result.sentences] == [
        ("The cat sat on the mat.", 6),
        (LEGALESE, 11),
    ]
    assert result.sentences[0].score == pytest.approx(116.145)
    assert result.sentences[1].score == pytest.approx(-73.512, abs=0.001)
    # 17 words, 41 syllables, 2 sentences: 206.835 - 8.6275 - 204.035
    assert result.score == pytest.approx(-5.828, abs=0.001)
    assert not result.is_plain_english
    assert result.hard_sentences == (result.sentences[1],)


def test_a_long_sentence_is_flagged_even_when_its_words_are_easy():
    (sentence,) = assess(LONG_AND_EASY).sentences
    assert sentence.words == 26
    assert sentence.score > PLAIN_ENGLISH_SCORE
    assert (sentence.too_long, sentence.too_hard, sentence.drags_down) == (True, False, True)


def test_hard_sentences_come_hardest_first_and_easy_ones_are_left_out():
    result = assess(f"We are sorry. {LONG_AND_EASY} {LEGALESE} Compensation is inappropriate.")

    assert [s.text for s in result.hard_sentences] == [LEGALESE, LONG_AND_EASY]


def test_a_short_sentence_is_not_judged_on_its_score():
    # 3 words, 10 syllables: -78, but a signature line is read at a glance.
    (sentence,) = assess("Customer Resolution Manager").sentences
    assert sentence.score < HARD_SENTENCE_SCORE
    assert sentence.words < MIN_WORDS_TO_SCORE_SENTENCE
    assert not sentence.drags_down


@pytest.mark.parametrize(
    ("words", "score", "too_long", "too_hard"),
    [
        (25, 50.0, False, False),
        (26, 50.0, True, False),
        (5, 29.99, False, True),
        (5, 30.0, False, False),
        (4, -100.0, False, False),
    ],
)
def test_the_sentence_thresholds_at_their_edges(words, score, too_long, too_hard):
    sentence = SentenceScore("text", words, score)
    assert (sentence.too_long, sentence.too_hard) == (too_long, too_hard)
    assert sentence.drags_down == (too_long or too_hard)


@pytest.mark.parametrize(("score", "plain"), [(60.0, True), (59.99, False), (None, False)])
def test_plain_english_starts_at_60(score, plain):
    assert Readability(score=score, sentences=()).is_plain_english is plain


def test_equal_scores_put_the_longer_sentence_first():
    short = SentenceScore("short", 26, 10.0)
    longer = SentenceScore("longer", 40, 10.0)
    worst = SentenceScore("worst", 6, 5.0)
    result = Readability(score=40.0, sentences=(short, longer, worst))
    assert result.hard_sentences == (worst, longer, short)


def test_a_page_never_shows_a_score_above_100_or_below_0():
    very_plain = assess("We will call. We will fix it. It is done.")
    assert very_plain.score > 100  # Flesch passes 100 for short words in short sentences
    assert very_plain.shown_score == 100
    assert assess("").shown_score is None
