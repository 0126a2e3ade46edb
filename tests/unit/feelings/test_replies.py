"""What Alongside says back when someone says how they feel (content/feelings.yml), without Rasa."""

from __future__ import annotations

import pytest

from bot.common.sms_text import gsm7_length
from bot.services.feelings.content import _parse, load_feelings_content
from bot.services.feelings.replies import (
    EXERCISE,
    START_SECTION,
    USE_ITEM,
    exercise_messages,
    in_form_reply,
    packed,
    reply_for,
    shortened,
)

CONTENT = load_feelings_content()
PERSON_TOPICS = [topic for topic in CONTENT.topics.values() if topic.intents]


def text_of(reply) -> str:
    return " ".join(reply.messages)


def test_every_feelings_intent_has_a_topic_and_the_issue_topics_are_all_there():
    for intent in (
        "feel_low",
        "feel_anxious",
        "feel_sleep",
        "feel_lonely",
        "feel_angry",
        "feel_let_down",
        "feel_medication",
        "feel_unusual",
        "feel_unwell_again",
        "feel_good_news",
        "feel_money",
        "medication_reminder",
        "carer_stress",
    ):
        assert CONTENT.topic_for_intent(intent) is not None, intent
    assert CONTENT.topic_for_intent("greet") is None


@pytest.mark.parametrize("topic", PERSON_TOPICS, ids=lambda t: t.id)
@pytest.mark.parametrize("carer", [False, True])
def test_every_reply_says_back_then_one_next_step_and_crisis_is_one_word_away(topic, carer):
    reply = reply_for(topic, carer=carer)
    answered = CONTENT.topics[topic.for_carers] if carer and topic.for_carers else topic
    text = text_of(reply)
    assert text.startswith(answered.heard)
    assert 'say "crisis"' in text
    assert all(gsm7_length(message) <= 320 for message in reply.messages)
    assert len(reply.messages) <= 2


def test_with_a_wrap_the_persons_own_words_are_offered():
    reply = reply_for(CONTENT.topics["low_mood"], plan_items={"toolbox": ["walking the dog", "a bath"]})
    assert '"walking the dog"' in text_of(reply) and "Would that help now?" in text_of(reply)
    assert reply.offer == USE_ITEM


def test_without_a_wrap_the_section_that_fits_is_offered():
    low = reply_for(CONTENT.topics["low_mood"], plan_items={})
    assert (low.offer, low.section) == (START_SECTION, "wellness_toolbox")
    anger = reply_for(CONTENT.topics["anger"])
    assert (anger.offer, anger.section) == (START_SECTION, "triggers")
    unusual = reply_for(CONTENT.topics["unusual"])
    assert unusual.section == "early_warning_signs" and "hearing-voices.org" in text_of(unusual)


def test_getting_unwell_again_offers_what_they_said_they_would_do():
    reply = reply_for(CONTENT.topics["unwell_again"], plan_items={"warning_must_do": ["ring Sam at the team"]})
    assert '"ring Sam at the team"' in text_of(reply) and reply.offer == USE_ITEM


def test_anxiety_offers_the_nhs_breathing_exercise_and_still_names_their_own_tool():
    reply = reply_for(CONTENT.topics["anxiety"], plan_items={"toolbox": ["my music"]})
    assert reply.offer == EXERCISE and '"my music"' in text_of(reply)
    steps = exercise_messages()
    assert len(steps) >= 4 and steps[0].startswith("Step 1")
    assert all(gsm7_length(step) <= 320 for step in steps)
    assert "nhs.uk" in CONTENT.exercise_source


def test_good_news_always_offers_to_add_what_helped_to_the_toolbox():
    reply = reply_for(CONTENT.topics["good_news"], plan_items={"toolbox": ["a walk"]})
    assert (reply.offer, reply.section) == (START_SECTION, "wellness_toolbox")


def test_medication_is_never_advice_and_names_who_can_help():
    text = text_of(reply_for(CONTENT.topics["medication"]))
    assert "can't give advice" in text
    assert "prescribes" in text and "pharmacist" in text and "111" in text
    assert reply_for(CONTENT.topics["medication"]).offer is None


def test_reminders_are_answered_honestly_with_an_alternative():
    text = text_of(reply_for(CONTENT.topics["reminder"]))
    assert "can't send reminders" in text and "alarm" in text


def test_let_down_says_sorry_and_how_to_raise_it_with_pals():
    text = text_of(reply_for(CONTENT.topics["let_down"]))
    assert "sorry" in text.lower() and "PALS" in text


def test_carers_get_their_own_version_with_carer_support_and_the_team():
    stress = text_of(reply_for(CONTENT.topics["anxiety"], carer=True))
    assert "support for carers" in stress and "carer's assessment" in stress
    listened = text_of(reply_for(CONTENT.topics["let_down"], carer=True))
    assert "nobody is listening" in listened and "leave a message" in listened
    worried = text_of(reply_for(CONTENT.topics["medication"], carer=True))
    assert "worried about them" in worried and "leave a message" in worried
    # a carer is never offered the person's plan
    assert reply_for(CONTENT.topics["low_mood"], carer=True, plan_items={"toolbox": ["x"]}).offer is None


def test_a_feeling_in_a_form_is_acknowledged_and_says_it_was_not_saved():
    text = " ".join(in_form_reply(CONTENT.topics["anxiety"]))
    assert "really hard" in text and "not saved" in text and 'say "crisis"' in text


def test_long_words_from_the_plan_are_shortened_at_a_word():
    long = "going for a long walk along the canal with my sister and her two dogs every sunday morning"
    short = shortened(long)
    assert short.endswith("...") and len(short) <= 60 and long.startswith(short[:-3])
    assert shortened("a walk") == "a walk"


def test_texts_are_packed_into_as_few_sms_as_fit():
    assert packed(["a" * 200, "b" * 100]) == ("a" * 200 + " " + "b" * 100,)
    assert len(packed(["a" * 200, "b" * 200])) == 2


def test_every_service_named_has_a_source():
    for topic in CONTENT.topics.values():
        if any(
            mark in f"{topic.heard} {topic.next_step} {topic.without_plan}" for mark in (".org", ".uk", "PALS", "111")
        ):
            assert "http" in topic.source, topic.id


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["texts"].pop("crisis_hint"), "crisis_hint: is missing"),
        (lambda d: d["topics"]["low_mood"].update(plan_questions=["nope"]), "nope is not in content/wrap.yml"),
        (lambda d: d["topics"]["low_mood"].update(heard="x " * 200), "longer than 320"),
        (lambda d: d["topics"]["low_mood"].update(for_carers="nobody"), "no topic nobody"),
        (lambda d: d["topics"]["money"].update(source=""), "needs its source"),
    ],
)
def test_a_broken_content_file_is_refused_naming_the_entry(change, problem):
    import copy

    from bot.common.content_files import read_content
    from bot.services.feelings.content import FEELINGS_PATH

    data = copy.deepcopy(read_content(FEELINGS_PATH))
    change(data)
    with pytest.raises(ValueError, match=problem):
        _parse(data, FEELINGS_PATH)


def test_with_a_named_care_coordinator_the_next_step_names_them():
    text = text_of(reply_for(CONTENT.topics["let_down"], coordinator="Sam"))
    assert "pass a message to Sam, your care coordinator" in text and "message my team" in text and "PALS" in text
    assert "Sam" not in text_of(reply_for(CONTENT.topics["let_down"]))
