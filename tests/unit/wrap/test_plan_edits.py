"""Reading requests to change the plan."""

from __future__ import annotations

import pytest

from bot.services.wrap.edits import read_change, read_remove


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("remove crowds from my triggers", "crowds"),
        ("delete payday", "payday"),
        ("please take loud music out of my plan", "loud music"),
        ("get rid of arguments with my brother", "arguments with brother"),
    ],
)
def test_the_item_to_remove(text, item):
    assert read_remove(text).item_words == item


def test_nothing_named_means_no_request():
    assert read_remove("remove it from my plan") is None or read_remove("remove from my plan") is None


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        ("change crowds to busy places", "crowds", "busy places"),
        ("replace payday with running out of money", "payday", "running out of money"),
        ("can you change my walk to a long walk by the river", "walk", "a long walk by the river"),
    ],
)
def test_the_item_to_change_and_its_new_words(text, old, new):
    request = read_change(text)
    assert (request.item_words, request.new_text) == (old, new)


def test_a_change_without_new_words_is_not_read():
    assert read_change("change crowds") is None


def test_a_section_named_only_in_the_new_words_is_not_where_the_item_is():
    """Issue 22.5: "medication" names the crisis plan, but here it is only the new words."""
    from bot.services.wrap.plan import section_from_text

    request = read_change("change ring my sister to take my medication")
    assert request is not None and request.new_text == "take my medication"
    assert section_from_text(request.where_words) is None
    named = read_change("change crowds in my triggers to busy places")
    assert named is not None and section_from_text(named.where_words) == "triggers"
