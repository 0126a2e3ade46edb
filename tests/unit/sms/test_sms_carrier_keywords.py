"""No text Alongside can send suggests sending a carrier opt-out keyword.

By SMS, a text that is only STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) blocks the number
at Twilio: nothing more reaches the person (not the next step, not "Sam has read your plan",
not a check-in) until they text START. So a reply like 'Say "next", or "stop" to finish' is a
trap. This test reads every response in domain.yml (every variant: Rasa's `channel:` variants
are not picked on our SMS channel, whose output channel is Rasa's collector, so every variant
can reach SMS), every string in content/*.yml, and every button title (buttons become
numbered choices by SMS, and the words work as a reply), and fails naming each text that does.

The rule, strict but blind to ordinary words ("at the end of", "I stop sleeping"): a keyword
is suggested when it is, as a whole word and in any case,
  - the whole of a quoted phrase ('"stop"', "'Cancel.'"), or
  - the first word after say/send/text/reply/type/answer (and a filler such as "just" or
    "the word") that is not followed by another word of the command: "reply STOP to stop
    texts" and "until you say stop." are suggestions; "say stop sharing" and "reply STOP
    CHECK-INS" are not, because Twilio acts only on a message that is the keyword alone; or
  - the whole of a button title.
The HELP and START replies in content/sms.yml must say how to opt out (carriers require it):
they are the only texts allowed, listed below with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.services.sms import keywords as sms_keywords
from bot.services.sms.keywords import Keyword, keyword_in
from bot.settings import PROJECT_ROOT

# Twilio's list (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT), plus OPTOUT and REVOKE, which
# Twilio's Advanced Opt-Out page now also lists, and "stop all", which some carriers take.
CARRIER_OPT_OUT_WORDS = ("stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "optout", "revoke")

# Texts that must name STOP: the carrier-required opt-out instructions.
ALLOWED = {
    "content/sms.yml: texts.help": "the HELP reply must say how to stop texts (carrier rules)",
    "content/sms.yml: texts.opted_in": "the reply to START must say how to stop again (carrier rules)",
}

# Never sent: patterns the crisis detector reads, and the readability test's own list.
NOT_SENT = {"crisis_patterns.yml", "readability_exceptions.yml"}

_KEYWORD = "|".join(
    re.escape(word).replace(r"\ ", r"\s+") for word in sorted(CARRIER_OPT_OUT_WORDS, key=len, reverse=True)
)
_QUOTED = re.compile(
    r"\"([^\"\n]{1,60})\"|\u201c([^\u201d\n]{1,60})\u201d|\u2018([^\u2019\n]{1,60})\u2019|(?<![\w'])'([^'\n]{1,60})'(?![\w'])"
)
_SEND_VERB = (
    r"(?:say|says|saying|send|sends|sending|text|texts|texting|reply|replies|replying|type|typing|answer|respond)"
)
_FILLER = r"(?:(?:with|back|just|only|simply|the\s+words?|us|me)\s+)*"
# After the keyword, the command has ended: the end of the text, a mark, or a word that starts
# the rest of the sentence ("reply STOP to stop texts"), not one that carries the command on.
_COMMAND_ENDS = r"(?=\s*(?:$|[.,;:!?)\-\u2013\u2014]|\s(?:to|and|or|at|if|when|whenever|for|any|anytime|now|instead|then|in|once|again|as|so|but|before|after|please)\b))"
_AFTER_VERB = re.compile(
    rf"\b{_SEND_VERB}\s+{_FILLER}[\"'\u201c\u2018]?({_KEYWORD})\b[\"'\u201d\u2019]?{_COMMAND_ENDS}", re.IGNORECASE
)
_WHOLE = re.compile(rf"^\W*({_KEYWORD})\W*$", re.IGNORECASE)


def suggested_keywords(text: str) -> list[str]:
    """The carrier opt-out keywords this text suggests sending, as written."""
    found = []
    for match in _QUOTED.finditer(text):
        quoted = next(group for group in match.groups() if group is not None)
        if (whole := _WHOLE.match(quoted)) is not None:
            found.append(whole.group(1))
    found += [match.group(1) for match in _AFTER_VERB.finditer(" ".join(text.split()))]
    return found


def is_keyword_title(title: str) -> bool:
    return _WHOLE.match(title or "") is not None


# -- where the texts are ------------------------------------------------------------------------


def _strings(value, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}.{index}")


def domain_texts(domain_path: Path) -> Iterator[tuple[str, str, list[str]]]:
    """(where, text, button titles) for every variant of every response."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8"))
    for name, variants in (domain.get("responses") or {}).items():
        for index, variant in enumerate(variants or []):
            channel = f" (channel {variant['channel']})" if variant.get("channel") else ""
            titles = [str(button.get("title", "")) for button in variant.get("buttons") or []]
            yield f"{domain_path.name}: {name}.{index}{channel}", str(variant.get("text") or ""), titles


