"""Reading answers about sharing: "yes" strictly, parts named, "not now", and anything unsure."""

from __future__ import annotations

import pytest

from bot.services.consent.answers import (
    Reply,
    categories_named,
    read_answer,
    requested_categories,
    withdrawal_categories,
)
from bot.services.wrap.content import SECTION_IDS

OFFERED = ("triggers", "early_warning_signs", "crisis_plan")


@pytest.mark.parametrize(
    ("text", "reply", "categories"),
    [
        ("yes", Reply.yes, OFFERED),
        ("Yes please", Reply.yes, OFFERED),
        ("ok", Reply.yes, OFFERED),
        ("everything", Reply.yes, OFFERED),
        ("just my triggers and crisis plan", Reply.some, ("triggers", "crisis_plan")),
        ("no, just my triggers", Reply.some, ("triggers",)),
        ("yes but not my crisis plan", Reply.some, ("triggers", "early_warning_signs")),
        ("everything except the crisis plan and warning signs", Reply.some, ("triggers",)),
        ("my warning signs but not my triggers", Reply.some, ("early_warning_signs",)),
        ("don't share my crisis plan", Reply.some, ("triggers", "early_warning_signs")),
        ("no", Reply.no, ()),
        ("no thanks", Reply.no, ()),
        ("I'd rather keep it private", Reply.no, ()),
        ("not now", Reply.not_now, ()),
        ("maybe later", Reply.not_now, ()),
        ("later", Reply.not_now, ()),
        ("stop", Reply.stop, ()),
        ("more", Reply.more, ()),
        ("what will they see?", Reply.unclear, ()),
        ("I don't know", Reply.unclear, ()),
        ("I'm not sure about my crisis plan", Reply.unclear, ()),
        ("purple", Reply.unclear, ()),
        ("", Reply.unclear, ()),
        ("my daily plan", Reply.not_offered, ()),
    ],
)
def test_answers(text, reply, categories):
    answer = read_answer(text, OFFERED)
    assert answer.reply is reply
    assert answer.categories == categories


def test_the_classifier_is_not_trusted_for_yes_or_no_only_for_more():
    # Through the whole agent "purple" came out as affirm at 0.32: never a reason to share.
    assert read_answer("purple", OFFERED, intent="affirm").reply is Reply.unclear
    assert read_answer("go on then", OFFERED, intent="affirm").reply is Reply.yes
    assert read_answer("nah", OFFERED, intent="deny").reply is Reply.no
    assert read_answer("anything", OFFERED, intent="more").reply is Reply.more


def test_not_everything_named_is_a_no_when_only_that_is_offered():
    assert read_answer("not my crisis plan", ("crisis_plan",)).reply is Reply.no


def test_the_longest_name_wins_so_after_a_crisis_is_not_the_crisis_plan():
    assert categories_named("share what helps after a crisis").included == ("post_crisis",)
    assert categories_named("my crisis alerts").included == ("crisis_alerts",)
    assert categories_named("my triggers and my crisis plan").included == ("triggers", "crisis_plan")
    assert categories_named("send my plan to my care coordinator").everything


def test_requests_to_share_and_to_stop():
    assert requested_categories("share my triggers with my coordinator") == ("triggers",)
    assert requested_categories("send my plan to my care coordinator") == SECTION_IDS
    assert requested_categories("share everything but my crisis plan") == tuple(
        s for s in SECTION_IDS if s != "crisis_plan"
    )
    available = ("triggers", "crisis_plan")
    assert withdrawal_categories("stop sharing my crisis plan", available) == ("crisis_plan",)
    assert withdrawal_categories("stop sharing everything", available) == available
    assert withdrawal_categories("stop sharing", available) == available
    assert withdrawal_categories("I don't want Sam to see my triggers", available) == ("triggers",)


@pytest.mark.parametrize(
    "text",
    [
        "I took my medication as usual",
        "I want to share my plan with my sister",
        "my triggers are loud places",
        "okay but I'm worried about it",
        "yes, my crisis plan mentions my sister",
        "hospital appointments",
    ],
)
def test_a_message_that_only_mentions_a_part_is_not_a_yes(text):
    assert read_answer(text, OFFERED).reply is Reply.unclear


def test_yes_with_filler_and_the_coordinators_name_is_still_a_yes():
    assert read_answer("yes please, Sam can see it", OFFERED, coordinator_name="Sam").reply is Reply.yes
    assert read_answer("yes please, Sam can see it", OFFERED).reply is Reply.unclear


def test_no_ordinary_message_from_the_evaluation_set_reads_as_a_yes():
    """500 everyday messages (tests/evaluation/ordinary_messages.yml): only bare yeses share."""
    import yaml

    from bot.settings import PROJECT_ROOT

    data = yaml.safe_load((PROJECT_ROOT / "tests" / "evaluation" / "ordinary_messages.yml").read_text("utf-8"))
    messages = [str(m) for group in data.values() if isinstance(group, list) for m in group]
    yeses = {m for m in messages if read_answer(m, OFFERED).reply in (Reply.yes, Reply.some)}
    assert yeses <= {"yes", "ok", "y", "ok \U0001f44c"}, yeses
