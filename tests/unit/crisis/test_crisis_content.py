"""Crisis replies are built from content/crisis.yml, with sources, and the local line if set."""

from __future__ import annotations

import dataclasses

import pytest

from bot.build import crisis_responses
from bot.services.crisis.content import CRISIS_CONTENT_PATH, load_crisis_content
from bot.settings import get_settings

UK_CONTACTS = ["999", "A&E", "NHS 111", "option 2", "116 123", "SHOUT", "85258"]


def test_every_contact_names_its_source():
    content = load_crisis_content(get_settings())
    assert {c.id for c in content.contacts} >= {"emergency", "nhs_111", "samaritans", "shout"}
    assert all(contact.source.strip() for contact in content.contacts)


def test_the_crisis_replies_carry_every_uk_contact_for_self_and_for_someone_else():
    responses = crisis_responses(get_settings())["responses"]
    for variation in responses["utter_crisis"]:
        for contact in UK_CONTACTS:
            assert contact in variation["text"]
    about_other, being_harmed, about_self = responses["utter_crisis"]
    assert about_other["condition"][0]["value"] == "other"
    assert being_harmed["condition"][0]["value"] == "being_harmed"
    assert "Stay with them" in about_other["text"] and "computer program" in about_self["text"]
    assert "that's not what I meant" in about_self["text"]


def test_someone_being_hurt_is_told_999_first_then_the_domestic_abuse_helpline():
    [being_harmed] = [
        variation
        for variation in crisis_responses(get_settings())["responses"]["utter_crisis"]
        if variation.get("condition", [{}])[0].get("value") == "being_harmed"
    ]
    text = being_harmed["text"]
    assert "not your fault" in text and text.index("999") < text.index("0808 2000 247")
    assert "that's not what I meant" in text


def test_a_local_crisis_line_comes_straight_after_999():
    settings = dataclasses.replace(
        get_settings(),
        local_crisis_line_name="the Anytown crisis line",
        local_crisis_line_number="0800 000 1234",
        local_crisis_line_source="Anytown NHS Trust website",
    )
    content = load_crisis_content(settings)
    assert [c.id for c in content.contacts][:2] == ["emergency", "local"]
    assert "Call the Anytown crisis line on 0800 000 1234." in content.render("for_self")


def test_a_broken_file_is_reported_by_entry(tmp_path):
    broken = tmp_path / "crisis.yml"
    broken.write_text(
        CRISIS_CONTENT_PATH.read_text().replace('source: "Samaritans', 'sauce: "Samaritans'), encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"contacts\[2\].*source"):
        load_crisis_content(get_settings(), broken)


def test_being_harmed_reply_gives_999_and_the_domestic_abuse_helpline_with_its_source():
    from bot.services.crisis.content import load_crisis_content
    from bot.settings import get_settings

    content = load_crisis_content(get_settings())
    text = content.render("for_being_harmed")
    assert "999" in text and "0808 2000 247" in text
    assert all("nationaldahelpline.org.uk" in c.source for c in content.harm_contacts)
