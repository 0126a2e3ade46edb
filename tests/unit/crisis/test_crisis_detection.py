"""The crisis detector on its own (no Rasa): every crisis message caught, few false alarms,
idioms left alone, and a broken patterns file reported precisely."""

from __future__ import annotations

import copy

import pytest
import yaml

from bot.language.spacy_pipeline import build_pipeline
from bot.services.crisis.detection import CrisisDetector, default_patterns_path
from tests.evaluation.sets import crisis_cases, ordinary_messages

MAX_FALSE_ALARM_RATE = 0.03
MIN_SUBJECT_ACCURACY = 0.97


@pytest.fixture(scope="module")
def patterns() -> dict:
    return yaml.safe_load(default_patterns_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def detector(patterns) -> CrisisDetector:
    return CrisisDetector(build_pipeline(), patterns, "crisis_patterns.yml")


def test_every_crisis_message_is_detected(detector):
    missed = [text for text, _, _ in crisis_cases() if detector.detect(text) is None]
    assert len(crisis_cases()) >= 250
    assert not missed, f"{len(missed)} missed:\n" + "\n".join(missed)


def test_messages_about_someone_else_are_told_apart(detector):
    cases = crisis_cases()
    wrong = [text for text, _, other in cases if detector.detect(text).about_someone_else != other]
    assert sum(other for _, _, other in cases) >= 50
    assert 1 - len(wrong) / len(cases) >= MIN_SUBJECT_ACCURACY, "\n".join(wrong)


def test_ordinary_messages_rarely_fire(detector):
    messages = ordinary_messages()
    alarms = [f"{text}  [{detector.detect(text).pattern_id}]" for text in messages if detector.detect(text)]
    assert len(messages) >= 250
    assert len(alarms) / len(messages) <= MAX_FALSE_ALARM_RATE, "\n".join(alarms)


@pytest.mark.parametrize(
    "idiom",
    [
        "I'd die for a cup of tea",
        "my feet are killing me",
        "this traffic is killing me",
        "I cut my hair",
        "I need to hang the washing out",
        "I'm killing myself laughing",
        "I could murder a curry",
        "I'm going to end it with my boyfriend",
        "I want to dye my hair",
        "I'm dying to see the new film",
        "we lost my brother to suicide three years ago today",
        "she died by suicide when I was small and I still miss her",
        "I'm on a suicide prevention course at work",
        "my nan is in heaven now",
        "can I join them in the group",
    ],
)
def test_idioms_do_not_fire(detector, idiom):
    assert detector.detect(idiom) is None


@pytest.mark.parametrize(
    ("text", "category", "other"),
    [
        ("I WANT TO DIEEEE", "suicide", False),
        ("kms", "suicide", False),
        ("my son says he wants to kms", "suicide", True),
        ("she\u2019s taken an overdose", "overdose", True),
        ("he hits me", "abuse", False),
        ("my dad hits my mum", "abuse", True),
    ],
)
def test_spelling_and_subject(detector, text, category, other):
    signal = detector.detect(text)
    assert (signal.category, signal.about_someone_else) == (category, other)


def test_long_emoji_and_other_scripts_do_not_break_it(detector):
    assert detector.detect("a" * 10_000) is None
    assert detector.detect("blah " * 2000 + "and I want to die") is not None  # the end of a long message counts
    assert detector.detect("I want to die " + "😀" * 5) is not None
    assert detector.detect("مرحبا كيف حالك") is None
    assert detector.detect("") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["categories"][0]["patterns"].append({"id": "bad-list", "pattern": "@nowhere"}), "bad-list"),
        (lambda p: p["categories"][0]["patterns"].append({"id": "all-optional", "pattern": "a? b?"}), "all-optional"),
        (lambda p: p["lists"].__setitem__("refl", [False]), "put it in quotes"),
        (lambda p: p["categories"][0]["patterns"].append(dict(p["categories"][0]["patterns"][0])), "used twice"),
        (lambda p: p["categories"][0].__setitem__("subject_from", "nobody"), "subject_from"),
    ],
    ids=["unknown-list", "all-optional", "unquoted-boolean", "duplicate-id", "bad-subject-rule"],
)
def test_a_broken_patterns_file_is_reported_precisely(patterns, change, message):
    broken = copy.deepcopy(patterns)
    change(broken)
    with pytest.raises(ValueError, match=message) as raised:
        CrisisDetector(build_pipeline(), broken, "crisis_patterns.yml")
    assert "crisis_patterns.yml" in str(raised.value)


# Kinds of miss named in issue 17 (can't keep safe, finality, no way out, vague intent, not
# wanting to wake, misspelt or dotted words, plans and timing, alcohol or drugs as the method,
# self-harm relapse), in our own words. Ambiguous warning signs get the possible-risk reply.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("i cant promise ill be safe", "crisis"),
        ("not sure i can keep myself safe much longer", "crisis"),
        ("honestly im a danger to myself at the moment", "crisis"),
        ("by the time you read this ill be gone", "crisis"),
        ("if i didnt wake up that would be fine", "crisis"),
        ("wanna end my lyf", "crisis"),
        ("im going to drink until i die", "crisis"),
        ("i took all my tablets with vodka", "crisis"),
        ("i wanna d.i.e", "crisis"),
        ("i feel like doing something silly to myself", "crisis"),
        ("i just want it all to stop forever", "crisis"),
        ("i relapsed and cut", "crisis"),
        ("there's no way out of this", "possible"),
        ("i cant see any way out", "possible"),
        ("i'm trapped and theres no escape", "possible"),
        ("nothing will ever get better", "possible"),
        ("i might do something i regret tonight", "possible"),
        ("i wish i wasnt here", "possible"),
        ("this is my last message", "possible"),
        ("tonights the night", "possible"),
        ("i know how i'd do it", "possible"),
        ("ive got the pills ready", "possible"),
        ("ive been looking at the bridge", "possible"),
        # after a death: the word "suicide" about someone else is grief, wanting to follow is not
        ("my friend died by suicide and i want to go the same way", "possible"),
        ("we lost her to suicide and i keep thinking i should join her", "possible"),
        ("i just want to be with my dad in heaven", "possible"),
        ("we lost him to suicide and i'm next", "possible"),
        ("lost my dad to suicide and now i want to die too", "crisis"),
        # "not in crisis" drops only those words; the rest is still read
        ("i'm not in crisis but i want to die", "crisis"),
        ("i'm not in crisis, i'm not safe", "crisis"),
    ],
)
def test_the_kinds_of_miss_are_caught_at_their_level(detector, text, level):
    signal = detector.detect(text)
    assert signal is not None and signal.level == level


@pytest.mark.parametrize(
    "text",
    [
        "i took my tablets with breakfast",
        "can i take my tablets with alcohol",
        "i take my meds with me on holiday",
        "i'll keep going until i pass my driving test",
        "this is my last message for today, speak tomorrow",
        "i know how to do it now thanks",
        "i've got my tablets ready for the week",
        "there's no way out of the car park",
        "we were looking at the bridge on our walk",
        "i did something i regret at the weekend",
        "not sure i can keep my flat tidy",
        "tonight's the night of the big match",
        "by the time you read this i'll have left for work",
        "i cant promise ill be on time",
        "you've misunderstood, I am not in crisis thank you",
        "I'm not in crisis, just fed up",
    ],
)
def test_the_same_words_in_everyday_use_do_not_fire(detector, text):
    assert detector.detect(text) is None
