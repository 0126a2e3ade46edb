"""Building the wellness and recovery plan (WRAP) in conversation.

One Rasa form, `wrap_form`, asks every question: the question is the plan's saved position,
not a slot per question, so the 40-odd questions live in content/wrap.yml only. Each answer is
saved the moment it arrives. Steering words (skip, later, back, undo, stop) are read from
content/controls.yml, and a crisis message never reaches this code (see CrisisPolicy).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.consent import OFFER_SLOT, offer_after_section
from bot.actions.guided import not_an_answer, steer
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import channel, intent, message_text, say
from bot.services.guided.list_answers import is_done, join_for_reading
from bot.services.guided.steering import Move, Steering, Step, pause
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.store.db import unit_of_work

AFFIRM_INTENT = "affirm"
ANSWER_SLOT = "wrap_answer"
LIST_OPEN_SLOT = "wrap_list_open"
UNUSABLE_SLOT = "wrap_unusable_answers"
INTERRUPTED_SLOT = "interrupted_loop"
SECTION_DONE = "section_done"
DONE_SECTION_SLOT = "wrap_done_section"
PAUSED = "paused"
UNUSABLE_BEFORE_OFFERING_SKIP = 2
# Every steering word works in the plan; "stop" and "later" are answered in their own words.
STEERING = Steering(
    stop=pause("stopped"),
    later=pause("later"),
    skip=Step(Move.skip, "skipped"),
    back=Step(Move.back),
    undo=Step(Move.undo),  # says what was undone, or that there was nothing
)


def _say(dispatcher: CollectingDispatcher, text_id: str, **values: str) -> None:
    say(dispatcher, load_wrap_content(), text_id, **values)


class ActionWrapStart(Action):
    """Open the plan where the person asked ("my triggers"), or where they stopped."""

    def name(self) -> str:
        return "action_wrap_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        content = load_wrap_content()
        asked_for = wrap.section_from_text(message_text(tracker))
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
            is_new = not wrap.current_items(session, plan)
            if asked_for:
                question_id = content.section(asked_for).questions[0].id
            else:
                question_id = wrap.resume_question_id(session, plan) or content.sections[0].questions[0].id
            wrap.set_position(session, plan, question_id)
            progress = wrap.progress(session, plan)
        if is_new:
            _say(dispatcher, "intro")
            _say(dispatcher, "intro_how")
            _say(dispatcher, "controls_reminder")
        else:
            _say(dispatcher, "progress", started=str(progress.started), total=str(progress.total_sections))
        return [SlotSet(ANSWER_SLOT, None), SlotSet(LIST_OPEN_SLOT, False), SlotSet(UNUSABLE_SLOT, 0.0)]


class ActionAskWrapAnswer(Action):
    """Ask the question at the plan's position: the section's explanation first, when it starts."""

    def name(self) -> str:
        return "action_ask_wrap_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        content = load_wrap_content()
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
            question_id = plan.position_question_id or content.sections[0].questions[0].id
            earlier = wrap.answer_to_offer(session, plan, question_id)
            so_far = [item.text for item in wrap.current_items(session, plan, question_id=question_id)]
        question = content.question(question_id)
        section = content.section_for_question(question_id)
        if tracker.get_slot(LIST_OPEN_SLOT):
            _say(dispatcher, "list_more")
            return []
        if section.questions[0].id == question_id and not tracker.get_slot(UNUSABLE_SLOT):
            dispatcher.utter_message(text=section.explanation)  # once, as the section starts
        if earlier:
            dispatcher.utter_message(text=question.prompt)
            _say(dispatcher, "same_as_check", items=join_for_reading(earlier))
            return []
        dispatcher.utter_message(text=question.message)
        if so_far:  # carrying on with (or back at) a question that already has answers
            _say(
                dispatcher,
                "saved_so_far_list" if question.is_list else "saved_so_far_text",
                items=join_for_reading(so_far),
            )
        return []


class ValidateWrapForm(FormValidationAction):
    """Save each answer as it comes, or follow a steering word, then say what happens next."""

    def name(self) -> str:
        return "validate_wrap_form"

    def validate_wrap_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if value is None:
            return {ANSWER_SLOT: None}  # the form being (re)started clears the slot: nothing said yet
        if not_an_answer(tracker):
            return {ANSWER_SLOT: None}  # never saved as plan content; its own rule or CrisisPolicy replies
        text = str(value or "").strip()
        with unit_of_work() as session:
            plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
            question_id = plan.position_question_id or load_wrap_content().sections[0].questions[0].id
            result = self._answer(session, plan, question_id, text, dispatcher, tracker)
        # The plan is going again, so it is no longer "paused by a crisis reply". Cleared here,
        # not when resuming, because the resume rule is conditioned on this slot.
        return {**result, INTERRUPTED_SLOT: None}

    def _answer(self, session, plan, question_id, text, dispatcher, tracker) -> dict[str, Any]:
        content = load_wrap_content()
        question = content.question(question_id)
        steered = steer(
            STEERING,
            text,
            dispatcher,
            content,
            paused={ANSWER_SLOT: PAUSED, LIST_OPEN_SLOT: False},
            skip=lambda: self._skip(session, plan, question_id, dispatcher),
            back=lambda: self._back(session, plan, question_id),
            undo=lambda: self._undo(session, plan, dispatcher),
        )
        if steered is not None:
            return steered
        if text.endswith("?"):
            dispatcher.utter_message(text=content.section_for_question(question_id).explanation)
            _say(dispatcher, "controls_reminder")
            return {ANSWER_SLOT: None}
        if self._confirms(tracker) and not tracker.get_slot(LIST_OPEN_SLOT):
            earlier = wrap.answer_to_offer(session, plan, question_id)
            if earlier:  # "yes, that's still right": the earlier answer, saved here too
                saved = wrap.save_answer(session, plan, question_id, "\n".join(earlier), channel(tracker))
                _say(dispatcher, "saved_list", items=join_for_reading(item.text for item in saved))
                return self._advance(session, plan, question_id, dispatcher)
        if question.is_list and is_done(text):
            if not wrap.current_items(session, plan, question_id=question_id):
                _say(dispatcher, "saved_nothing")
            return self._advance(session, plan, question_id, dispatcher)
        saved = wrap.save_answer(session, plan, question_id, text, channel(tracker))
        if not saved:
            return self._unusable(question_id, text, session, plan, dispatcher, tracker)
        if question.is_list:
            _say(dispatcher, "saved_list", items=join_for_reading(item.text for item in saved))
            return {ANSWER_SLOT: None, LIST_OPEN_SLOT: True, UNUSABLE_SLOT: 0.0}
        _say(dispatcher, "saved_text", answer=saved[0].text)
        return {**self._advance(session, plan, question_id, dispatcher), UNUSABLE_SLOT: 0.0}

    def _skip(self, session, plan, question_id: str, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        wrap.skip_question(session, plan, question_id)
        return self._advance(session, plan, question_id, dispatcher)

    def _back(self, session, plan, question_id: str) -> dict[str, Any]:
        wrap.set_position(session, plan, self._previous_question_id(question_id))
        return {ANSWER_SLOT: None, LIST_OPEN_SLOT: False}

    @staticmethod
    def _undo(session, plan, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        removed = wrap.undo_last_answer(session, plan)
        if removed:
            _say(dispatcher, "undone", items=join_for_reading(item.text for item in removed))
        else:
            _say(dispatcher, "nothing_to_undo")
        return {ANSWER_SLOT: None}

    def _unusable(self, question_id, text, session, plan, dispatcher, tracker) -> dict[str, Any]:
        """Nothing to save: already there, or nothing we can read. Explain; never loop."""
        if text and wrap.find_items(session, plan, text):
            _say(dispatcher, "already_saved")
            return {ANSWER_SLOT: None}
        count = (tracker.get_slot(UNUSABLE_SLOT) or 0.0) + 1
        _say(dispatcher, "cannot_use" if count < UNUSABLE_BEFORE_OFFERING_SKIP else "cannot_use_offer_skip")
        return {ANSWER_SLOT: None, UNUSABLE_SLOT: count}

    @staticmethod
    def _confirms(tracker: Tracker) -> bool:
        return intent(tracker) == AFFIRM_INTENT

    @staticmethod
    def _previous_question_id(question_id: str) -> str:
        questions = [question.id for question in load_wrap_content().questions]
        return questions[max(questions.index(question_id) - 1, 0)]

    @staticmethod
    def _advance(session, plan, question_id: str, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        """On to the next question of this section, or finish the section."""
        content = load_wrap_content()
        next_id = wrap.next_question_id(session, plan, question_id)
        if next_id:
            wrap.set_position(session, plan, next_id)
            return {ANSWER_SLOT: None, LIST_OPEN_SLOT: False}
        section = content.section_for_question(question_id)
        following = content.next_section_after(section.id)
        wrap.set_position(session, plan, following.questions[0].id if following else None)
        _say(dispatcher, "section_done", section=section.title)
        return {ANSWER_SLOT: SECTION_DONE, LIST_OPEN_SLOT: False, DONE_SECTION_SLOT: section.id}


class ActionWrapFormEnded(Action):
    """After a finished section, ask about sharing it with the person's coordinator when that is
    due (bot/actions/consent.py), else offer the next section (or say the plan is complete)."""

    def name(self) -> str:
        return "action_wrap_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        reset = [
            SlotSet(ANSWER_SLOT, None),
            SlotSet(LIST_OPEN_SLOT, False),
            SlotSet(UNUSABLE_SLOT, 0.0),
            SlotSet(DONE_SECTION_SLOT, None),
        ]
        if tracker.get_slot(ANSWER_SLOT) == SECTION_DONE:
            sharing_question = offer_after_section(dispatcher, tracker, tracker.get_slot(DONE_SECTION_SLOT))
            if sharing_question:
                return reset + sharing_question
            with unit_of_work() as session:
                plan = wrap.plan_for(session, person_for_tracker(session, tracker).id)
                next_question = wrap.resume_question_id(session, plan)
            if next_question:
                section = load_wrap_content().section_for_question(next_question)
                _say(dispatcher, "next_section_offer", section=section.title)
                dispatcher.utter_message(response="utter_ask_start_next_section")
            else:
                _say(dispatcher, "plan_done")
        return reset + [SlotSet(OFFER_SLOT, False)]
