"""How list answers are read: realistic replies, and properties that must hold for any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.services.guided.list_answers import MAX_ITEM_CHARS, is_done, join_for_reading, split_items

SEPARATOR_WORDS = {"and", "or", "nor"}


def words_kept(text: str) -> set[str]:
    """The words splitting must keep: all but and/or/nor and bare numbers (list markers)."""
    return {word for word in re.findall(r"\w+", text.casefold()) if word not in SEPARATOR_WORDS and not word.isdigit()}


# -- realistic answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # commas, semicolons, a closing "and" / "or", an Oxford comma
        ("crowds, arguments and payday", ["crowds", "arguments", "payday"]),
        ("crowds; arguments; payday", ["crowds", "arguments", "payday"]),
        ("crowds, arguments, and payday", ["crowds", "arguments", "payday"]),
        ("a walk, a bath or ringing my sister", ["a walk", "a bath", "ringing my sister"]),
        ("crowds,arguments,payday", ["crowds", "arguments", "payday"]),
        # lines, bullets and numbers
        ("1. walks\n2. music", ["walks", "music"]),
        ("1) walks\n2) music\n3) a bath", ["walks", "music", "a bath"]),
        ("- walks\n- music", ["walks", "music"]),
        ("* walks\n* music", ["walks", "music"]),
        ("-walks\n-music", ["walks", "music"]),
        ("• walks • music", ["walks", "music"]),
        ("1. walks 2. music 3. baths", ["walks", "music", "baths"]),
        ("walks\r\nmusic\r\n", ["walks", "music"]),
        ("walks\n\n\nmusic", ["walks", "music"]),
        # "and" without commas: split short or even parts, keep a shared verb together
        ("walking the dog and ringing my sister", ["walking the dog", "ringing my sister"]),
        ("walks and music", ["walks", "music"]),
        ("crowds & noise", ["crowds", "noise"]),
        ("tea or coffee", ["tea", "coffee"]),
        ("a walk and a bath", ["a walk", "a bath"]),
        ("hearing voices and not sleeping", ["hearing voices", "not sleeping"]),
        ("no sleep and no food", ["no sleep", "no food"]),
        ("talking to Mum and Dad", ["talking to Mum and Dad"]),
        ("listening to music and podcasts", ["listening to music and podcasts"]),
        ("a cup of tea or coffee", ["a cup of tea or coffee"]),
        ("I go for a walk and then I feel better", ["I go for a walk and then I feel better"]),
        # fixed pairs and numbers stay whole
        ("peace and quiet", ["peace and quiet"]),
        ("some peace and quiet, a bath", ["some peace and quiet", "a bath"]),
        ("pins and needles", ["pins and needles"]),
        ("2 or 3 days off", ["2 or 3 days off"]),
        ("sleeping one or two hours", ["sleeping one or two hours"]),
        ("1,000 steps, yoga", ["1,000 steps", "yoga"]),
        # a negation reaches past "or", so those never split
        ("not eating or sleeping", ["not eating or sleeping"]),
        ("can't sleep or eat", ["can't sleep or eat"]),
        ("not eating, sleeping or washing", ["not eating, sleeping or washing"]),
        ("crowds, not sleeping or eating", ["crowds", "not sleeping or eating"]),
        ("no sleep, crowds and payday", ["no sleep", "crowds", "payday"]),
        # a clause that carries on the one before is part of the same item
        (
            "the injection, because it made me shake",
            ["the injection, because it made me shake"],
        ),
        ("crowds, especially on payday", ["crowds, especially on payday"]),
        (
            "When I stop sleeping, I know something is wrong",
            ["When I stop sleeping, I know something is wrong"],
        ),
        ("walks, e.g. by the river, music", ["walks, e.g. by the river", "music"]),
        # tidying: spaces, full stops, duplicates; the person's own capitals are kept
        ("  walks.  ", ["walks"]),
        ("Walks, Music.", ["Walks", "Music"]),
        ("walks, Walks, WALKS", ["walks"]),
        ("ringing   my sister", ["ringing my sister"]),
        ("walks...", ["walks"]),
        ("My sister Sam, my GP", ["My sister Sam", "my GP"]),
        # examples from content/wrap.yml
        ("my sister Sam, my friend Jo, my care coordinator", ["my sister Sam", "my friend Jo", "my care coordinator"]),
        (
            "Sam picks up the children, Jo feeds the cat, pay the rent",
            ["Sam picks up the children", "Jo feeds the cat", "pay the rent"],
        ),
        # nothing there
        ("", []),
        ("   \n  ", []),
        ("...", []),
        ("-", []),
        (", ,", []),
    ],
)
def test_realistic_answers(text: str, expected: list[str]) -> None:
    assert split_items(text) == expected


def test_long_item_is_cut_at_word_breaks_without_losing_words() -> None:
    text = " ".join(["going for a long walk by the river"] * 20)
    items = split_items(text)
    assert len(items) > 1
    assert all(len(item) <= MAX_ITEM_CHARS for item in items)
    assert " ".join(items) == text


def test_long_item_prefers_sentence_breaks() -> None:
    first = "I like to walk by the river when it is quiet " * 3
    second = "Then I make a cup of tea and sit in the garden for a while " * 2
    items = split_items(f"{first.strip()}. {second.strip()}")
    assert items[0] == first.strip()


def test_a_single_huge_word_is_kept_whole() -> None:
    word = "x" * (MAX_ITEM_CHARS + 50)
    assert split_items(word) == [word]


# -- properties ----------------------------------------------------------------------------

# Text that looks like the answers people send: words, list separators and odd characters.
answer_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "walks",
                "not",
                "no",
                "sleeping",
                "crowds",
                "and",
                "or",
                "&",
                ",",
                ", ",
                ";",
                "\n",
                ". ",
                "1.",
                "2)",
                "- ",
                "* ",
                "• ",
                "peace",
                "quiet",
                "because",
                "when",
                "2",
                "1,000",
                "my sister",
                "can't",
                "Walks",
                "and/or",
                "e.g.",
                " ",
                "  ",
                "...",
            ]
        ),
        st.text(min_size=1, max_size=12),
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(answer_text, st.text(max_size=300)))
@example("not eating, sleeping or washing")
@example("1. walks 2. music\n- a bath; peace and quiet")
@example("x " * 150)
def test_splitting_never_loses_a_word(text: str) -> None:
    items = split_items(text)
    found = words_kept(" ".join(items))
    assert words_kept(text) <= found


@settings(max_examples=400, deadline=None)
@given(st.one_of(answer_text, st.text(max_size=300)))
def test_items_are_never_empty_and_never_padded(text: str) -> None:
    for item in split_items(text):
        assert item.strip()
        assert item == item.strip()
        assert re.search(r"\w", item)


@settings(max_examples=400, deadline=None)
@given(st.one_of(answer_text, st.text(max_size=300)))
@example("not eating, sleeping or washing, crowds")
@example("when I am tired, I rest, walks and music")
def test_splitting_its_own_output_changes_nothing(text: str) -> None:
    items = split_items(text)
    assert split_items("\n".join(items)) == items


@settings(max_examples=200, deadline=None)
@given(st.one_of(answer_text, st.text(max_size=300)))
def test_no_duplicates_whatever_the_case(text: str) -> None:
    keys = [" ".join(item.casefold().split()) for item in split_items(text)]
    assert len(keys) == len(set(keys))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["walks", "a hot bath", "ringing my sister", "music"]), min_size=1, max_size=4, unique=True
    )
)
def test_items_sent_one_per_line_come_back_as_they_were(items: list[str]) -> None:
    assert split_items("\n".join(items)) == items
    assert split_items("\n".join(f"- {item}" for item in items)) == items
    assert split_items("\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))) == items


# -- is_done -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "that's all",
        "That's all.",
        "thats all",
        "that’s all",
        "thats it",
        "That's it!",
        "no more",
        "done",
        "Done.",
        "nothing else",
        "finished",
        "no",
        "No",
        "nope",
        "nah",
        "that's everything",
        "No, that's all thanks",
        "ok thats all x",
        "that's all for now",
        "none",
        "nothing",
        "I'm done",
        "all done",
        "no thank you",
        "  done  ",
        "can't think of anything else",
    ],
)
def test_done_replies(text: str) -> None:
    assert is_done(text)


@pytest.mark.parametrize(
    "text",
    [
        "no sleep",
        "done too much",
        "no more sleep",
        "nothing to eat",
        "not sleeping",
        "finished work late",
        "walks",
        "",
        "   ",
        "no friends around",
        "that's all I do",
        "stop",
        "skip",
        "later",
        "no, music",
    ],
)
def test_answers_that_are_not_done(text: str) -> None:
    assert not is_done(text)


# -- join_for_reading ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["walks"], "walks"),
        (["walks", "music"], "walks and music"),
        (["crowds", "arguments", "payday"], "crowds, arguments and payday"),
    ],
)
def test_join_for_reading(items: list[str], expected: str) -> None:
    assert join_for_reading(items) == expected


def test_reading_back_a_plain_list_splits_into_the_same_items() -> None:
    items = ["crowds", "arguments", "payday"]
    assert split_items(join_for_reading(items)) == items
