"""Plain English: the grade function, and every text a person reads in content/ at grade 7 or less.

Flesch-Kincaid is unreliable on fragments, so a WRAP example is checked as it is sent: with its
prompt, in one message (Question.message). Prompts, explanations and shared texts are checked
on their own. Exceptions live in content/readability_exceptions.yml, each with a reason.
"""

from __future__ import annotations

import pytest
import yaml

from bot.common import readability
from bot.common.readability import check_text, counts, flesch_kincaid_grade, syllables
from bot.services.carers.carers import carers_content, what_a_carer_can_be_told
from bot.services.consent.content import load_consent_content
from bot.services.crisis.content import load_crisis_content
from bot.services.guided import content as guided_content
from bot.services.information.explanations import load_information
from bot.services.peer_support.directory import load_directory
from bot.services.peer_support.search import conversation_content
from bot.services.peer_support.search import text as peer_text
from bot.services.sms.content import load_sms_content
from bot.services.webchat.content import load_webchat_content
from bot.services.wrap.content import load_wrap_content
from bot.settings import PROJECT_ROOT, get_settings

MAX_GRADE = 7.0
EXCEPTIONS_PATH = PROJECT_ROOT / "content" / "readability_exceptions.yml"


# -- the grade function --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("the", 1),
        ("make", 1),
        ("helped", 1),
        ("used", 1),
        ("wanted", 2),
        ("table", 2),
        ("people", 2),
        ("someone", 2),
        ("lovely", 2),
        ("wellness", 2),
        ("example", 3),
        ("medication", 4),
        ("recovery", 4),
        ("NHS", 3),
        ("GP", 2),
        ("", 0),
        ("123", 0),
    ],
)
def test_syllables_for_everyday_words(word, expected):
    assert syllables(word) == expected


def test_the_grade_follows_the_flesch_kincaid_formula():
    text = "The cat sat on the mat. It was happy."
    found = counts(text)
    assert (found.sentences, found.words) == (2, 9)
    expected = 0.39 * (9 / 2) + 11.8 * (found.syllables / 9) - 15.59
    assert flesch_kincaid_grade(text) == pytest.approx(expected)


def test_plain_text_scores_low_and_dense_text_scores_high():
    plain = "I'll ask one question at a time. Each answer is saved as soon as you send it."
    dense = (
        "Comprehensive multidisciplinary reassessment necessitates collaborative "
        "interorganisational communication regarding individualised therapeutic interventions."
    )
    assert check_text(plain) <= 3
    assert check_text(dense) >= 20


def test_placeholders_links_and_numbers_are_not_read_as_words():
    bare = "Call us on this number. It is open every day."
    decorated = "Call us on 0300 123 4567, {contacts}. It is open every day: https://www.example.org/help"
    assert counts(decorated).words == counts(bare).words - 2  # "this number" became digits
    assert counts("{contacts}").words == 0
    assert check_text("") == 0.0


def test_each_line_counts_as_a_sentence():
    assert counts("Call 999\nText SHOUT to 85258\nCall NHS 111").sentences == 3


def test_check_text_rounds_to_one_decimal_place():
    text = "Let's build your wellness and recovery plan."
    assert check_text(text) == round(readability.flesch_kincaid_grade(text), 1)


# -- every text a person reads ------------------------------------------------------------------


def person_facing_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for service in load_directory():
        texts[f"peer_support:{service.id}.description"] = service.description
    wrap = load_wrap_content()
    for text_id, text in wrap.texts.items():
        texts[f"wrap:texts.{text_id}"] = text
    for section in wrap.sections:
        texts[f"wrap:{section.id}.explanation"] = section.explanation
        for question in section.questions:
            texts[f"wrap:{section.id}.{question.id}.prompt"] = question.prompt
            texts[f"wrap:{section.id}.{question.id}.message"] = question.message
    crisis = load_crisis_content(get_settings())
    for key, text in crisis.messages.items():
        texts[f"crisis:messages.{key}"] = text
    for contact in crisis.contacts:
        texts[f"crisis:contacts.{contact.id}"] = contact.line
    for index, message in enumerate(what_a_carer_can_be_told()):
        texts[f"carers:what_can_i_be_told.{index}"] = message
    carer_words = carers_content()
    for text_id, text in carer_words.texts.items():
        if len(text.split()) >= 6:
            texts[f"carers:texts.{text_id}"] = text
    for topic in carer_words.topics:
        texts[f"carers:support.{topic.id}"] = topic.text
    pieces, not_found = load_information()
    texts["information:not_found"] = not_found
    for piece in pieces:
        texts[f"information:{piece.id}"] = piece.text
    consent = load_consent_content()
    for text_id, text in consent.texts.items():
        texts[f"consent:texts.{text_id}"] = text
    texts["consent:notification.body"] = consent.notification_body
    for text_id in conversation_content()["texts"]:
        texts[f"peer_support_conversation:texts.{text_id}"] = peer_text(text_id, item="a group")
    for text_id, text in load_sms_content().texts.items():
        texts[f"sms:texts.{text_id}"] = text
    for name in guided_content.STEP_FIELDS:  # goals, stuck, bucket, care coordination tour
        content = guided_content.load(name)
        prefix = name.removesuffix(".yml")
        for text_id, text in content.texts.items():
            if text_id not in content.fragment_ids:  # read only inside the texts that use them
                texts[f"{prefix}:texts.{text_id}"] = text
        for step in content.steps:
            texts[f"{prefix}:{step.id}"] = step.message
    webchat = load_webchat_content()
    for group in ("page", "status", "replies"):
        for key, text in getattr(webchat, group).items():
            if len(text.split()) >= 6:  # the grade means nothing for a label like "Conversation"
                texts[f"webchat:{group}.{key}"] = text
    return texts


def exceptions() -> dict[str, str]:
    data = yaml.safe_load(EXCEPTIONS_PATH.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for entry in data.get("exceptions") or []:
        assert isinstance(entry, dict) and entry.get("id"), f"exception without an id: {entry!r}"
        assert str(entry.get("reason", "")).strip(), f"{entry['id']}: give a reason"
        assert entry["id"] not in found, f"{entry['id']} is listed twice"
        found[entry["id"]] = entry["reason"]
    return found


def test_every_person_facing_text_reads_at_grade_7_or_less():
    allowed = exceptions()
    too_hard = [
        f"{text_id} (grade {check_text(text)}): {' '.join(text.split())[:80]}"
        for text_id, text in person_facing_texts().items()
        if check_text(text) > MAX_GRADE and text_id not in allowed
    ]
    assert not too_hard, (
        "Reword these in plainer English (shorter sentences, shorter words), or list them in "
        "content/readability_exceptions.yml with a reason:\n" + "\n".join(too_hard)
    )


def test_the_exceptions_list_names_only_texts_that_still_need_it():
    texts = person_facing_texts()
    stale = []
    for text_id in exceptions():
        if text_id not in texts:
            stale.append(f"{text_id}: no such text (renamed or removed?)")
        elif check_text(texts[text_id]) <= MAX_GRADE:
            stale.append(f"{text_id}: now reads at grade {check_text(texts[text_id])}; remove it")
    assert not stale, "Update content/readability_exceptions.yml:\n" + "\n".join(stale)


def test_the_exceptions_list_stays_short():
    assert len(exceptions()) <= 5
