"""Check-ins by conversation: answering one ("2", "worse, not sleeping"), choosing how often
("every Monday", "every 3 days", "never"), stopping them, and seeing how they have gone.
An answer is saved the moment it is given; a note is added to it after."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.guided import (
    DONE,
    PAUSED,
    PENDING_QUESTION,
    SENTINELS,
    ask_yes_no,
    not_an_answer,
    steer,
    unread_answer,
)
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import channel, intent, message_text, say
from bot.services.guided.steering import NOT_OFFERED, Move, Steering, Step, pause
from bot.services.messaging import reach
from bot.services.recovery import checkins, stuck
from bot.store.db import unit_of_work

RATING, NOTE, CHECKIN_ID, UNUSABLE = "checkin_rating", "checkin_note", "checkin_id", "checkin_unusable"
RHYTHM = "checkin_rhythm"
NO_NOTE = "__none__"
REPLY_INTENT = "checkin_reply"
STUCK_OFFER = "stuck_offer"
UNUSABLE_BEFORE_LEAVING = 2
HISTORY_LENGTH = 6
# The rating: "stop" and "later" leave the check-in; skip, back and undo are not offered, so
# they are read as a reply (and not understood).
RATING_STEERING = Steering(
    stop=pause("checkin_later"),
    later=pause("checkin_later"),
    skip=NOT_OFFERED,
    back=NOT_OFFERED,
    undo=NOT_OFFERED,
)
# The note after it: any steering word means no note; the check-in is saved as it is.
NOTE_STEERING = Steering(
    stop=Step(Move.skip),
    later=Step(Move.skip),
    skip=Step(Move.skip),
    back=Step(Move.skip),
    undo=Step(Move.skip),
)
# How often (asked only when the words are not a rhythm): any steering word leaves it for later.
RHYTHM_STEERING = Steering(
    stop=pause("rhythm_later"),
    later=pause("rhythm_later"),
    skip=pause("rhythm_later"),
    back=pause("rhythm_later"),
    undo=pause("rhythm_later"),
)


def words():
    return checkins.content()


def _reset() -> list:
    return [SlotSet(RATING, None), SlotSet(NOTE, None), SlotSet(CHECKIN_ID, None), SlotSet(UNUSABLE, 0.0)]


class ActionCheckinStart(Action):
    """Save a reply that is already an answer ("worse, not sleeping"); otherwise ask."""

    def name(self) -> str:
        return "action_checkin_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        reply = checkins.read_reply(message_text(tracker)) if intent(tracker) == REPLY_INTENT else None
        if reply is None:
            return _reset()
        rating, note = reply
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            checkin_id = checkins.record_answer(session, person_id, rating, note, channel(tracker)).id
        return _reset() + [SlotSet(RATING, rating), SlotSet(CHECKIN_ID, checkin_id), SlotSet(NOTE, note)]


class ActionAskCheckinRating(Action):
    def name(self) -> str:
        return "action_ask_checkin_rating"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        say(dispatcher, words(), "checkin_ask")
        return []


class ActionAskCheckinNote(Action):
    def name(self) -> str:
        return "action_ask_checkin_note"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        say(dispatcher, words(), "checkin_ask_note")
        return []


class ValidateCheckinForm(FormValidationAction):
    def name(self) -> str:
        return "validate_checkin_form"

    def validate_checkin_rating(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if value is None or value in SENTINELS or tracker.get_slot(CHECKIN_ID):
            return {RATING: value}  # nothing said yet, or already saved by action_checkin_start
        if not_an_answer(tracker):
            return {RATING: None}
        text = str(value).strip()
        steered = steer(RATING_STEERING, text, dispatcher, words(), paused={RATING: PAUSED, NOTE: NO_NOTE})
        if steered is not None:
            return steered
        reply = checkins.read_reply(text)
        if reply is None:
            unusable = (tracker.get_slot(UNUSABLE) or 0.0) + 1
            if unusable >= UNUSABLE_BEFORE_LEAVING + 1:
                say(dispatcher, words(), "checkin_later")
                return {RATING: PAUSED, NOTE: NO_NOTE}
            say(dispatcher, words(), "checkin_not_understood")
            return {RATING: None, UNUSABLE: unusable}
        rating, note = reply
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            checkin_id = checkins.record_answer(session, person_id, rating, note, channel(tracker)).id
        return {RATING: rating, CHECKIN_ID: checkin_id, NOTE: note}

    def validate_checkin_note(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if value is None or value == NO_NOTE or not tracker.get_slot(CHECKIN_ID):
            return {NOTE: value if value is not None else None}
        if not_an_answer(tracker):
            return {NOTE: None}
        text = str(value).strip()
        if checkins.is_no_note(text):
            return {NOTE: NO_NOTE}
        steered = steer(NOTE_STEERING, text, dispatcher, words(), skip=lambda: {NOTE: NO_NOTE})
        if steered is not None:
            return steered
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            checkin = checkins.add_note(session, person_id, tracker.get_slot(CHECKIN_ID), text)
        return {NOTE: text if checkin else NO_NOTE}


class ActionCheckinDone(Action):
    """Thank them, say what was saved, and offer to think it through if things seem stuck."""

    def name(self) -> str:
        return "action_checkin_done"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        rating, note = tracker.get_slot(RATING), tracker.get_slot(NOTE)
        if rating not in checkins.RATINGS:
            return _reset() + [SlotSet(PENDING_QUESTION, None)]
        say(
            dispatcher,
            words(),
            "checkin_saved_note" if note and note != NO_NOTE else "checkin_saved",
            rating=checkins.rating_words(rating),
        )
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            reason = stuck.reason_to_offer(session, person_id)
            if reason:
                stuck.offer(session, person_id, reason)
        if not reason:
            return _reset() + [SlotSet(PENDING_QUESTION, None)]
        say(dispatcher, stuck.content(), f"offer_{reason}")
        ask_yes_no(dispatcher)
        return _reset() + [SlotSet(PENDING_QUESTION, STUCK_OFFER)]


class ActionCheckinRhythmStart(Action):
    """ "Check in with me every Monday": set at once. "Set up check-ins": ask how often."""

    def name(self) -> str:
        return "action_checkin_rhythm_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        rhythm = checkins.parse_rhythm(message_text(tracker))
        if rhythm is None:
            return [SlotSet(RHYTHM, None), SlotSet(UNUSABLE, 0.0)]
        set_and_confirm(dispatcher, tracker, rhythm)
        return [SlotSet(RHYTHM, DONE), SlotSet(UNUSABLE, 0.0)]


def set_and_confirm(dispatcher: CollectingDispatcher, tracker: Tracker, rhythm: checkins.Rhythm) -> None:
    with unit_of_work() as session:
        person_id = person_for_tracker(session, tracker).id
        schedule = checkins.set_rhythm(session, person_id, rhythm)
        when = checkins.describe(schedule) if rhythm.kind != checkins.NONE else None
        moved_to = checkins.clock_words(schedule.local_time)
        can_text = reach.reachable_sms_contact(session, person_id) is not None
    if when is None:
        say(dispatcher, words(), "rhythm_none")
        return
    say(dispatcher, words(), "rhythm_set", when=when)
    if rhythm.local_time and checkins.is_quiet(rhythm.local_time):
        start, end = checkins.quiet_hours_words()
        say(dispatcher, words(), "rhythm_quiet_moved", start=start, end=end, time=moved_to)
    say(dispatcher, words(), "rhythm_by_text" if can_text else "rhythm_in_chat")


class ActionAskCheckinRhythm(Action):
    def name(self) -> str:
        return "action_ask_checkin_rhythm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        say(dispatcher, words(), "rhythm_ask")
        return []


class ValidateCheckinRhythmForm(FormValidationAction):
    def name(self) -> str:
        return "validate_checkin_rhythm_form"

    def validate_checkin_rhythm(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if (unread := unread_answer(value, tracker, RHYTHM)) is not None:
            return unread
        text = str(value).strip()
        rhythm = checkins.parse_rhythm(text)
        if rhythm is None:
            steered = steer(RHYTHM_STEERING, text, dispatcher, words(), paused={RHYTHM: PAUSED})
            if steered is not None:
                return steered
            unusable = (tracker.get_slot(UNUSABLE) or 0.0) + 1
            if unusable > UNUSABLE_BEFORE_LEAVING:
                say(dispatcher, words(), "rhythm_later")
                return {RHYTHM: PAUSED, UNUSABLE: 0.0}
            say(dispatcher, words(), "rhythm_not_understood")
            return {RHYTHM: None, UNUSABLE: unusable}
        set_and_confirm(dispatcher, tracker, rhythm)
        return {RHYTHM: DONE}


class ActionCheckinRhythmEnded(Action):
    def name(self) -> str:
        return "action_checkin_rhythm_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        return [SlotSet(RHYTHM, None), SlotSet(UNUSABLE, 0.0)]


class ActionCheckinStop(Action):
    def name(self) -> str:
        return "action_checkin_stop"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        set_and_confirm(dispatcher, tracker, checkins.NO_CHECKINS)
        return []


class ActionCheckinHistory(Action):
    """ "How have my check-ins gone?": the last few, newest first, and a count."""

    def name(self) -> str:
        return "action_checkin_history"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            recent = [
                (checkin.answered_at, checkin.rating, checkin.note)
                for checkin in checkins.history(session, person_for_tracker(session, tracker).id, HISTORY_LENGTH)
            ]
        if not recent:
            say(dispatcher, words(), "history_none")
            return []
        lines = [words().text("history_heading")]
        for answered_at, rating, note in recent:
            values = {"date": checkins.local_date_words(answered_at), "rating": checkins.rating_words(rating)}
            if note:
                short = note if len(note) <= 40 else note[:37].rstrip() + "..."
                lines.append(words().text("history_line_note", note=short, **values))
            else:
                lines.append(words().text("history_line", **values))
        counts = {rating: sum(1 for _, r, _ in recent if r == rating) for rating in checkins.RATINGS}
        messages, current = [], lines[0]
        for line in lines[1:]:
            if len(current) + 1 + len(line) > 320:
                messages.append(current)
                current = line
            else:
                current = f"{current}\n{line}"
        messages.append(current)
        for message in messages:
            dispatcher.utter_message(text=message)
        say(dispatcher, words(), "history_summary", **counts)
        return []
