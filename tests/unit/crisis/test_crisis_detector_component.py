"""The Rasa component around the detector: it decides the intent Rasa sees."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.crisis_detector import CrisisDetector


@pytest.fixture(scope="module")
def component(tmp_path_factory) -> CrisisDetector:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    return CrisisDetector.create({}, storage, Resource("crisis"), ExecutionContext(GraphSchema({}), "crisis"))


def message(text: str, intent: str, confidence: float, runner_up: str = "greet") -> Message:
    ranking = [{"name": intent, "confidence": confidence}, {"name": runner_up, "confidence": 1 - confidence}]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking, "entities": []})


def test_crisis_language_becomes_the_crisis_intent_whatever_the_classifier_said(component):
    [processed] = component.process([message("my son says he wants to die", "for_someone_else", 0.9)])
    assert processed.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert processed.get("intent_ranking")[0]["name"] == "crisis"
    assert [(e["entity"], e["value"]) for e in processed.get("entities")] == [("crisis_subject", "other")]


@pytest.mark.parametrize("text", ["my husband hits me", "my boyfriend keeps hurting me and im scared"])
def test_someone_being_hurt_by_another_gets_the_being_harmed_wording(component, text):
    [processed] = component.process([message(text, "greet", 0.6)])
    assert processed.get("intent")["name"] == "crisis"
    assert processed.get("entities")[0]["value"] == "being_harmed"


def test_a_carer_saying_someone_else_is_being_hurt_gets_the_carer_wording(component):
    [processed] = component.process([message("her boyfriend hits her", "for_someone_else", 0.6)])
    assert processed.get("entities")[0]["value"] == "other"


def test_a_confident_classifier_crisis_is_kept(component):
    [processed] = component.process([message("I am at the end of my rope", "crisis", 0.9)])
    assert processed.get("intent")["name"] == "crisis"
    assert processed.get("entities")[0]["value"] == "self"


def test_a_weak_classifier_crisis_is_demoted(component):
    [processed] = component.process([message("my son has schizophrenia", "crisis", 0.55, "for_someone_else")])
    assert processed.get("intent")["name"] == "for_someone_else"
    assert all(r["name"] != "crisis" for r in processed.get("intent_ranking"))


def test_a_weak_crisis_with_a_weak_runner_up_becomes_the_fallback(component):
    [processed] = component.process([message("hmm", "crisis", 0.75, "greet")])
    assert processed.get("intent")["name"] == "nlu_fallback"


def test_an_ordinary_message_is_left_alone(component):
    original = message("crowds, arguments and payday", "nlu_fallback", 0.3)
    [processed] = component.process([original])
    assert processed.get("intent") == {"name": "nlu_fallback", "confidence": 0.3}
    assert processed.get("entities") == []


def test_a_failure_on_one_message_leaves_it_unchanged(component, monkeypatch):
    def broken(_text):
        raise RuntimeError("pattern engine failed")

    monkeypatch.setattr(component.assessor, "assess", lambda text, recent=(): broken(text))
    [processed] = component.process([message("I want to die", "greet", 0.9)])
    assert processed.get("intent")["name"] == "greet"
