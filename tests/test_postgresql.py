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

pytestmark = pytest.mark.skipif(
    os.environ.get("ALONGSIDE_SKIP_POSTGRES") == "1", reason="PostgreSQL skipped by setting"
)


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
    from bot.services.people.lookup import person_for_address, set_role
    from bot.services.wrap import plan as wrap
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


def test_check_ins_stuck_rule_and_bucket_work_on_postgresql(postgres_url):
    """Timestamps come back timezone-aware on PostgreSQL (naive on SQLite): both must work."""
    from datetime import datetime, timedelta, timezone

    from bot.services.messaging.reach import remember_sms_number
    from bot.services.people.lookup import person_for_address
    from bot.services.recovery import bucket, checkins, stuck
    from bot.services.recovery import meaning as recovery
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade_to_head

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    Session = sessionmaker(bind=engine, future=True)
    monday = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    with Session.begin() as session:
        person = person_for_address(session, "sms", "+447700900124")
        remember_sms_number(session, person.id, "+447700900124")
        checkins.set_rhythm(session, person.id, checkins.parse_rhythm("every Monday"), monday - timedelta(days=1))
        recovery.save_meaning(session, person.id, "hope", "sms", monday)
        bucket.save_items(session, person.id, "lets_out", "music", "sms")
        person_id = person.id
    for week in range(3):
        with Session.begin() as session:
            asked = checkins.send_due_checkins(session, monday + timedelta(days=7 * week))
            assert [c.channel for c in asked if c.person_id == person_id] == ["sms"]
            checkins.record_answer(session, person_id, "same", None, "sms", monday + timedelta(days=7 * week, hours=1))
    with Session.begin() as session:
        assert stuck.reason_to_offer(session, person_id, monday + timedelta(days=15)) == stuck.CHECKINS_NO_PROGRESS
        assert bucket.copy_to_wrap(session, person_id, "sms")[0].text == "music"
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


def test_sms_texts_are_taken_in_once_and_answered_on_postgresql(postgres_url):
    from sqlalchemy.exc import IntegrityError

    from bot.services.sms.inbound import sender_id_for, take_in
    from bot.services.sms.turns import BotReply, Outcome, finish_turn
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade_to_head
    from bot.store.models import utc_now
    from bot.store.outbox_models import OutboxMessage
    from bot.store.sms_models import SmsInboundMessage

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    Session = sessionmaker(bind=engine, future=True)
    number, sid = "+447700900321", "SM" + "12" * 16
    with Session.begin() as session:
        arrival = take_in(session, sid, number, utc_now())
    with Session.begin() as session:
        assert not take_in(session, sid, number, utc_now()).first_time
    with pytest.raises(IntegrityError), Session.begin() as session:
        session.add(SmsInboundMessage(message_sid=sid, received_at=utc_now()))
        session.flush()
    with Session.begin() as session:
        finish_turn(
            session,
            message_sid=sid,
            number=number,
            sender_id=sender_id_for(number),
            person_id=arrival.person_id,
            outcome=Outcome.replies,
            replies=[BotReply("Hello.", (("Yes", "/affirm"),))],
            now=utc_now(),
        )
    with Session.begin() as session:
        [message] = (
            session.query(OutboxMessage).filter(OutboxMessage.idempotency_key.startswith(f"sms-reply:{sid}:")).all()
        )
        assert message.recipient == number and message.body.startswith("Hello.")
        assert session.get(SmsInboundMessage, sid).answered_at is not None
    engine.dispose()


def test_consent_and_sharing_work_on_postgresql(postgres_url):
    from datetime import timedelta

    from bot.services.consent import ledger as consent
    from bot.services.consent import sharing
    from bot.services.wrap import plan as wrap
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade_to_head
    from bot.store.models import utc_now
    from tests.support.caseloads import add_coordinator, add_person, enrol

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    Session = sessionmaker(bind=engine, future=True)
    now = utc_now()
    with Session.begin() as session:
        person_id = add_person(session)
        coordinator_id = add_coordinator(session, "Sam", "email", "sam@example.nhs.uk")
        enrol(session, coordinator_id, person_id, started_at=now - timedelta(days=1))
        wrap.save_answer(session, wrap.plan_for(session, person_id), "triggers", "crowds", "sms")
        result = sharing.share_with_coordinator(session, person_id, ["triggers"], "sms", wording="Share?", now=now)
        assert result.notification is not None
        consent.withdraw(session, person_id, coordinator_id, ["triggers"], wording="Stop", channel="sms", now=now)
    with Session.begin() as session:
        assert consent.active_categories(session, person_id, coordinator_id, now=now) == set()
        consent.grant(session, person_id, coordinator_id, ["triggers"], wording="Share?", channel="sms", now=now)
        assert [s.category for s in sharing.visible_to(session, person_id, coordinator_id, now=now)] == ["triggers"]
        later = consent.review_date(now) + timedelta(seconds=1)
        assert consent.needs_review(session, person_id, coordinator_id, now=later) == {"triggers"}
    engine.dispose()


