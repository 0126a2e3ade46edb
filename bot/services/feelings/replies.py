"""What Alongside says back when someone tells it how they feel.

Said back first (what was heard), then one thing that is the person's own: an item from their
plan ("In your plan you wrote 'walking the dog'... Would that help now?"), or, with none saved,
the part of the plan that fits, or the NHS breathing exercise; otherwise one next step (a
service, with its source in content/feelings.yml). Crisis contacts are always one word away.
A carer gets the carer's version of the topic. Plain data in, plain data out: the action reads
the plan and the role, this decides the words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.common.sms_text import gsm7_length
from bot.services.feelings.content import ITEM_ROOM, MAX_CHARS, FeelingsContent, Topic, load_feelings_content

# What a "yes" to the reply's question does (the feelings_offer slot, bot/domain/feelings.yml).
USE_ITEM, START_SECTION, EXERCISE = "use_item", "start_section", "exercise"


@dataclass(frozen=True)
class FeelingReply:
    topic_id: str
    messages: tuple[str, ...]
    offer: str | None = None  # USE_ITEM, START_SECTION, EXERCISE, or None: nothing to say yes to
    section: str | None = None  # the plan section a "yes" starts (START_SECTION)


def answered_topic(topic: Topic, carer: bool, content: FeelingsContent | None = None) -> Topic:
    """The topic as this person hears it: a carer gets the carer's version, when there is one."""
    content = content or load_feelings_content()
    return content.topics[topic.for_carers] if carer and topic.for_carers else topic


def reply_for(
    topic: Topic,
    *,
    carer: bool = False,
    plan_items: Mapping[str, Sequence[str]] | None = None,
    coordinator: str | None = None,
    content: FeelingsContent | None = None,
) -> FeelingReply:
    """The whole reply: heard, then the one offer or next step (naming their care coordinator
    when known), then the crisis hint."""
    content = content or load_feelings_content()
    topic = answered_topic(topic, carer, content)
    item = first_item(topic, plan_items or {})
    texts = [topic.heard]
    offer: str | None = None
    section: str | None = None
    if topic.always_offer_section:
        texts.append(topic.with_plan if item else topic.without_plan)
        offer, section = START_SECTION, topic.start_section
    elif topic.offer == EXERCISE:
        if item:
            texts.append(topic.with_plan.format(item=shortened(item)))
        texts.append(topic.without_plan)
        offer = EXERCISE
    elif item:
        texts.append(topic.with_plan.format(item=shortened(item)))
        offer = USE_ITEM
    elif topic.start_section:
        texts.append(topic.without_plan)
        offer, section = START_SECTION, topic.start_section
    elif coordinator and topic.next_step_named:
        texts.append(topic.next_step_named.format(coordinator=coordinator))
    else:
        texts.append(topic.next_step)
    texts.append(content.text("carer_crisis_hint" if carer else "crisis_hint"))
    return FeelingReply(topic.id, packed(texts), offer, section)


def in_form_reply(topic: Topic, *, carer: bool = False, content: FeelingsContent | None = None) -> tuple[str, ...]:
    """Said when a feeling comes up in the middle of a question; the question is then asked again."""
    content = content or load_feelings_content()
    topic = answered_topic(topic, carer, content)
    hint = content.text("carer_crisis_hint" if carer else "crisis_hint")
    return packed([topic.in_form, content.text("in_form_answer_hint"), hint])


def exercise_messages(content: FeelingsContent | None = None) -> tuple[str, ...]:
    content = content or load_feelings_content()
    return (*content.exercise_steps, content.text("exercise_done"))


def first_item(topic: Topic, plan_items: Mapping[str, Sequence[str]]) -> str | None:
    """The first thing the person saved for the topic's plan questions, in the topic's order."""
    for question_id in topic.plan_questions:
        for item in plan_items.get(question_id) or ():
            if item.strip():
                return item.strip()
    return None


def shortened(item: str, room: int = ITEM_ROOM) -> str:
    """The person's words, cut at a word (with "...") when they would not fit one text."""
    item = " ".join(item.split())
    if len(item) <= room:
        return item
    cut = item[: room - 3].rsplit(" ", 1)[0] or item[: room - 3]
    return cut + "..."


def packed(texts: Sequence[str], limit: int = MAX_CHARS) -> tuple[str, ...]:
    """The texts as few messages as fit in one SMS each (each text stays whole)."""
    messages: list[str] = []
    for text in texts:
        if messages and gsm7_length(f"{messages[-1]} {text}") <= limit:
            messages[-1] = f"{messages[-1]} {text}"
        else:
            messages.append(text)
    return tuple(messages)
