"""Inside a question (a WRAP question, a goal...), is a message about how the person feels
now, or their answer?

"i had a panic attack earlier" or "I feel awful" typed at the triggers question is the person
telling us how they are: it is acknowledged and never saved as a trigger (issue 22.2). But
"panic attacks", "not sleeping" or "I get angry" are exactly what an early warning sign or a
trigger looks like, and must still be saved. The classifier cannot tell these apart (the
words are the same), so this rule decides, for messages the classifier already took for a
feeling: the person speaks of themselves now or of something that just happened ("I feel",
"I'm so", "I had a", "today", "earlier", "again"), and the message does not describe when
something happens ("when I feel low", "if I can't sleep", "being alone"). Anything else is
an answer, saved as before.
"""

from __future__ import annotations

from bot.services.wrap.content import match_words

# Phrases (in match_words form: lower case, no apostrophes) of someone speaking of themselves now.
SPEAKING_NOW = (
    ("i", "feel"),
    ("i", "felt"),
    ("im", "feeling"),
    ("i", "am", "feeling"),
    ("ive", "been"),
    ("i", "have", "been"),
    ("i", "had", "a"),
    ("i", "just", "had"),
    ("ive", "had"),
    ("i", "have", "had"),
    ("im", "so"),
    ("i", "am", "so"),
    ("im", "really"),
    ("i", "am", "really"),
    ("im", "struggling"),
    ("i", "am", "struggling"),
    ("im", "not", "ok"),
    ("im", "not", "okay"),
    ("i", "cant", "stop"),
    ("i", "cant", "cope"),
    ("im", "scared"),
    ("im", "worried"),
    ("i", "keep"),
    ("feeling", "really"),
    ("feel", "awful"),
    ("feel", "terrible"),
    ("feel", "rubbish"),
    ("feel", "like", "crap"),
)
# Words that place it now, or just now.
NOW_WORDS = frozenset(
    [
        "today",
        "tonight",
        "now",
        "earlier",
        "morning",
        "afternoon",
        "evening",
        "yesterday",
        "again",
        "lately",
        "recently",
        "atm",
        "rn",
        "moment",
        "week",
    ]
)
FIRST_PERSON = frozenset({"i", "im", "ive", "id", "me", "my"})
# A message that starts with one of these describes when, not now ("when I feel low").
DESCRIBING = frozenset({"when", "whenever", "if", "being", "before", "after", "during", "getting", "feeling", "not"})


def said_as_a_feeling(text: str) -> bool:
    """Whether a message the classifier took for a feeling is about the person now, not an answer."""
    words = match_words(text or "")
    if not words or words[0] in DESCRIBING:
        return False
    if any(_contains(words, phrase) for phrase in SPEAKING_NOW):
        return True
    return bool(FIRST_PERSON.intersection(words)) and bool(NOW_WORDS.intersection(words))


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))
