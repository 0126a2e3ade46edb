"""Goals in the person's own words, each with a small next step. One form, `goal_form`, with
one answer slot; where the person is (the goal, or its step) is kept in the database, so
"set a goal" carries on where they stopped."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.guided import DONE, PAUSED, steer, unread_answer
from bot.actions.tracker_person import person_for_tracker
from bot.actions.turn import channel, intent, say
from bot.services.guided.flow_positions import get_position, set_position
from bot.services.guided.steering import Move, Steering, Step, pause
from bot.services.recovery import checkins, goals
from bot.store.db import unit_of_work

ANSWER = "goal_answer"
FLOW = "goal"
ASK_GOAL = "goal"
STEP_PREFIX = "step:"
ADD_STEP_INTENT = "goal_add_step"
# Asking for the goal, every steering word pauses; at its step, skip, back and undo leave the
# goal without a step for now.
GOAL_STEERING = Steering(
    stop=pause("goal_paused"),
    later=pause("goal_paused"),
    skip=pause("goal_paused"),
    back=pause("goal_paused"),
    undo=pause("goal_paused"),
)
STEP_STEERING = Steering(
    stop=pause("goal_paused"),
    later=pause("goal_paused"),
    skip=Step(Move.skip, "step_skipped"),
    back=Step(Move.skip, "step_skipped"),
    undo=Step(Move.skip, "step_skipped"),
)


def words():
    return checkins.content()


def _step_goal_id(position: str | None) -> str | None:
    return position[len(STEP_PREFIX) :] if position and position.startswith(STEP_PREFIX) else None


class ActionGoalStart(Action):
    """A new goal, the step of a goal left without one, or a step for the newest goal."""

    def name(self) -> str:
        return "action_goal_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            position = get_position(session, person_id, FLOW)
            has_goals = bool(goals.active_goals(session, person_id))
            if intent(tracker) == ADD_STEP_INTENT:
                latest = goals.latest_goal(session, person_id)
                position = f"{STEP_PREFIX}{latest.id}" if latest else ASK_GOAL
                if latest is None:
                    say(dispatcher, words(), "no_goal_for_step")
            elif not ((goal_id := _step_goal_id(position)) and goals.goal_by_id(session, person_id, goal_id)):
                position = ASK_GOAL
            set_position(session, person_id, FLOW, position)
        if position == ASK_GOAL and not has_goals:
            say(dispatcher, words(), "goal_intro")
        return [SlotSet(ANSWER, None)]


class ActionAskGoalAnswer(Action):
    def name(self) -> str:
        return "action_ask_goal_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        with unit_of_work() as session:
            position = get_position(session, person_for_tracker(session, tracker).id, FLOW)
        say(dispatcher, words(), "step_ask" if _step_goal_id(position) else "goal_ask")
        return []


class ValidateGoalForm(FormValidationAction):
    def name(self) -> str:
        return "validate_goal_form"

    def validate_goal_answer(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        if (unread := unread_answer(value, tracker, ANSWER)) is not None:
            return unread
        text = str(value).strip()
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            position = get_position(session, person_id, FLOW) or ASK_GOAL
            goal = goals.goal_by_id(session, person_id, _step_goal_id(position) or "")
            steered = steer(
                GOAL_STEERING if goal is None else STEP_STEERING,
                text,
                dispatcher,
                words(),
                paused={ANSWER: PAUSED},
                skip=lambda: self._no_step(session, person_id),
            )
            if steered is not None:
                return steered
            try:
                if goal is None:
                    saved = goals.add_goal(session, person_id, text, channel(tracker))
                    set_position(session, person_id, FLOW, f"{STEP_PREFIX}{saved.id}")
                    say(dispatcher, words(), "goal_saved", goal=saved.text)
                    return {ANSWER: None}  # on to its first step
                step = goals.add_step(session, goal, text, channel(tracker))
            except ValueError:
                say(dispatcher, words(), "goal_cannot_use")
                return {ANSWER: None}
            set_position(session, person_id, FLOW, None)
            say(dispatcher, words(), "step_saved", step=step.text)
        return {ANSWER: DONE}

    @staticmethod
    def _no_step(session, person_id: str) -> dict[str, Any]:
        set_position(session, person_id, FLOW, None)
        return {ANSWER: DONE}


class ActionGoalFormEnded(Action):
    def name(self) -> str:
        return "action_goal_form_ended"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tracker.get_slot(ANSWER) == DONE:
            with unit_of_work() as session:
                schedule = checkins.schedule_for(session, person_for_tracker(session, tracker).id)
                when = checkins.describe(schedule) if schedule and schedule.rhythm != checkins.NONE else None
            if when:
                say(dispatcher, words(), "goal_done_with_checkins", when=when)
            else:
                say(dispatcher, words(), "goal_done")
        return [SlotSet(ANSWER, None)]


class ActionGoalShow(Action):
    def name(self) -> str:
        return "action_goal_show"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        lines = []
        with unit_of_work() as session:
            person_id = person_for_tracker(session, tracker).id
            for number, goal in enumerate(goals.active_goals(session, person_id), start=1):
                lines.append(words().text("goal_line", number=number, goal=goal.text))
                steps = goals.steps_for(session, goal)
                if steps:
                    lines.append(words().text("step_line", step=steps[-1].text))
        if not lines:
            say(dispatcher, words(), "goals_none")
            return []
        messages, current = [], words().text("goals_heading")
        for line in lines:  # SMS-sized messages, a goal never split from its heading line
            if len(current) + 1 + len(line) > 320:
                messages.append(current)
                current = line
            else:
                current = f"{current}\n{line}"
        messages.append(current)
        for message in messages:
            dispatcher.utter_message(text=message)
        say(dispatcher, words(), "goals_hint")
        return []
