"""People and channel identities: found again by a keyed hash, never by the raw address."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.people.lookup import person_for_address, set_role
from bot.store.db import unit_of_work
from bot.store.models import ChannelIdentity, Role


def test_the_same_address_finds_the_same_person_and_the_number_is_not_stored(migrated_database):
    with unit_of_work() as session:
        first = person_for_address(session, "sms", "+447700900123")
    with unit_of_work() as session:
        again = person_for_address(session, "sms", "+447700900123")
        other_channel = person_for_address(session, "web", "+447700900123")
        stored = session.execute(select(ChannelIdentity.address_hash)).scalars().all()
    assert first.id == again.id != other_channel.id
    assert all("447700900123" not in value for value in stored)


def test_role_is_saved_and_a_chat_cannot_make_a_coordinator(migrated_database):
    with unit_of_work() as session:
        person = person_for_address(session, "rest", "role-test")
        set_role(session, person, Role.carer)
    with unit_of_work() as session:
        person = person_for_address(session, "rest", "role-test")
        assert person.role is Role.carer
        with pytest.raises(ValueError):
            set_role(session, person, Role.coordinator)


def test_a_failed_unit_of_work_saves_nothing(migrated_database):
    with pytest.raises(RuntimeError), unit_of_work() as session:
        person_for_address(session, "rest", "rolled-back")
        raise RuntimeError("the action failed half way")
    with unit_of_work() as session:
        count = session.execute(select(ChannelIdentity).where(ChannelIdentity.channel == "rest")).scalars().all()
    from bot.security.pseudonyms import keyed_hash
    from bot.services.people.lookup import IDENTITY_PURPOSE

    assert keyed_hash("rolled-back", IDENTITY_PURPOSE) not in {identity.address_hash for identity in count}


def test_sqlite_runs_in_wal_mode(migrated_database):
    from sqlalchemy import text

    with unit_of_work() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