def test_linking_by_code_joins_people_and_plans_on_postgresql(postgres_url):
    from datetime import datetime, timezone

    from bot.services.guided.flow_positions import get_position, set_position
    from bot.services.people import identity_links
    from bot.services.people.lookup import identity_for_address
    from bot.services.recovery import checkins, goals
    from bot.services.wrap import plan as wrap
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade_to_head

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    Session = sessionmaker(bind=engine, future=True)
    now = datetime.now(timezone.utc)
    with Session.begin() as session:
        web = identity_for_address(session, "webchat", "conversation-1")
        wrap.save_answer(session, wrap.plan_for(session, web.person_id), "triggers", "crowds", "webchat")
        set_position(session, web.person_id, "goals", "ask_goal")
        sms = identity_for_address(session, "sms", "+447700900123")
        wrap.save_answer(session, wrap.plan_for(session, sms.person_id), "triggers", "payday", "sms")
        goals.add_goal(session, sms.person_id, "walk to the park", "sms")
        set_position(session, sms.person_id, "goals", "step:1")  # clashes: the web chat's is kept
        checkins.set_rhythm(session, sms.person_id, checkins.parse_rhythm("every monday at 10am"))
        code = identity_links.make_code(session, web, now).code
    with Session.begin() as session:
        sms = identity_for_address(session, "sms", "+447700900123")
        result = identity_links.redeem(session, sms, f"link {code}", now)
        assert result == identity_links.Redeemed(identity_links.LinkResult.linked, identity_links.PlanOutcome.combined)
    with Session.begin() as session:
        sms = identity_for_address(session, "sms", "+447700900123")
        assert sms.person_id == identity_for_address(session, "webchat", "conversation-1").person_id
        assert sorted(item.text for item in wrap.current_items(session, wrap.plan_for(session, sms.person_id))) == [
            "crowds",
            "payday",
        ]
        assert (
            identity_links.redeem(session, sms, f"link {code}", now).result is identity_links.LinkResult.already_linked
        )
        assert [goal.text for goal in goals.active_goals(session, sms.person_id)] == ["walk to the park"]
        assert get_position(session, sms.person_id, "goals") == "ask_goal"
        assert checkins.schedule_for(session, sms.person_id) is not None
    engine.dispose()


def test_carers_link_by_code_see_only_what_is_shared_and_leave_messages_on_postgresql(postgres_url):
    from datetime import datetime, timezone

    from bot.services.carers import carers
    from bot.services.people.lookup import identity_for_address
    from bot.services.wrap import plan as wrap
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade_to_head
    from bot.store.models import Person, Role

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    Session = sessionmaker(bind=engine, future=True)
    now = datetime.now(timezone.utc)
    with Session.begin() as session:
        person = Person(role=Role.service_user)
        session.add(person)
        session.flush()
        person_id = person.id
        plan = wrap.plan_for(session, person_id)
        wrap.save_answer(session, plan, "triggers", "crowds", "sms")
        wrap.save_answer(session, plan, "supporters", "my sister", "sms")
        made = carers.make_code(session, person_id, "mum", now)
        carers.set_access(session, person_id, made.link_id, ["crisis_plan"], channel="sms", now=now)
    with Session.begin() as session:
        carer = identity_for_address(session, "sms", "+447700900999")
        assert carers.redeem(session, carer, made.code, now).result is carers.LinkResult.linked
        assert carers.redeem(session, carer, made.code, now).result is carers.LinkResult.already
    with Session.begin() as session:
        carer_id = identity_for_address(session, "sms", "+447700900999").person_id
        shown = carers.shared_with_carer(session, carer_id, now)
        assert [item.text for item in shown[0].items] == ["my sister"]
        assert (
            carers.leave_message(session, carer_id, "worried", channel="sms", now=now).outcome
            is carers.MessageOutcome.no_coordinator
        )
    engine.dispose()


def test_sign_in_throttling_disabling_and_sessions_work_on_postgresql(postgres_url):
    """Failures per address (aware timestamps on PostgreSQL), disable and reset ending sessions."""
    from datetime import timedelta

    from bot.services.staff import accounts as staff
    from bot.services.staff import web_sessions
    from bot.store.db import make_engine
    from bot.store.migrate import upgrade_to_head
    from bot.store.models import utc_now

    upgrade_to_head(postgres_url)
    engine = make_engine(postgres_url)
    Session = sessionmaker(bind=engine, future=True)
    now = utc_now()
    with Session.begin() as session:
        account = staff.create_coordinator(session, "pg.sam", "Sam", "email", "sam@example.org")
        staff.set_password(session, account, "a long enough test password", now=now)
        token = web_sessions.start(session, account, None, now)
    for n in range(5):
        with Session.begin() as session:
            staff.sign_in(session, "pg.sam", f"wrong {n}", address="198.51.100.7", now=now)
    with Session.begin() as session:
        refused = staff.sign_in(session, "pg.sam", "a long enough test password", address="198.51.100.7", now=now)
        elsewhere = staff.sign_in(session, "pg.sam", "a long enough test password", address="203.0.113.9", now=now)
        later = staff.sign_in(
            session, "pg.sam", "a long enough test password", address="198.51.100.7", now=now + timedelta(minutes=16)
        )
    assert refused.refusal is staff.Refusal.throttled
    assert elsewhere.outcome is staff.SignIn.ok and later.outcome is staff.SignIn.ok
    with Session.begin() as session:
        assert staff.disable(session, staff.account_by_username(session, "pg.sam"), now=now) == 1
        assert web_sessions.current(session, token, now) is None
        assert (
            staff.sign_in(session, "pg.sam", "a long enough test password", now=now).refusal is staff.Refusal.disabled
        )
    engine.dispose()
