"""The wellness and recovery plan (WRAP) sections and questions, read from content/wrap.yml.

The forms ask these questions one at a time; the words live in content/ so a service can reword
them without touching code. Loading checks everything a careless edit could break (the ids the
forms rely on, kinds, SMS length, characters plain SMS cannot carry) and stops with a ValueError
that names the file, the entry and the problem, instead of a confusing reply to a person later.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.common.content_files import parse_content
from bot.common.sms_text import gsm7_length, gsm7_problem
from bot.language.normalise import matching_form
from bot.settings import PROJECT_ROOT

WRAP_CONTENT_PATH = PROJECT_ROOT / "content" / "wrap.yml"

# The forms, slots and saved answers rely on these ids and this order.
SECTION_IDS = (
    "wellness_toolbox",
    "daily_maintenance",
    "triggers",
    "early_warning_signs",
    "breaking_down",
    "crisis_plan",
    "post_crisis",
)
QUESTION_KINDS = ("list", "text")
# What one item of a list answer is; stored beside the item, so this set is closed.
ITEM_KINDS = frozenset(
    {
        "tool",
        "well_trait",
        "must_do",
        "might_do",
        "reminder",
        "trigger",
        "early_warning_sign",
        "breaking_down_sign",
        "takeover_sign",
        "supporter",
        "not_involved",
        "contact",
        "medicine_current",
        "allergy",
        "medicine_preferred",
        "medicine_accepted",
        "medicine_refused",
        "treatment_accepted",
        "treatment_refused",
        "care_preference",
        "hospital_preferred",
        "hospital_avoided",
        "help_wanted",
        "help_not_wanted",
        "practical_need",
        "stop_sign",
        "recovery_help",
        "recovery_support",
        "recovery_avoid",
    }
)
CRISIS_PLAN_PARTS = range(1, 10)

# Shared texts the forms use, with the placeholders each one must contain.
REQUIRED_TEXTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "intro": frozenset(),
        "intro_how": frozenset(),
        "controls_reminder": frozenset(),
        "list_how": frozenset(),
        "list_more": frozenset(),
        "saved_list": frozenset({"items"}),
        "saved_text": frozenset({"answer"}),
        "saved_nothing": frozenset(),
        "skipped": frozenset(),
        "later": frozenset(),
        "stopped": frozenset(),
        "resume": frozenset({"section"}),
        "same_as_check": frozenset({"items"}),
        "saved_so_far_list": frozenset({"items"}),
        "saved_so_far_text": frozenset({"items"}),
        "section_done": frozenset({"section"}),
        "next_section_offer": frozenset({"section"}),
        "plan_done": frozenset(),
        "progress": frozenset({"started", "total"}),
        "undone": frozenset({"items"}),
        "nothing_to_undo": frozenset(),
        "already_saved": frozenset(),
        "cannot_use": frozenset(),
        "cannot_use_offer_skip": frozenset(),
        "nothing_saved_yet": frozenset(),
        "more_pages": frozenset({"page", "pages"}),
        "no_more_pages": frozenset(),
        "export_ready": frozenset({"url", "minutes"}),
        "export_link_expired": frozenset(),
        "export_title": frozenset(),
        "export_made_on": frozenset({"date"}),
        "not_filled_in": frozenset(),
        "not_a_legal_document": frozenset(),
        "confirm_remove": frozenset({"item", "section"}),
        "confirm_change": frozenset({"item", "new"}),
        "removed": frozenset({"item"}),
        "changed": frozenset({"item", "new"}),
        "edit_not_found": frozenset(),
        "edit_cancelled": frozenset(),
    }
)
PLACEHOLDERS = frozenset(
    {"items", "answer", "section", "date", "started", "total", "page", "pages", "url", "minutes", "item", "new"}
)

MAX_PROMPT_CHARS = 300  # a prompt must fit one SMS reply with room for its example
MAX_MESSAGE_CHARS = 320  # DESIGN.md: no SMS message over about 320 characters
MAX_TITLE_CHARS = 40
MAX_LABEL_CHARS = 60  # a label is a heading in the plan read back by SMS

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MATCH_WORD = re.compile(r"[^\W_]+")
_QUESTION_FIELDS = frozenset({"id", "label", "prompt", "example", "kind", "item_kind", "part", "basis", "same_as"})
_SECTION_FIELDS = frozenset({"id", "title", "keywords", "explanation", "questions"})
_TOP_FIELDS = frozenset({"source", "version", "texts", "sections"})


@dataclass(frozen=True)
class Question:
    """One question a form asks; `kind` says whether the answer is a list or one text."""

    id: str
    section_id: str
    prompt: str
    example: str
    kind: str
    item_kind: str | None = None
    part: int | None = None
    basis: str | None = None
    same_as: str | None = None
    label: str = ""  # a short heading for the answers in the person's plan ("My triggers")

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def message(self) -> str:
        """The prompt with its example, as one SMS-sized message."""
        return f"{self.prompt}\n{self.example}"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    explanation: str
    questions: tuple[Question, ...]
    # Words a person might use to name the section; see match_words for how they compare.
    keywords: tuple[str, ...] = ()

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questions)


@dataclass(frozen=True)
class WrapContent:
    source: str
    version: int | str
    sections: tuple[Section, ...]
    texts: Mapping[str, str]

    @cached_property
    def _sections_by_id(self) -> dict[str, Section]:
        return {section.id: section for section in self.sections}

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in the order a person meets them."""
        return tuple(question for section in self.sections for question in section.questions)

    def section(self, section_id: str) -> Section:
        try:
            return self._sections_by_id[section_id]
        except KeyError:
            raise KeyError(f"no WRAP section with id {section_id!r}") from None

    def next_section_after(self, section_id: str) -> Section | None:
        """The section that follows, or None after the last one."""
        index = self.sections.index(self.section(section_id))
        return self.sections[index + 1] if index + 1 < len(self.sections) else None

    def question(self, question_id: str) -> Question:
        try:
            return self._questions_by_id[question_id]
        except KeyError:
            raise KeyError(f"no WRAP question with id {question_id!r}") from None

    def section_for_question(self, question_id: str) -> Section:
        return self.section(self.question(question_id).section_id)

    def next_question_after(self, question_id: str) -> Question | None:
        """The next question in the same section, or None at the end of the section."""
        questions = self.section_for_question(question_id).questions
        index = questions.index(self.question(question_id))
        return questions[index + 1] if index + 1 < len(questions) else None

    def text(self, text_id: str, **values: str) -> str:
        """A shared text with its placeholders filled in (KeyError if one is not given)."""
        return self.texts[text_id].format(**values)


