"""Reading what a person says about sharing: which parts they name, and their answer to
"would you like to share this?".

The words are in content/consent.yml and matched on whole words. A wrong "yes" would share
someone's plan against their wishes, so a yes, or a choice of parts, is read strictly: the
message must start with a yes word (or name parts), and hold nothing but yes words, the parts
named and a few filler words ("yes, just my triggers please"). "I took my medication" names the
crisis plan but is not a choice to share it. The intent classifier is not trusted here (it
called "purple" agreement at 0.32). Anything else is asked again; a wrong "no" only means
nothing is shared.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from bot.services.consent.content import load_consent_content
from bot.services.guided.controls import Control, control_in
from bot.services.wrap.content import SECTION_IDS, match_words

MORE_INTENT = "more"
_MORE_WORDS = {("more",), ("next",), ("show", "more")}


class Reply(str, enum.Enum):
    yes = "yes"  # share every part offered
    some = "some"  # share only the parts in Answer.categories
    no = "no"
    not_now = "not_now"
    more = "more"  # the next page of what would be shared
    stop = "stop"
    not_offered = "not_offered"  # named parts that are not on offer (nothing saved in them)
    unclear = "unclear"


@dataclass(frozen=True)
class Answer:
    reply: Reply
    categories: tuple[str, ...] = ()  # what to share, for yes and some


@dataclass(frozen=True)
class Named:
    """The parts a message names: those it wants, those it leaves out ("not my crisis plan")."""

    included: tuple[str, ...]
    excluded: tuple[str, ...]
    everything: bool  # "everything", "my whole plan"

    @property
    def any(self) -> bool:
        return bool(self.included or self.excluded or self.everything)


def categories_named(text: str) -> Named:
    """Read the parts named, left to right; after "not", "except" ... a part is left out.

    At each word the longest phrase wins, so "after a crisis" names the after-a-crisis part,
    not the crisis plan, and "crisis alerts" is not the crisis plan either.
    """
    content = load_consent_content()
    phrases = [(keyword, category.id) for category in content.categories for keyword in category.keywords]
    phrases += [(words, "*everything") for words in content.words["everything_words"]]
    phrases += [(words, "*except") for words in content.words["except_words"]]
    phrases.sort(key=lambda phrase: len(phrase[0]), reverse=True)
    words = match_words(text or "")
    included: list[str] = []
    excluded: list[str] = []
    everything = leaving_out = False
    position = 0
    while position < len(words):
        for phrase, meaning in phrases:
            if words[position : position + len(phrase)] == phrase:
                if meaning == "*except":
                    leaving_out = True
                elif meaning == "*everything":
                    everything = everything or not leaving_out
                else:
                    target = excluded if leaving_out else included
                    if meaning not in target:
                        target.append(meaning)
                position += len(phrase)
                break
        else:
            position += 1
    return Named(tuple(included), tuple(excluded), everything)


def requested_categories(text: str, available: Sequence[str] = SECTION_IDS) -> tuple[str, ...]:
    """The parts a request to share means: those named, or everything (but any left out)."""
    named = categories_named(text)
    if named.included:
        return tuple(c for c in available if c in named.included)
    return tuple(c for c in available if c not in named.excluded)


def withdrawal_categories(text: str, available: Sequence[str]) -> tuple[str, ...]:
    """The parts a request to stop sharing means: every part named, or all of them.

    "I don't want Sam to see my triggers" names triggers after "don't": it is still what to stop.
    """
    named = categories_named(text)
    mentioned = set(named.included) | set(named.excluded)
    if mentioned and not named.everything:
        return tuple(c for c in available if c in mentioned)
    return tuple(available)


def read_answer(text: str, offered: Sequence[str], intent: str | None = None, coordinator_name: str = "") -> Answer:
    """The person's answer to "would you like to share (these parts)?". `intent` is used only
    to recognise "more"; the coordinator's name may appear in a yes ("yes, Sam can see it")."""
    content = load_consent_content()
    control = control_in(text)
    if control is Control.stop:
        return Answer(Reply.stop)
    words = match_words(text or "")
    if intent == MORE_INTENT or words in _MORE_WORDS:
        return Answer(Reply.more)
    if (text or "").strip().endswith("?") or _has_any(words, content.words["unsure_words"]):
        return Answer(Reply.unclear)  # before "skip", which includes "I don't know"
    if control in (Control.later, Control.skip):
        return Answer(Reply.not_now)
    named = categories_named(text)
    plain = _only_plain_words(text, coordinator_name)
    if named.any:
        return _named_answer(named, offered) if plain else Answer(Reply.unclear)
    if _has_any(words, content.words["not_now_words"]):
        return Answer(Reply.not_now)
    if _has_any(words, content.words["no_words"]):
        return Answer(Reply.no)
    if plain and any(words[: len(phrase)] == phrase for phrase in content.words["yes_words"]):
        return Answer(Reply.yes, tuple(offered))
    return Answer(Reply.unclear)


def _only_plain_words(text: str, coordinator_name: str) -> bool:
    """Whether the message holds nothing but yes words, parts of the plan and filler words."""
    content = load_consent_content()
    phrases = [keyword for category in content.categories for keyword in category.keywords]
    for name in ("everything_words", "except_words", "yes_words"):
        phrases += list(content.words[name])
    phrases.sort(key=len, reverse=True)
    allowed = {word for phrase in content.words["filler_words"] for word in phrase}
    allowed |= set(match_words(coordinator_name))
    words = match_words(text or "")
    position = 0
    while position < len(words):
        phrase = next((p for p in phrases if words[position : position + len(p)] == p), None)
        if phrase is not None:
            position += len(phrase)
        elif words[position] in allowed:
            position += 1
        else:
            return False
    return True


def _named_answer(named: Named, offered: Sequence[str]) -> Answer:
    if named.included:
        chosen = tuple(c for c in offered if c in named.included)
        if not chosen:
            return Answer(Reply.not_offered)
    else:
        chosen = tuple(c for c in offered if c not in named.excluded)
    if not chosen:
        return Answer(Reply.no)
    return Answer(Reply.yes if set(chosen) == set(offered) else Reply.some, chosen)


def _has_any(words: tuple[str, ...], phrases) -> bool:
    return any(
        words[start : start + len(phrase)] == phrase
        for phrase in phrases
        for start in range(len(words) - len(phrase) + 1)
    )
