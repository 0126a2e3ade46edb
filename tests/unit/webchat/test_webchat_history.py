"""What the web chat shows again after a reload: the messages, and the buttons only while they
are still the current question."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.channels.webchat import history_of
from bot.services.webchat.history import BOT, USER, Said, button_titles, history_entries, pending_reply_index

ASKED = Said(BOT, "Are you here for yourself?", ("For me", "For someone I support"))


def test_the_buttons_of_the_last_question_are_pending_until_the_person_answers():
    said = [Said(USER, "hello"), Said(BOT, "Hello, I'm Alongside."), ASKED]
    assert pending_reply_index(said) == 2
    assert pending_reply_index([*said, Said(USER, "For me")]) is None
    assert pending_reply_index([*said, Said(USER, "")]) is None  # anything the person sends answers


def test_a_later_message_without_buttons_does_not_hide_them_as_the_page_does_not():
    said = [Said(USER, "hello"), ASKED, Said(BOT, "You can also just type.")]
    assert pending_reply_index(said) == 1


def test_only_the_newest_buttons_count_and_older_answered_ones_never_come_back():
    newer = Said(BOT, "What would you like to do?", ("Make my plan", "Show my plan"))
    said = [ASKED, Said(USER, "For me"), Said(BOT, "Thank you."), newer]
    entries = history_entries(said, limit=50)
    assert [entry.get("quick_replies") for entry in entries] == [
        None,
        None,
        None,
        [{"title": "Make my plan"}, {"title": "Show my plan"}],
    ]
    assert pending_reply_index([]) is None and pending_reply_index([Said(BOT, "Hi.")]) is None


def test_history_entries_keep_their_shape_and_limit():
    said = [Said(USER, "hello"), Said(BOT, ""), ASKED]
    assert history_entries(said, limit=50) == [
        {"from": "user", "text": "hello"},  # an empty bot text is not shown
        {
            "from": "bot",
            "text": "Are you here for yourself?",
            "quick_replies": [{"title": "For me"}, {"title": "For someone I support"}],
        },
    ]
    assert history_entries(said, limit=1) == history_entries(said, limit=50)[-1:]
    assert history_entries(said, limit=0) == []
    # Buttons on a message with no words still come back: the page shows them alone.
    assert history_entries([Said(BOT, "", ("Yes",))], limit=5) == [
        {"from": "bot", "text": "", "quick_replies": [{"title": "Yes"}]}
    ]


def test_button_titles_skip_buttons_without_one():
    assert button_titles([{"title": "Yes", "payload": "/affirm"}, {"payload": "/deny"}, {"title": ""}]) == ("Yes",)
    assert button_titles(None) == () and button_titles([]) == ()


def test_history_of_rasa_events_carries_the_pending_buttons():
    buttons = [{"title": "For me", "payload": "For me"}, {"title": "For someone I support", "payload": "x"}]
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hello"),
        BotUttered("Hello."),
        BotUttered("Are you here for yourself?", data={"buttons": buttons}),
        SlotSet("audience", None),
        ActionExecuted("action_listen"),
    ]
    history = history_of(events)
    assert history[-1]["quick_replies"] == [{"title": "For me"}, {"title": "For someone I support"}]
    assert [entry["text"] for entry in history] == ["hello", "Hello.", "Are you here for yourself?"]
    answered = history_of([*events, UserUttered("For me"), BotUttered("Thank you.")])
    assert not [entry for entry in answered if "quick_replies" in entry]
    quick = history_of([BotUttered("Which?", data={"quick_replies": [{"title": "This", "payload": "1"}]})])
    assert quick == [{"from": "bot", "text": "Which?", "quick_replies": [{"title": "This"}]}]