def match_words(text: str) -> tuple[str, ...]:
    """The words of the shared matching form (bot/language/normalise.py: "trigers" ->
    "triggers", "u" -> "you") with apostrophes dropped ("I'm" -> "im"), for matching keywords.

    Keywords are checked with this at load time and text is matched with it, so the two agree.
    """
    folded = matching_form(text).casefold().replace("'", "").replace("\u2019", "")
    return tuple(_MATCH_WORD.findall(folded))


def is_known_question(question_id: str) -> bool:
    """Whether the current content still asks this question (a service may have removed it)."""
    try:
        load_wrap_content().question(question_id)
    except KeyError:
        return False
    return True


def load_wrap_content(path: Path | str | None = None) -> WrapContent:
    """Read and check the WRAP content, once per file. Raises ValueError naming the problem."""
    return _load_cached(Path(path).resolve() if path is not None else WRAP_CONTENT_PATH)


def clear_wrap_content_cache() -> None:
    """Forget loaded files, so an edited file is read again (tests, content previews)."""
    _load_cached.cache_clear()


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> WrapContent:
    return _Parser(path).parse(path.read_text(encoding="utf-8"))


def section(section_id: str) -> Section:
    return load_wrap_content().section(section_id)


def next_section_after(section_id: str) -> Section | None:
    return load_wrap_content().next_section_after(section_id)


def question(question_id: str) -> Question:
    return load_wrap_content().question(question_id)


def section_for_question(question_id: str) -> Section:
    return load_wrap_content().section_for_question(question_id)


def next_question_after(question_id: str) -> Question | None:
    return load_wrap_content().next_question_after(question_id)


