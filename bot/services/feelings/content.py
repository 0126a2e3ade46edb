"""The wording of content/feelings.yml, checked when loaded (and before start-up).

A service rewords these by hand, so a mistake (a missing text, a text too long for one SMS,
a plan question or section that content/wrap.yml does not have, a topic named for carers that
does not exist) raises ValueError naming the file, the entry and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.common.content_files import read_content
from bot.common.sms_text import MAX_SMS_CHARS, checked_sms_text
from bot.services.wrap.content import load_wrap_content
from bot.settings import PROJECT_ROOT

FEELINGS_PATH = PROJECT_ROOT / "content" / "feelings.yml"
MAX_CHARS = MAX_SMS_CHARS
# Room for the person's own words in {item}: long items are shortened to this (see replies.py).
ITEM_ROOM = 60
OFFERS = ("exercise",)
REQUIRED_TEXTS = frozenset(
    {
        "crisis_hint",
        "carer_crisis_hint",
        "item_yes",
        "item_no",
        "section_no",
        "exercise_no",
        "exercise_done",
        "section_intro",
        "in_form_answer_hint",
        "note_hint",
    }
)
_TOPIC_FIELDS = frozenset(
    {
        "intents",
        "heard",
        "in_form",
        "plan_questions",
        "with_plan",
        "start_section",
        "without_plan",
        "offer",
        "next_step",
        "next_step_named",
        "for_carers",
        "source",
        "always_offer_section",
    }
)


@dataclass(frozen=True)
class Topic:
    id: str
    intents: tuple[str, ...]
    heard: str
    in_form: str
    plan_questions: tuple[str, ...] = ()
    with_plan: str = ""
    start_section: str = ""
    without_plan: str = ""
    offer: str = ""
    next_step: str = ""
    next_step_named: str = ""  # with {coordinator}
    for_carers: str = ""
    source: str = ""
    always_offer_section: bool = False


@dataclass(frozen=True)
class FeelingsContent:
    texts: dict[str, str]
    topics: dict[str, Topic]
    exercise_steps: tuple[str, ...]
    exercise_source: str

    def text(self, text_id: str, **values: Any) -> str:
        return self.texts[text_id].format(**{k: str(v) for k, v in values.items()})

    def topic_for_intent(self, intent: str | None) -> Topic | None:
        for topic in self.topics.values():
            if intent and intent in topic.intents:
                return topic
        return None

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(intent for topic in self.topics.values() for intent in topic.intents)


@lru_cache(maxsize=2)
def load_feelings_content(path: Path = FEELINGS_PATH) -> FeelingsContent:
    return _parse(read_content(path), path)


def _parse(data: Any, path: Path) -> FeelingsContent:
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected texts, exercise and topics")
    texts = {
        str(key): checked_sms_text(path, f"texts.{key}", value, ITEM_ROOM)
        for key, value in (data.get("texts") or {}).items()
    }
    missing = REQUIRED_TEXTS - set(texts)
    if missing:
        raise ValueError(f"{path}: texts.{sorted(missing)[0]}: is missing")
    exercise = data.get("exercise") or {}
    steps = tuple(
        checked_sms_text(path, f"exercise.steps[{i}]", step, ITEM_ROOM)
        for i, step in enumerate(exercise.get("steps") or [])
    )
    if not steps or not str(exercise.get("source") or "").strip():
        raise ValueError(f"{path}: exercise: needs steps and a source")
    topics = {str(key): _topic(path, str(key), raw) for key, raw in (data.get("topics") or {}).items()}
    _check_links(path, topics)
    return FeelingsContent(texts, topics, steps, str(exercise["source"]))


def _topic(path: Path, topic_id: str, raw: Any) -> Topic:
    entry = f"topics.{topic_id}"
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: {entry}: must be a mapping")
    unknown = set(raw) - _TOPIC_FIELDS
    if unknown:
        raise ValueError(f"{path}: {entry}.{sorted(unknown)[0]}: unknown field")
    optional = {
        name: checked_sms_text(path, f"{entry}.{name}", raw[name], ITEM_ROOM)
        for name in ("with_plan", "without_plan", "next_step", "next_step_named")
        if raw.get(name)
    }
    topic = Topic(
        id=topic_id,
        intents=tuple(str(i) for i in raw.get("intents") or []),
        heard=checked_sms_text(path, f"{entry}.heard", raw.get("heard"), ITEM_ROOM),
        in_form=checked_sms_text(path, f"{entry}.in_form", raw.get("in_form"), ITEM_ROOM),
        plan_questions=tuple(str(q) for q in raw.get("plan_questions") or []),
        start_section=str(raw.get("start_section") or ""),
        offer=str(raw.get("offer") or ""),
        for_carers=str(raw.get("for_carers") or ""),
        source=str(raw.get("source") or ""),
        always_offer_section=bool(raw.get("always_offer_section")),
        **optional,
    )
    if topic.offer and topic.offer not in OFFERS:
        raise ValueError(f"{path}: {entry}.offer: must be one of {', '.join(OFFERS)}")
    if topic.plan_questions and not topic.with_plan:
        raise ValueError(f"{path}: {entry}.with_plan: needed with plan_questions")
    if (topic.start_section or topic.offer) and not topic.without_plan:
        raise ValueError(f"{path}: {entry}.without_plan: needed with start_section or offer")
    if not (topic.with_plan or topic.without_plan or topic.next_step):
        raise ValueError(f"{path}: {entry}: needs a next step (next_step, with_plan or without_plan)")
    if (
        re.search(r"https?://|www\.|\.uk|\.org", " ".join((topic.heard, topic.next_step, topic.without_plan)))
        and not topic.source
    ):
        raise ValueError(f"{path}: {entry}.source: a topic that names a service needs its source")
    return topic


def _check_links(path: Path, topics: dict[str, Topic]) -> None:
    wrap = load_wrap_content()
    questions = {question.id for question in wrap.questions}
    sections = {section.id for section in wrap.sections}
    seen: set[str] = set()
    for topic in topics.values():
        for question_id in topic.plan_questions:
            if question_id not in questions:
                raise ValueError(f"{path}: topics.{topic.id}.plan_questions: {question_id} is not in content/wrap.yml")
        if topic.start_section and topic.start_section not in sections:
            raise ValueError(
                f"{path}: topics.{topic.id}.start_section: {topic.start_section} is not in content/wrap.yml"
            )
        if topic.for_carers and topic.for_carers not in topics:
            raise ValueError(f"{path}: topics.{topic.id}.for_carers: no topic {topic.for_carers}")
        for intent in topic.intents:
            if intent in seen:
                raise ValueError(f"{path}: topics.{topic.id}.intents: {intent} is in two topics")
            seen.add(intent)
