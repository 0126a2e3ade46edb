"""The same code on PostgreSQL (production) as on SQLite (the default): migrations, our
services and Rasa's tracker store, in a database made for this run and dropped after it.

PostgreSQL runs on the development and CI machines (.ci/run starts it). Set
ALONGSIDE_SKIP_POSTGRES=1 to skip these on a machine without it."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

SERVER_URL = os.environ.get("ALONGSIDE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

pytestmark = pytest.mark.skipif(os.environ.get("ALONGSIDE_SKIP_POSTGRES") == "1", reason="PostgreSQL skipped by setting")


@pytest.fixture(scope="module")
def postgres_url():
    name = f"alongside_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_people_and_plans_work_on_postgresql(postgres_url):
    from bot.services import wrap
    from bot.services.people import person_for_address, set_role
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade_to_head
    from bot.store.models import Role

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    Session = sessionmaker(bind=engine, future=True)
    with Session.begin() as session:
        person = person_for_address(session, "sms", "+447700900123")
        set_role(session, person, Role.service_user)
        plan = wrap.plan_for(session, person.id)
        wrap.save_answer(session, plan, "triggers", "crowds, payday", "sms")
    with Session.begin() as session:
        person = person_for_address(session, "sms", "+447700900123")
        plan = wrap.plan_for(session, person.id)
        assert person.role is Role.service_user
        assert [item.text for item in wrap.current_items(session, plan)] == ["crowds", "payday"]
    engine.dispose()


async def test_rasa_tracker_store_works_on_postgresql(postgres_url):
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.store.tracker_store import AlongsideTrackerStore

    store = AlongsideTrackerStore(database_url=postgres_url)
    tracker = DialogueStateTracker.from_events("pg-sender", [UserUttered("hello")])
    await store.save(tracker)
    loaded = await store.retrieve("pg-sender")
    assert loaded.latest_message.text == "hello"
    store.engine.dispose()


def test_linking_by_code_joins_people_and_plans_on_postgresql(postgres_url):
    from datetime import datetime, timezone

    from bot.services import identity_links, wrap
    from bot.services.people import identity_for_address
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade_to_head

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    Session = sessionmaker(bind=engine, future=True)
    now = datetime.now(timezone.utc)
    with Session.begin() as session:
        web = identity_for_address(session, "webchat", "conversation-1")
        wrap.save_answer(session, wrap.plan_for(session, web.person_id), "triggers", "crowds", "webchat")
        sms = identity_for_address(session, "sms", "+447700900123")
        wrap.save_answer(session, wrap.plan_for(session, sms.person_id), "triggers", "payday", "sms")
        code = identity_links.make_code(session, web, now).code
    with Session.begin() as session:
        sms = identity_for_address(session, "sms", "+447700900123")
        result = identity_links.redeem(session, sms, f"link {code}", now)
        assert result == identity_links.Redeemed(identity_links.LinkResult.linked, identity_links.PlanOutcome.combined)
    with Session.begin() as session:
        sms = identity_for_address(session, "sms", "+447700900123")
        assert sms.person_id == identity_for_address(session, "webchat", "conversation-1").person_id
        assert sorted(item.text for item in wrap.current_items(session, wrap.plan_for(session, sms.person_id))) == ["crowds", "payday"]
        assert identity_links.redeem(session, sms, f"link {code}", now).result is identity_links.LinkResult.already_linked
    engine.dispose()