class _Parser:
    """Turns the YAML into dataclasses, checking each entry and naming it when it is wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def problem(self, entry: str, problem: str) -> ValueError:
        return ValueError(f"{self.path}: {entry}: {problem}")

    def parse(self, raw: str) -> WrapContent:
        data = parse_content(raw, self.path)
        if not isinstance(data, dict):
            raise self.problem("file", "must be a mapping with source, version, texts and sections")
        self.no_unknown_fields("file", data, _TOP_FIELDS)
        source = self.required_text("source", data.get("source"), check_gsm7=False)
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, (int, str)) or version == "":
            raise self.problem("version", "is missing; give a number or short text")
        texts = self.texts(data.get("texts"))
        sections = self.sections(data.get("sections"))
        return WrapContent(source, version, sections, texts)

    # -- shared texts -------------------------------------------------------------------------

    def texts(self, raw: Any) -> Mapping[str, str]:
        if not isinstance(raw, dict):
            raise self.problem("texts", "must be a mapping of text id to text")
        texts = {}
        for text_id, value in raw.items():
            entry = f"texts.{text_id}"
            text = self.required_text(entry, value)
            self.fits_sms(entry, text)
            used = self.placeholders(entry, text)
            missing = REQUIRED_TEXTS.get(text_id, frozenset()) - used
            if missing:
                raise self.problem(entry, f"must contain {{{sorted(missing)[0]}}}")
            texts[str(text_id)] = text
        for text_id in REQUIRED_TEXTS:
            if text_id not in texts:
                raise self.problem(f"texts.{text_id}", "is missing")
        return MappingProxyType(texts)

    def placeholders(self, entry: str, text: str) -> frozenset[str]:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as error:
            raise self.problem(entry, f"has a broken {{placeholder}} ({error})") from None
        unknown = names - PLACEHOLDERS
        if unknown:
            raise self.problem(
                entry,
                f"has unknown placeholder {{{sorted(unknown)[0]}}}; known: {', '.join(sorted(PLACEHOLDERS))}",
            )
        return frozenset(names)

    # -- sections -----------------------------------------------------------------------------

    def sections(self, raw: Any) -> tuple[Section, ...]:
        if not isinstance(raw, list) or not raw:
            raise self.problem("sections", "must be a list of sections")
        sections: list[Section] = []
        questions_so_far: dict[str, Question] = {}
        for index, entry in enumerate(raw):
            name = f"sections[{index}]"
            if not isinstance(entry, dict):
                raise self.problem(name, "must be a mapping")
            section_id = self.identifier(name, entry.get("id"))
            if section_id in {section.id for section in sections}:
                raise self.problem(section_id, "duplicate section id")
            if section_id not in SECTION_IDS:
                raise self.problem(section_id, f"unknown section id; expected one of {', '.join(SECTION_IDS)}")
            sections.append(self.section(section_id, entry, questions_so_far))
        found = tuple(section.id for section in sections)
        for section_id in SECTION_IDS:
            if section_id not in found:
                raise self.problem(section_id, "section is missing")
        if found != SECTION_IDS:
            raise self.problem("sections", f"must be in this order: {', '.join(SECTION_IDS)}")
        self.check_keywords_are_unambiguous(sections)
        return tuple(sections)

    def check_keywords_are_unambiguous(self, sections: list[Section]) -> None:
        """A keyword in two sections could send a person to the wrong one."""
        owners: dict[tuple[str, ...], str] = {}
        for section in sections:
            for keyword in section.keywords:
                words = match_words(keyword)
                owner = owners.setdefault(words, section.id)
                if owner != section.id:
                    raise self.problem(
                        f"{section.id}.keywords",
                        f"keyword {keyword!r} is already used by section {owner!r}",
                    )

    def section(self, section_id: str, entry: dict, questions_so_far: dict) -> Section:
        self.no_unknown_fields(section_id, entry, _SECTION_FIELDS)
        title = self.required_text(f"{section_id}.title", entry.get("title"), max_chars=MAX_TITLE_CHARS)
        keywords = self.keywords(f"{section_id}.keywords", entry.get("keywords"))
        explanation = self.required_text(f"{section_id}.explanation", entry.get("explanation"))
        self.fits_sms(f"{section_id}.explanation", explanation)
        raw_questions = entry.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            raise self.problem(section_id, "needs a list of questions")
        questions = []
        for index, raw_question in enumerate(raw_questions):
            question = self.question(section_id, index, raw_question, questions_so_far)
            questions_so_far[question.id] = question
            questions.append(question)
        if section_id == "crisis_plan":
            self.check_crisis_parts(questions)
        return Section(section_id, title, explanation, tuple(questions), keywords)

    def keywords(self, entry: str, raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list) or not raw:
            raise self.problem(entry, "needs a list of keywords")
        keywords = []
        for value in raw:
            if not isinstance(value, str) or not match_words(value):
                raise self.problem(entry, f"keyword {value!r} has no words")
            keywords.append(" ".join(value.split()))
        return tuple(keywords)

    def check_crisis_parts(self, questions: list[Question]) -> None:
        """All nine parts of the crisis plan, in order; anything else says why it is there."""
        last_part = 0
        for question in questions:
            if question.part is None:
                if question.basis is None:
                    raise self.problem(f"crisis_plan.{question.id}", "needs a 'part' (1 to 9) or a 'basis'")
                continue
            if question.part < last_part:
                raise self.problem(
                    f"crisis_plan.{question.id}",
                    f"part {question.part} comes after part {last_part}; keep parts in order",
                )
            last_part = question.part
        present = {question.part for question in questions}
        for part in CRISIS_PLAN_PARTS:
            if part not in present:
                raise self.problem("crisis_plan", f"has no question for part {part}")

    # -- questions ----------------------------------------------------------------------------

    def question(self, section_id: str, index: int, raw: Any, questions_so_far: dict[str, Question]) -> Question:
        if not isinstance(raw, dict):
            raise self.problem(f"{section_id}.questions[{index}]", "must be a mapping")
        question_id = self.identifier(f"{section_id}.questions[{index}]", raw.get("id"))
        entry = f"{section_id}.{question_id}"
        if question_id in questions_so_far:
            raise self.problem(entry, "duplicate question id")
        self.no_unknown_fields(entry, raw, _QUESTION_FIELDS)

        label = self.required_text(f"{entry}.label", raw.get("label"), max_chars=MAX_LABEL_CHARS)
        prompt = self.required_text(f"{entry}.prompt", raw.get("prompt"), max_chars=MAX_PROMPT_CHARS)
        example = self.required_text(f"{entry}.example", raw.get("example"))

        kind = raw.get("kind")
        if kind not in QUESTION_KINDS:
            raise self.problem(f"{entry}.kind", f"unknown kind {kind!r}; expected 'list' or 'text'")
        item_kind = raw.get("item_kind")
        if kind == "list" and item_kind not in ITEM_KINDS:
            raise self.problem(
                f"{entry}.item_kind",
                f"unknown item kind {item_kind!r}; expected one of {', '.join(sorted(ITEM_KINDS))}",
            )
        if kind == "text" and item_kind is not None:
            raise self.problem(f"{entry}.item_kind", "only list questions have an item kind")

        part = raw.get("part")
        if part is not None:
            if section_id != "crisis_plan":
                raise self.problem(f"{entry}.part", "only crisis plan questions have a part")
            if isinstance(part, bool) or part not in CRISIS_PLAN_PARTS:
                raise self.problem(f"{entry}.part", f"must be a number from 1 to 9, not {part!r}")
        basis = raw.get("basis")
        if basis is not None:
            basis = self.required_text(f"{entry}.basis", basis, check_gsm7=False)

        same_as = raw.get("same_as")
        if same_as is not None:
            earlier = questions_so_far.get(same_as)
            if earlier is None:
                raise self.problem(f"{entry}.same_as", f"must name an earlier question, not {same_as!r}")
            if earlier.kind != kind:
                raise self.problem(f"{entry}.same_as", f"{same_as!r} is not a {kind} question")

        question = Question(question_id, section_id, prompt, example, kind, item_kind, part, basis, same_as, label)
        self.fits_sms(f"{entry}.example", question.message, what="prompt and example together")
        return question

    # -- small checks -------------------------------------------------------------------------

    def identifier(self, entry: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.problem(entry, "needs an 'id'")
        if not _ID.match(value):
            raise self.problem(entry, f"id {value!r} must be snake_case (a-z, 0-9 and _)")
        return value

    def no_unknown_fields(self, entry: str, raw: dict, allowed: frozenset[str]) -> None:
        unknown = sorted(str(key) for key in raw if key not in allowed)
        if unknown:
            raise self.problem(entry, f"unknown field {unknown[0]!r}; expected {', '.join(sorted(allowed))}")

    def required_text(self, entry: str, value: Any, *, check_gsm7: bool = True, max_chars: int | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.problem(entry, "is missing or empty")
        text = value.strip()
        problem = gsm7_problem(text) if check_gsm7 else None
        if problem:
            raise self.problem(entry, problem)
        if max_chars is not None and len(text) > max_chars:
            raise self.problem(entry, f"is {len(text)} characters; the limit is {max_chars}")
        return text

    def fits_sms(self, entry: str, text: str, *, what: str = "text") -> None:
        length = gsm7_length(text)
        if length > MAX_MESSAGE_CHARS:
            raise self.problem(entry, f"{what} is {length} characters; the limit is {MAX_MESSAGE_CHARS} (SMS)")