def content_texts(content_dir: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(content_dir.glob("*.yml")):
        if path.name in NOT_SENT:
            continue
        for where, text in _strings(yaml.safe_load(path.read_text(encoding="utf-8")), ""):
            yield f"content/{path.name}: {where}", text


def problems(root: Path = PROJECT_ROOT) -> list[str]:
    found = []
    domain_files = [root / "domain.yml", *sorted((root / "bot" / "domain").glob("*.yml"))]
    for where, text, titles in (entry for path in domain_files for entry in domain_texts(path)):
        if words := suggested_keywords(text):
            found.append(f"{where} suggests {words}: {' '.join(text.split())[:100]}")
        found += [f"{where} has a button titled {title!r}" for title in titles if is_keyword_title(title)]
    for where, text in content_texts(root / "content"):
        if where in ALLOWED:
            continue
        if words := suggested_keywords(text):
            found.append(f"{where} suggests {words}: {' '.join(text.split())[:100]}")
        if where.rsplit(".", 1)[-1] == "title" and is_keyword_title(text):
            found.append(f"{where} is a title that is a keyword: {text!r}")
    return found


# -- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'Say "next" to go on, or "stop" to finish.',  # the tour's hint before issue 22
        "What would you like the care team to know? Write it in one message. Or say CANCEL.",
        "They will also see what you add later, until you say stop.",
        "Reply STOP to stop texts.",
        "Text END at any time.",
        "You can reply 'quit' to leave.",
        "Just send \u201cUnsubscribe\u201d.",
        'Say "Stop."',
        "say the word stop",
        "If you want to finish, send stopall",
        "reply with STOP ALL",
    ],
)
def test_a_text_that_suggests_an_opt_out_keyword_is_caught(text):
    assert suggested_keywords(text)


@pytest.mark.parametrize(
    "text",
    [
        "That is the end of the tour.",
        "at the end of the day",
        'You can say "skip" to miss a question, or "later" to stop for now.',
        'Say "stop sharing with my mum" at any time.',
        "To stop these, reply STOP CHECK-INS.",
        "For example: I stop sleeping, I stop answering the phone",
        "OK, we'll stop here. What you told me is saved.",
        'You can cancel this at any time by saying "not now".',
        "say when you want to stop",
        "Text SHOUT to 85258.",
        'Say "done" to finish, or "menu".',
        "We'll talk about what happens at the end of care coordination.",
    ],
)
def test_ordinary_words_are_not_caught(text):
    assert suggested_keywords(text) == []


def test_button_titles_that_are_a_keyword_are_caught():
    assert is_keyword_title("Cancel") and is_keyword_title("STOP.") and is_keyword_title(" quit ")
    assert not is_keyword_title("Stop sharing") and not is_keyword_title("Not now")


def test_the_words_are_the_ones_our_sms_channel_takes_as_opt_out():
    ours = {word for word, kind in sms_keywords._KEYWORDS.items() if kind is Keyword.opt_out}
    assert ours <= set(CARRIER_OPT_OUT_WORDS), "a new opt-out word in sms_keywords.py: add it here"
    assert all(
        keyword_in(word) is Keyword.opt_out for word in ("stop", "stopall", "unsubscribe", "cancel", "end", "quit")
    )


# -- every text ----------------------------------------------------------------------------------


def test_no_text_alongside_can_send_suggests_an_opt_out_keyword():
    found = problems()
    assert not found, (
        'By SMS these words stop every text until START. Suggest "done" (leave a flow) or '
        '"menu" instead:\n' + "\n".join(found)
    )


def test_the_scan_reads_every_response_and_content_file():
    domain = list(domain_texts(PROJECT_ROOT / "domain.yml"))
    assert any(where.startswith("domain.yml: utter_stopped.") for where, _, _ in domain)
    assert any(titles for _, _, titles in domain)
    content = dict(content_texts(PROJECT_ROOT / "content"))
    assert "content/care_coordination_tour.yml: texts.next_hint" in content
    assert "content/carers.yml: texts.message_ask" in content


def test_the_allowed_texts_still_exist_and_still_need_it():
    content = dict(content_texts(PROJECT_ROOT / "content"))
    for where in ALLOWED:
        assert where in content, f"{where}: no such text (renamed or removed?)"
        assert suggested_keywords(content[where]), f"{where}: no longer names STOP; remove it from ALLOWED"


def test_the_old_tour_hint_fails_the_scan(tmp_path):
    """Restore the hint that sent people into the trap, in a copy of the project: it is named."""
    (tmp_path / "content").mkdir()
    for path in (PROJECT_ROOT / "content").glob("*.yml"):
        (tmp_path / "content" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "domain.yml").write_text((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"), encoding="utf-8")
    tour = tmp_path / "content" / "care_coordination_tour.yml"
    tour.write_text(
        tour.read_text(encoding="utf-8").replace('or "done" to finish', 'or "stop" to finish'), encoding="utf-8"
    )
    found = problems(tmp_path)
    assert found and all("care_coordination_tour.yml: texts.next_hint" in line for line in found), found
