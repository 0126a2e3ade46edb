"""SMS keywords, and the SMS texts in content/sms.yml checked when loaded."""

from __future__ import annotations

import pytest

from bot.services.sms.content import SMS_CONTENT_PATH, load_sms_content, read_sms_content
from bot.services.sms.keywords import Keyword, keyword_in


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", Keyword.opt_out),
        ("stop", Keyword.opt_out),
        (" Stop. ", Keyword.opt_out),
        ("STOPALL", Keyword.opt_out),
        ("unsubscribe", Keyword.opt_out),
        ("Cancel", Keyword.opt_out),
        ("END", Keyword.opt_out),
        ("quit!", Keyword.opt_out),
        ("START", Keyword.opt_in),
        ("yes", Keyword.opt_in),
        ("UNSTOP", Keyword.opt_in),
        ("HELP", Keyword.help),
        ("info", Keyword.help),
        ("stop asking me that", None),
        ("I want to end it", None),
        ("help me", None),
        ("STOP I want to kill myself", None),
        ("", None),
        ("stopp", None),
        ("yes please", None),
    ],
)
def test_keywords_are_whole_messages(text, keyword):
    assert keyword_in(text) is keyword


def test_the_shipped_sms_content_loads():
    content = load_sms_content()
    assert "STOP" in content.text("help") and "999" in content.text("help")
    assert "{number}" in content.choice_item


def test_a_curly_quote_or_a_long_text_is_refused_naming_the_entry(tmp_path):
    good = SMS_CONTENT_PATH.read_text(encoding="utf-8")
    curly = tmp_path / "curly.yml"
    curly.write_text(good.replace('Send "menu"', "Send \u201cmenu\u201d"), encoding="utf-8")
    with pytest.raises(ValueError, match="curly.yml: texts.help: has"):
        read_sms_content(curly)
    long = tmp_path / "long.yml"
    long.write_text(good.replace("Welcome back.", "Welcome back. " * 30), encoding="utf-8")
    with pytest.raises(ValueError, match="long.yml: texts.opted_in: longer than .* SMS characters"):
        read_sms_content(long)
