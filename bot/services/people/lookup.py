"""Who is talking: find or create the person behind a channel address, and remember their role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import utc_now
from bot.security.pseudonyms import keyed_hash
from bot.store.models import ChannelIdentity, Person, Role

IDENTITY_PURPOSE = "channel-identity"


def identity_for_address(session: Session, channel: str, address: str) -> ChannelIdentity:
    """This channel address, and a new person behind it on first contact. Marks them as seen."""
    address_hash = keyed_hash(address, IDENTITY_PURPOSE)
    identity = session.execute(
        select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.address_hash == address_hash)
    ).scalar_one_or_none()
    if identity is None:
        person = Person(role=Role.unknown)
        identity = ChannelIdentity(person=person, channel=channel, address_hash=address_hash, sender_id=address)
        session.add_all([person, identity])
        session.flush()
        return identity
    if identity.sender_id is None:
        identity.sender_id = address
    identity.person.last_seen_at = utc_now()
    return identity


def person_for_address(session: Session, channel: str, address: str) -> Person:
    """The person who uses this channel address, created on first contact. Marks them as seen."""
    return identity_for_address(session, channel, address).person


def set_role(session: Session, person: Person, role: Role) -> None:
    """Record why the person is here. Coordinators are enrolled by an admin, never by chat."""
    if role is Role.coordinator:
        raise ValueError("A chat cannot make someone a care coordinator.")
    person.role = role
    session.flush()
