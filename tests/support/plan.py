"""Reading a conversation's saved plan straight from the database, for assertions."""

from __future__ import annotations

from bot.services.people.lookup import person_for_address
from bot.services.wrap import plan as wrap
from bot.store.db import unit_of_work
from tests.support.in_process import Conversation


def saved_items(conversation: Conversation, question_id: str | None = None, section_id: str | None = None) -> list[str]:
    """The live plan items of the person in this conversation, in plan order."""
    with unit_of_work() as session:
        person = person_for_address(session, conversation.channel, conversation.sender_id)
        plan = wrap.plan_for(session, person.id)
        return [item.text for item in wrap.current_items(session, plan, section_id=section_id, question_id=question_id)]


def plan_position(conversation: Conversation) -> str | None:
    """The question the person's plan is at (where "carry on" resumes)."""
    with unit_of_work() as session:
        person = person_for_address(session, conversation.channel, conversation.sender_id)
        return wrap.plan_for(session, person.id).position_question_id
