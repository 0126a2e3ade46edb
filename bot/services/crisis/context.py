"""What the last few messages of one conversation add to the risk of the newest one.

People in crisis often say it across several short texts: "I've got the pills ready", then
"tonight"; "i want to die", then "bye". Each alone can read as nothing. The rules, and the
word lists they use, are in content/crisis_context.yml (its top comment); in short:

1. the messages joined are read again, and risk that only the joining shows raises the newest;
2. after risk language in the window, a time that is now or something done ("tonight", "done
   it") is a crisis;
3. after risk language in the window, a goodbye keeps that risk (never a cheerful goodbye);
   possible-risk language the person has since said they are safe about is not carried;
4. in the middle of a form, a message that is exactly one of the words the form tells people
   to say ("done", "later", "skip") is that instruction, read alone (`steers_a_form`): asked to
   say "done", the person must not get the crisis reply for doing so, again and again.

The same lists say whether an answer to "Are you safe right now?" reassures, and whether a
goodbye should be the gentle one. No Rasa here; nothing is logged or stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.common.content_files import read_content
from bot.services.crisis.risk import RiskAssessment, RiskLevel
from bot.services.guided.controls import control_in
from bot.services.wrap.content import match_words
from bot.settings import PROJECT_ROOT

CONTEXT_PATH = PROJECT_ROOT / "content" / "crisis_context.yml"
LIST_NAMES = ("farewells", "immediacy", "reassuring", "retractions", "doubts", "low_mood")
RETRACTION_INTENT = "not_what_i_meant"
RISK_INTENTS = ("crisis", "possible_risk")
ORDER = {RiskLevel.NONE: 0, RiskLevel.POSSIBLE: 1, RiskLevel.CRISIS: 2}

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class ContextRules:
    window: int
    lists: dict[str, tuple[Phrase, ...]]
    low_mood_intents: frozenset[str]

    def has(self, list_name: str, text: str) -> bool:
        return _contains_any(match_words(text), self.lists[list_name])


def _contains_any(words: Sequence[str], phrases: Iterable[Phrase]) -> bool:
    return any(
        words[start : start + len(phrase)] == phrase
        for phrase in phrases
        for start in range(len(words) - len(phrase) + 1)
    )


def parse_context_rules(data: Any, source: str = str(CONTEXT_PATH)) -> ContextRules:
    """Check the file's shape; raises ValueError naming the file and the entry."""
    if not isinstance(data, dict):
        raise ValueError(f"{source}: must be a mapping of word lists")
    window = data.get("window")
    if not isinstance(window, int) or not 1 <= window <= 10:
        raise ValueError(f"{source}: window: must be a whole number from 1 to 10")
    lists: dict[str, tuple[Phrase, ...]] = {}
    for name in LIST_NAMES:
        entries = data.get(name)
        if not isinstance(entries, list) or not entries or not all(isinstance(e, str) and e.strip() for e in entries):
            raise ValueError(f"{source}: {name}: must be a non-empty list of words (quote yes/no/on/off)")
        lists[name] = tuple(phrase for phrase in (match_words(e) for e in entries) if phrase)
    intents = data.get("low_mood_intents") or []
    if not isinstance(intents, list) or not all(isinstance(i, str) for i in intents):
        raise ValueError(f"{source}: low_mood_intents: must be a list of intent names")
    return ContextRules(window, lists, frozenset(intents))


@lru_cache(maxsize=4)
def load_context_rules(path: Path = CONTEXT_PATH) -> ContextRules:
    return parse_context_rules(read_content(path), str(path))


# -- the window ---------------------------------------------------------------------------------


def recent_window(messages: Sequence[tuple[str, str]], rules: ContextRules | None = None) -> list[str]:
    """The texts that give the newest message its context: the last `window` of this
    conversation's earlier messages, (intent, text) oldest first, after the latest "that's not
    what I meant" (which takes back what came before it)."""
    rules = rules or load_context_rules()
    kept: list[str] = []
    for intent, text in messages:
        if intent == RETRACTION_INTENT or (text and rules.has("retractions", text)):
            kept = []
        elif text and text.strip():
            kept.append(text)
    return kept[-rules.window :]


