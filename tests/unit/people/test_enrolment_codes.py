"""Which messages are someone sending their enrolment code (the NLU rule)."""

from __future__ import annotations

import pytest

from bot.services.people.enrolment_codes import CODE_LETTERS, find_code, is_enrolment_message, new_code


def test_new_codes_have_the_printed_shape():
    for _ in range(50):
        code = new_code()
        assert len(code) == 9 and code[4] == "-" and all(c in CODE_LETTERS for c in code[:4]) and code[5:].isdigit()
        assert find_code(code) == code and is_enrolment_message(code)


@pytest.mark.parametrize(
    "message",
    [
        "KMTR-4829",
        "kmtr4829",
        "kmtr 4829",
        "KMTR-4829 thanks",
        "it's kmtr-4829",
        "my enrolment code is june 2024",
        "my code is PLMK 0981",
        "Here is the code: KMTR-4829",
    ],
)
def test_codes_are_recognised(message):
    assert is_enrolment_message(message)


@pytest.mark.parametrize(
    "message",
    [
        "1",
        "1234",
        "room 1234",
        "june 2024 was a hard month",
        "I was in hospital in june-2024 for weeks",
        "call me on 07700 900123",
        "hello",
        "",
        "I have a code",
    ],
)
def test_other_messages_are_not(message):
    assert not is_enrolment_message(message)


def test_the_enrolment_replies_are_plain_english_and_fit_one_sms():
    import yaml

    from bot.common.readability import check_text
    from bot.common.sms_text import gsm7_length, gsm7_problem
    from bot.settings import PROJECT_ROOT

    responses = yaml.safe_load((PROJECT_ROOT / "bot" / "domain" / "enrolment.yml").read_text(encoding="utf-8"))[
        "responses"
    ]
    texts = {
        name: variant["text"].replace("{coordinator}", "Sam")
        for name, variants in responses.items()
        if name.startswith("utter_enrolment")
        for variant in variants
    }
    assert len(texts) == 5
    for name, text in texts.items():
        assert check_text(text) <= 7.0, name
        assert gsm7_problem(text) is None and gsm7_length(text) <= 320, name
