"""Information pieces: chosen by the words used, every one with a source, shown with the answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.common.sms_text import MAX_SMS_CHARS, gsm7_length, is_gsm7, split_for_sms
from bot.services.information.explanations import INFORMATION_PATH, load_information, piece_for


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


# -- every answer shows its source (issue 22.12) -------------------------------------------------


def test_every_answer_ends_with_its_source_and_still_fits_one_sms():
    pieces, _ = load_information()
    for piece in pieces:
        body, source_line = piece.answer.rsplit("\n", 1)
        assert body == piece.text, piece.id
        assert source_line.startswith("Source: "), piece.id
        assert gsm7_length(piece.answer) <= MAX_SMS_CHARS and is_gsm7(piece.answer), piece.id
        assert split_for_sms(piece.answer) == [piece.answer], piece.id  # one text, source included


def test_the_source_line_names_who_and_where():
    assert piece_for("what does a care coordinator do").answer.endswith("\nSource: NHS England (england.nhs.uk)")
    assert piece_for("who do I call out of hours").answer.endswith("\nSource: NHS (nhs.uk)")
    assert piece_for("what is peer support").answer.endswith("\nSource: Mind (mind.org.uk)")


def write_information(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(INFORMATION_PATH.read_text(encoding="utf-8"))
    data["pieces"][0].update(changes)
    path = tmp_path / "information.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"source_name": None}, "pieces[wrap]: needs 'source_name'"),
        ({"source": "Mary Ellen Copeland, no web address"}, "pieces[wrap].source: needs the https:// address"),
        ({"text": "A WRAP is your own plan for staying well. " * 7}, "pieces[wrap].text: with its source line"),
    ],
)
def test_a_piece_whose_source_cannot_be_shown_in_one_sms_is_reported(tmp_path, changes, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        load_information(write_information(tmp_path, **changes))
