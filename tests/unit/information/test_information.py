"""Information pieces: chosen by the words used, every one with a source."""

from __future__ import annotations

import pytest

from bot.services.information.explanations import load_information, piece_for


@pytest.mark.parametrize(
    ("message", "piece"),
    [
        ("what is a WRAP?", "wrap"),
        ("what does a care coordinator do", "care_coordination"),
        ("what is a carer's assessment", "carers_rights"),
        ("what does recovery mean", "recovery"),
        ("what's a key worker", "care_coordination"),
        ("what is peer support", "peer_support"),
        ("how long will I have a care coordinator?", "care_coordination_how_long"),
        ("what happens when I'm discharged?", "care_coordination_how_long"),
        ("do I get a copy of my care plan", "care_plan"),
        ("who do I call out of hours", "out_of_hours"),
        ("how do I complain", "complaints"),
    ],
)
def test_the_piece_asked_for(message, piece):
    assert piece_for(message).id == piece


def test_unknown_questions_get_no_piece_and_every_piece_has_a_source():
    assert piece_for("what is the capital of France") is None
    pieces, not_found = load_information()
    assert not_found and all("https://" in piece.source for piece in pieces)