def steers_a_form(text: str, form_active: bool) -> bool:
    """Whether this message is a form's own steering word ("done", "later") while a form asks:
    then it is read alone, not with the messages before it, and it is never a goodbye."""
    return form_active and control_in(text or "") is not None


# -- the risk in context --------------------------------------------------------------------------


def with_context(
    current: RiskAssessment,
    text: str,
    recent: Sequence[str],
    assess_one: Callable[[str], RiskAssessment],
    rules: ContextRules | None = None,
) -> RiskAssessment:
    """The newest message's risk, raised (never lowered) by the messages before it."""
    if not recent or current.level is RiskLevel.CRISIS or not text or not text.strip():
        return current
    rules = rules or load_context_rules()
    recent = list(recent)[-rules.window :]
    alone = [assess_one(earlier) for earlier in recent]
    raised = _joined(current, text, recent, alone, assess_one)
    earlier = _carried(recent, alone, rules)
    if earlier is not None:
        if rules.has("immediacy", text):
            raised = _higher(raised, replace(earlier, level=RiskLevel.CRISIS, kind="context"))
        elif rules.has("farewells", text):
            raised = _higher(raised, replace(earlier, kind="context"))
    return raised


def _joined(current, text, recent, alone, assess_one) -> RiskAssessment:
    """Risk found only when the last one, two... earlier messages are read with the newest."""
    best = current
    for start in range(len(recent) - 1, -1, -1):
        parts_level = max([ORDER[current.level]] + [ORDER[a.level] for a in alone[start:]])
        joined = assess_one(" ".join([*recent[start:], text]))
        if ORDER[joined.level] > parts_level:
            best = _higher(best, replace(joined, kind="context"))
    return best


def _carried(recent, alone, rules: ContextRules) -> RiskAssessment | None:
    """The strongest risk in the window that still stands: possible-risk language followed by
    a reassuring message ("yes", "i'm safe") is not carried; crisis language always is."""
    standing: RiskAssessment | None = None
    for index, assessment in enumerate(alone):
        if assessment.level is RiskLevel.NONE:
            continue
        later = recent[index + 1 :]
        if assessment.level is RiskLevel.POSSIBLE and any(reassures(t, rules) for t in later):
            continue
        if standing is None or ORDER[assessment.level] >= ORDER[standing.level]:
            standing = assessment
    return standing


def _higher(first: RiskAssessment, second: RiskAssessment) -> RiskAssessment:
    return second if ORDER[second.level] > ORDER[first.level] else first


# -- answers and goodbyes ---------------------------------------------------------------------------


def reassures(text: str, rules: ContextRules | None = None) -> bool:
    """Whether an answer to "Are you safe right now?" says yes without doubt ("yeah im ok",
    "i'm safe"; not "no", "not sure", "yes but..."), or takes the risk back ("that's not what I
    meant"). Risk language in the answer is the caller's to check first."""
    rules = rules or load_context_rules()
    words = match_words(text or "")
    if not words:
        return False
    if _contains_any(words, rules.lists["retractions"]):
        return True
    return _contains_any(words, rules.lists["reassuring"]) and not _contains_any(words, rules.lists["doubts"])


def wants_gentle_goodbye(messages: Sequence[tuple[str, str]], rules: ContextRules | None = None) -> bool:
    """Whether this conversation's earlier messages, (intent, text), showed low mood or risk
    language, so that a goodbye must be the gentle one (with the crisis contacts one word away)."""
    rules = rules or load_context_rules()
    return any(
        intent in RISK_INTENTS or intent in rules.low_mood_intents or (text and rules.has("low_mood", text))
        for intent, text in messages
    )
