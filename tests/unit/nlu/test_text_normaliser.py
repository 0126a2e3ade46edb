"""The NLU components around the shared normaliser: the classifier's text is the matching form,
and everything after VerbatimText sees what the person typed."""

from __future__ import annotations

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.text_normaliser import TextNormaliser, VerbatimText


def make(cls, tmp_path):
    storage = LocalModelStorage(tmp_path)
    return cls.create({}, storage, Resource(cls.__name__), ExecutionContext(GraphSchema({}), cls.__name__))


def test_the_classifier_reads_the_matching_form_and_the_rest_read_what_was_typed(tmp_path):
    normaliser, verbatim = make(TextNormaliser, tmp_path), make(VerbatimText, tmp_path)
    message = Message(data={"text": "im soooo depresed, code KMTR-4829"})
    [message] = normaliser.process([message])
    assert message.get("text") == "i'm so depressed, code kmtr-4829"
    [message] = verbatim.process([message])
    assert message.get("text") == "im soooo depresed, code KMTR-4829"


def test_training_examples_are_normalised_too(tmp_path):
    data = TrainingData([Message(data={"text": "cant sleep 2nite", "intent": "sleep"}), Message(data={"intent": "x"})])
    processed = make(TextNormaliser, tmp_path).process_training_data(data)
    assert [m.get("text") for m in processed.training_examples] == ["can't sleep tonight", None]


def test_empty_and_missing_text_are_left_alone(tmp_path):
    normaliser, verbatim = make(TextNormaliser, tmp_path), make(VerbatimText, tmp_path)
    messages = [Message(data={"text": ""}), Message(data={})]
    assert [m.get("text") for m in verbatim.process(normaliser.process(messages))] == ["", None]
