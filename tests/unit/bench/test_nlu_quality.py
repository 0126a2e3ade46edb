"""The pure parts of bench/nlu_quality.py: F1 per intent from (true, predicted) pairs, the
on-topic judgement from the topic table, and the skip when the external file is absent. No
model; every message here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.nlu_quality import (
    DEAD_END,
    DID_YOU_MEAN,
    OFF_TOPIC,
    ON_TOPIC,
    TOPICS_PATH,
    TopicTable,
    Turn,
    intent_scores,
    judge,
    load_topic_table,
    lowest_f1,
    macro_f1,
    main,
    read_external,
    summarise,
    turn_from_events,
)

TABLE = TopicTable(
    topics={"greet": frozenset({"greet", "utter_greet_new"}), "sad_or_low": frozenset({"feel_low", "feel_lonely"})},
    dead_end=frozenset({"utter_fallback", "utter_default"}),
)


def test_per_intent_f1_from_pairs():
    truth = ["greet", "greet", "greet", "goodbye", "goodbye", "thank"]
    predicted = ["greet", "greet", "goodbye", "goodbye", "nlu_fallback", "greet"]
    scores = intent_scores(truth, predicted)
    assert set(scores) == {"greet", "goodbye", "thank"}  # only intents in the truth; nlu_fallback is just wrong
    greet = scores["greet"]  # 2 hits, 3 true, 3 claimed
    assert (greet.precision, greet.recall, greet.f1, greet.support) == (0.6667, 0.6667, 0.6667, 3)
    goodbye = scores["goodbye"]  # 1 hit, 2 true, 2 claimed
    assert (goodbye.precision, goodbye.recall, goodbye.f1) == (0.5, 0.5, 0.5)
    assert scores["thank"].f1 == 0.0 and scores["thank"].precision == 0.0
    assert macro_f1(scores) == pytest.approx((0.6667 + 0.5 + 0.0) / 3, abs=1e-4)
    assert lowest_f1(scores, 2) == [("thank", 0.0), ("goodbye", 0.5)]


def test_per_intent_f1_agrees_with_scikit_learn():
    from sklearn.metrics import f1_score

    truth = ["a", "a", "b", "b", "b", "c", "c", "d"]
    predicted = ["a", "b", "b", "b", "x", "c", "a", "x"]
    labels = sorted(set(truth))
    expected = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    scores = intent_scores(truth, predicted)
    assert [scores[label].f1 for label in labels] == pytest.approx(list(expected), abs=1e-4)
    assert macro_f1(scores) == pytest.approx(
        f1_score(truth, predicted, labels=labels, average="macro", zero_division=0), abs=1e-4
    )


def test_mismatched_lengths_and_nothing_to_score():
    with pytest.raises(ValueError):
        intent_scores(["greet"], [])
    assert macro_f1(intent_scores([], [])) == 0.0


def test_on_topic_by_intent_or_by_what_was_said():
    assert judge("greet", Turn("greet", frozenset({"action_greet"})), TABLE) == ON_TOPIC
    assert judge("greet", Turn("bot_challenge", frozenset({"utter_greet_new"})), TABLE) == ON_TOPIC
    assert judge("sad_or_low", Turn("feel_anxious", frozenset({"action_feelings_reply"})), TABLE) == OFF_TOPIC
    assert judge("no_such_topic", Turn("greet", frozenset()), TABLE) == OFF_TOPIC


def test_dead_ends_and_did_you_mean():
    second_stage = Turn("nlu_fallback", frozenset({"action_fallback"}), None)
    assert judge("greet", second_stage, TABLE) == DEAD_END
    assert judge("greet", Turn("not_what_i_meant", frozenset({"utter_fallback"})), TABLE) == DEAD_END
    # "Did you mean...?" is never on topic, even when its guesses are
    first_stage = Turn("nlu_fallback", frozenset({"action_fallback"}), ("greet", "help"))
    assert judge("greet", first_stage, TABLE) == DID_YOU_MEAN


def _events(intent: str, *said: dict) -> list[dict]:
    return [
        {"event": "action", "name": "action_session_start"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "parse_data": {"intent": {"name": intent}}},
        *said,
        {"event": "action", "name": "action_listen"},
    ]


def test_turn_from_events_reads_names_and_the_fallbacks_stage():
    greeted = turn_from_events(
        _events(
            "greet",
            {"event": "action", "name": "action_greet"},
            {"event": "bot", "metadata": {"utter_action": "utter_greet_new"}, "data": {}},
        )
    )
    # only what was done for the last message: not the session start before it
    assert greeted == Turn("greet", frozenset({"action_greet", "utter_greet_new"}), None)
    first = turn_from_events(
        _events(
            "nlu_fallback",
            {"event": "action", "name": "action_fallback"},
            {"event": "bot", "data": {"buttons": [{"payload": "/feel_low"}, {"payload": "/out_of_scope"}]}},
            {"event": "bot", "data": {}},
        )
    )
    assert first.fallback_guesses == ("feel_low",)
    second = turn_from_events(
        _events("nlu_fallback", {"event": "action", "name": "action_fallback"}, {"event": "bot", "data": {}})
    )
    assert second.fallback_guesses is None
    assert judge("sad_or_low", first, TABLE) == DID_YOU_MEAN and judge("sad_or_low", second, TABLE) == DEAD_END


def test_summary_counts_and_rates_by_topic():
    judged = [
        ("greet", ON_TOPIC, Turn("greet", frozenset())),
        ("greet", DEAD_END, Turn("nlu_fallback", frozenset({"action_fallback"}))),
        ("sad_or_low", DID_YOU_MEAN, Turn("nlu_fallback", frozenset({"action_fallback"}), ("feel_low", "help"))),
        ("sad_or_low", OFF_TOPIC, Turn("crisis", frozenset({"utter_crisis"}))),
    ]
    summary = summarise(judged, TABLE)
    assert (summary["messages"], summary["on_topic_rate"], summary["dead_end_rate"]) == (4, 0.25, 0.25)
    assert summary["did_you_mean_with_an_on_topic_guess"] == 1
    assert summary["crisis_replies"] == 1
    assert summary["by_topic"]["greet"] == {ON_TOPIC: 1, DID_YOU_MEAN: 0, DEAD_END: 1, OFF_TOPIC: 0, "messages": 2}
    assert summary["intents_by_topic"]["sad_or_low"] == {"nlu_fallback": 1, "crisis": 1}


def test_reading_the_external_file(tmp_path: Path):
    made_up = tmp_path / "intents.tsv"
    made_up.write_text(
        "text\ttopic\tsource\nhullo from the allotment\tgreet\tinvented\nall grey today\tsad_or_low\tinvented\n",
        encoding="utf-8",
    )
    assert read_external(made_up) == [("hullo from the allotment", "greet"), ("all grey today", "sad_or_low")]
    wrong = tmp_path / "wrong.tsv"
    wrong.write_text("message\tlabel\nhullo again\tgreet\n", encoding="utf-8")
    with pytest.raises(ValueError):
        read_external(wrong)


def test_absent_external_file_is_skipped_with_a_note(tmp_path: Path, capsys):
    absent = tmp_path / "absent.tsv"
    assert read_external(absent) is None
    # The whole command, external part only: nothing is loaded, the note names the file.
    output = tmp_path / "out.json"
    assert main(["--only", "external", "--external", str(absent), "--json", str(output)]) == 0
    assert f"skipped, {absent} is absent" in capsys.readouterr().out
    assert json.loads(output.read_text()) == {"external": None}


def test_the_shipped_topic_table_covers_the_external_topics():
    table = load_topic_table(TOPICS_PATH)
    expected = {"greet", "goodbye", "thanks", "ask_what_can_you_do", "ask_peer_support", "carer_question"}
    assert expected | {"stressed_or_anxious", "sad_or_low"} <= set(table.topics)
    assert "utter_fallback" in table.dead_end
    assert all(names for names in table.topics.values())
