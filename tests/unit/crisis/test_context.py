"""The last few messages of a conversation and the newest one's risk (bot/services/crisis/context.py),
with the real word lists (content/crisis_context.yml) and a stand-in for the single-message layers."""

from __future__ import annotations

import pytest

from bot.services.crisis.context import (
    load_context_rules,
    parse_context_rules,
    reassures,
    recent_window,
    steers_a_form,
    wants_gentle_goodbye,
    with_context,
)
from bot.services.crisis.risk import NO_RISK, RiskAssessment, RiskLevel

CRISIS = RiskAssessment(RiskLevel.CRISIS, "suicide", 1.0)
POSSIBLE = RiskAssessment(RiskLevel.POSSIBLE, "hopeless", 1.0)


def one_message(text: str) -> RiskAssessment:
    """Stands in for the patterns: a few phrases, so each rule is seen on its own."""
    if "want to die" in text or "pills ready tonight" in text:
        return CRISIS
    if "hopeless" in text:
        return POSSIBLE
    return NO_RISK


def assess(*messages: str) -> RiskAssessment:
    *recent, text = messages
    return with_context(one_message(text), text, recent, one_message)


def test_without_earlier_messages_a_message_is_read_alone():
    assert assess("tonight") is NO_RISK
    assert assess("i want to die").level is RiskLevel.CRISIS


def test_risk_that_only_the_messages_together_show_raises_the_newest():
    found = assess("I've got the pills ready", "tonight")
    assert found.level is RiskLevel.CRISIS and found.kind == "context"


def test_after_risk_a_time_that_is_now_or_something_done_is_a_crisis():
    assert assess("i feel hopeless", "tonight").level is RiskLevel.CRISIS
    assert assess("i feel hopeless", "i've done it").level is RiskLevel.CRISIS
    assert assess("i feel hopeless", "what time is the group?") is NO_RISK


@pytest.mark.parametrize("goodbye", ["bye", "night x", "ta ra", "goodnight everyone", "sorry"])
def test_a_goodbye_keeps_the_risk_said_before_it(goodbye):
    assert assess("i want to die", goodbye).level is RiskLevel.CRISIS
    assert assess("everything is hopeless", goodbye).level is RiskLevel.POSSIBLE


def test_possible_risk_the_person_said_they_are_safe_about_is_not_carried():
    assert assess("everything is hopeless", "yeah im ok", "bye") is NO_RISK
    assert assess("i want to die", "yeah im ok", "bye").level is RiskLevel.CRISIS  # crisis always is


def test_ordinary_messages_before_a_goodbye_leave_it_ordinary():
    assert assess("had my tea", "watched telly", "night") is NO_RISK


def test_context_never_lowers_the_risk():
    assert assess("yeah im ok", "i want to die").level is RiskLevel.CRISIS


def test_only_the_window_counts():
    window = load_context_rules().window
    messages = ["i want to die", *["had my tea"] * window, "bye"]
    assert assess(*messages) is NO_RISK


def test_the_window_starts_after_that_is_not_what_i_meant():
    history = [("crisis", "i could kill him lol"), ("not_what_i_meant", "that's not what I meant"), ("greet", "hi")]
    assert recent_window(history) == ["hi"]
    assert recent_window([("greet", "hi"), ("wrap_start", "my triggers")]) == ["hi", "my triggers"]


@pytest.mark.parametrize("answer", ["yes", "Yes", "yeah im ok", "i'm safe", "yep safe", "im fine thanks", "aye"])
def test_answers_that_reassure(answer):
    assert reassures(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "no",
        "not really",
        "i don't know",
        "idk",
        "yes but i keep thinking about it",
        "maybe",
        "no im fine",
        "what's the samaritans number",
        "",
        "  ",
        "ok",
    ],
)
def test_answers_that_do_not_reassure(answer):
    assert not reassures(answer)


def test_taking_it_back_counts_as_reassurance():
    assert reassures("that's not what I meant")


def test_a_goodbye_is_gentle_after_low_mood_or_risk_language():
    assert wants_gentle_goodbye([("greet", "hi"), ("nlu_fallback", "really low today, been crying")])
    assert wants_gentle_goodbye([("possible_risk", "i feel hopeless")])
    assert wants_gentle_goodbye([("feel_low", "meh")])
    assert not wants_gentle_goodbye([("greet", "hi"), ("wrap_show", "show my plan")])
    assert wants_gentle_goodbye([("nlu_fallback", "feeling down today")])


def test_down_in_an_everyday_phrase_is_not_low_mood():
    assert not wants_gentle_goodbye([("wrap_start", "I want to write down my triggers")])
    assert not wants_gentle_goodbye([("greet", "calm down, only joking")])


@pytest.mark.parametrize("word", ["done", "Done.", "later", "skip", "i'm done"])
def test_a_forms_steering_word_steers_only_while_a_form_asks(word):
    assert steers_a_form(word, form_active=True)
    assert not steers_a_form(word, form_active=False)


@pytest.mark.parametrize("answer", ["fireworks night", "being told I'm done for", "ring my sister"])
def test_an_answer_is_not_a_steering_word(answer):
    assert not steers_a_form(answer, form_active=True)


def test_a_broken_word_list_is_refused_with_its_name():
    with pytest.raises(ValueError, match="farewells"):
        parse_context_rules({"window": 3, "farewells": [True]}, "crisis_context.yml")
    with pytest.raises(ValueError, match="window"):
        parse_context_rules({"window": 0}, "crisis_context.yml")
