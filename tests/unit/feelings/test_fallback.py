"""The two-stage fallback's rules (content/fallback.yml), without Rasa."""

from __future__ import annotations

from bot.services.feelings import fallback


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_the_best_two_or_three_offerable_guesses_in_plain_words_best_first():
    guesses = fallback.best_guesses(
        ranking(
            ("nlu_fallback", 0.3),
            ("feel_low", 0.25),
            ("link_code", 0.2),
            ("feel_sleep", 0.15),
            ("wrap_show", 0.1),
            ("help", 0.09),
        )
    )
    assert [g.intent for g in guesses] == ["feel_low", "feel_sleep", "wrap_show"]  # never a code or nlu_fallback
    assert guesses[0].title == "I feel low"


def test_one_guess_or_only_unlikely_ones_is_no_choice():
    assert fallback.best_guesses(ranking(("feel_low", 0.6))) == []
    assert fallback.best_guesses(ranking(("feel_low", 0.01), ("help", 0.01))) == []


def test_the_second_stage_follows_a_first_or_when_there_is_nothing_to_guess():
    two = [fallback.Guess("feel_low", "I feel low"), fallback.Guess("help", "What can you do?")]
    assert fallback.stage("action_feelings_reply", two, "action_fallback") == fallback.FIRST
    assert fallback.stage("action_fallback", two, "action_fallback") == fallback.SECOND
    assert fallback.stage(None, [], "action_fallback") == fallback.SECOND


def test_fallbacks_are_counted_by_stage_and_best_guess_never_the_text():
    before = fallback.fallback_counts().get(("first", "feel_low"), 0)
    fallback.count("first", [fallback.Guess("feel_low", "I feel low")])
    fallback.count("second", [])
    counts = fallback.fallback_counts()
    assert counts[("first", "feel_low")] == before + 1
    assert ("second", "none") in counts
    assert all(isinstance(key, tuple) and len(key) == 2 for key in counts)


def test_every_guess_and_text_fits_one_sms():
    content = fallback.load_fallback_content()
    assert {"did_you_mean", "still_not", "ways", "crisis_hint"} <= set(content.texts)
    assert all(len(title) <= 40 for title in content.guesses.values())  # a button, and a numbered line
