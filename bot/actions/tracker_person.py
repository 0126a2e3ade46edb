"""The bridge from a Rasa conversation to the person in our database."""

from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from bot.actions.turn import channel
from bot.services.people.lookup import identity_for_address, person_for_address
from bot.store.models import ChannelIdentity, Person


def person_for_tracker(session: Session, tracker: Tracker) -> Person:
    """The person this conversation belongs to, by channel and sender id (stored as a hash)."""
    return person_for_address(session, channel(tracker), tracker.sender_id)


def identity_for_tracker(session: Session, tracker: Tracker) -> ChannelIdentity:
    """The channel address this conversation comes from (and through it, the person)."""
    return identity_for_address(session, channel(tracker), tracker.sender_id)
