"""content/form_interruptions.yml: one list of what is never a form's answer (no Rasa here)."""

from __future__ import annotations

import pytest

from bot.services.guided.interruptions import (
    InterruptionsError,
    interruption_rules,
    load_interruptions,
    never_answers,
    parse_interruptions,
    with_never_answers,
)


def test_crisis_words_codes_and_requests_are_never_answers():
    intents = never_answers()
    assert intents[0] == "crisis"
    for expected in ("crisis_contacts", "link_code", "enrolment_code", "carer_link_code", "wrap_show", "thank"):
        assert expected in intents


def test_each_form_gets_a_rule_per_interruption_that_comes_back_to_the_question():
    rules = interruption_rules(["goal_form", "wrap_form"])
    assert len(rules) == 2 * len(load_interruptions())
    contacts = next(
        r
        for r in rules
        if r["condition"] == [{"active_loop": "goal_form"}] and r["steps"][0] == {"intent": "crisis_contacts"}
    )
    assert contacts["steps"][1:] == [
        {"action": "utter_crisis_contacts"},
        {"action": "goal_form"},
        {"active_loop": "goal_form"},
    ]


def test_every_typed_answer_slot_ignores_them_and_other_slots_are_untouched():
    domain = {
        "slots": {
            "answer": {"mappings": [{"type": "from_text", "conditions": [{"active_loop": "x_form"}]}]},
            "flag": {"mappings": [{"type": "custom"}]},
        }
    }
    with_never_answers(domain)
    assert domain["slots"]["answer"]["mappings"][0]["not_intent"] == list(never_answers())
    assert "not_intent" not in domain["slots"]["flag"]["mappings"][0]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"commands": {"wrap_show": "show it"}}, "must be an action_ or utter_"),
        ({"commands": {"thank": "utter_a"}, "remarks": {"thank": "utter_b"}}, "listed twice"),
        ({"commands": {"crisis": "utter_crisis"}}, "crisis intent"),
        ({"orders": {}}, "only the sections"),
        ({"commands": ["wrap_show"]}, "intent: reply"),
    ],
)
def test_a_broken_list_is_refused_with_the_reason(data, problem):
    with pytest.raises(InterruptionsError, match=problem):
        parse_interruptions(data, "form_interruptions.yml")


def test_feelings_are_answered_in_every_form_but_never_kept_out_of_the_answer_slots():
    from bot.services.guided.interruptions import feelings_are_answers_in, feelings_intents

    feelings = feelings_intents()
    assert {"feel_low", "feel_anxious", "carer_stress"} <= set(feelings)
    assert not set(feelings) & set(never_answers())  # "panic attacks" can still be a trigger
    rules = interruption_rules(["wrap_form"])
    panic = next(r for r in rules if r["steps"][0] == {"intent": "feel_anxious"})
    assert panic["steps"][1:] == [
        {"action": "action_feelings_in_form"},
        {"action": "wrap_form"},
        {"active_loop": "wrap_form"},
    ]
    # where how the person feels is the answer, it is saved
    assert {"carer_message_form", "checkin_form", "stuck_form"} <= feelings_are_answers_in()
    assert "wrap_form" not in feelings_are_answers_in()
