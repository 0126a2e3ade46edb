"""The bridge from a Rasa conversation to the person in our database."""
from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from bot.services.people.lookup import identity_for_address, person_for_address
from bot.store.models import ChannelIdentity, Person

DEFAULT_CHANNEL = "rest"


def person_for_tracker(session: Session, tracker: Tracker) -> Person:
    """The person this conversation belongs to, by channel and sender id (stored as a hash)."""
    channel = tracker.get_latest_input_channel() or DEFAULT_CHANNEL
    return person_for_address(session, channel, tracker.sender_id)


def identity_for_tracker(session: Session, tracker: Tracker) -> ChannelIdentity:
    """The channel address this conversation comes from (and through it, the person)."""
    channel = tracker.get_latest_input_channel() or DEFAULT_CHANNEL
    return identity_for_address(session, channel, tracker.sender_id)
