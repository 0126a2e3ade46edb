"""Check-ins: rhythms, quiet hours, sending by SMS or waiting for the next chat, opt-out, and
reading answers. Time is passed in (`now`), so the schedule is tested by time travel."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.common.clock import utc_now
from bot.services.messaging.reach import remember_sms_number
from bot.services.recovery import checkins
from bot.services.recovery.checkins import EVERY_DAYS, NONE, WEEKLY, Rhythm
from bot.store.contact_models import SmsContact
from bot.store.db import unit_of_work
from bot.store.goals_models import CheckIn
from bot.store.models import Person
from bot.store.outbox_models import OutboxMessage

LONDON = ZoneInfo("Europe/London")


def london(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(timezone.utc)


SUNDAY_NOON = london(2026, 3, 1, 12)  # winter time (GMT)
_number = iter(range(10_000, 99_999))


@pytest.fixture
def person_id(migrated_database) -> str:
    with unit_of_work() as session:
        person = Person()
        session.add(person)
        session.flush()
        return person.id


def with_phone(person_id: str) -> str:
    with unit_of_work() as session:
        remember_sms_number(session, person_id, f"+4477009{next(_number):05d}")
    return person_id


def set_rhythm(person_id: str, text: str, now: datetime = SUNDAY_NOON):
    with unit_of_work() as session:
        schedule = checkins.set_rhythm(session, person_id, checkins.parse_rhythm(text), now)
        return checkins.as_utc(schedule.next_due_at) if schedule.next_due_at else None


def run(now: datetime) -> list[CheckIn]:
    with unit_of_work() as session:
        return checkins.send_due_checkins(session, now)


def mine(asked: list[CheckIn], person_id: str) -> list[CheckIn]:
    return [checkin for checkin in asked if checkin.person_id == person_id]


def outbox_for(person_id: str) -> list[OutboxMessage]:
    with unit_of_work() as session:
        return list(session.execute(select(OutboxMessage).where(OutboxMessage.person_id == person_id)).scalars())


# -- understanding a rhythm ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("every Monday", Rhythm(WEEKLY, weekday=0)),
        ("weekly on mondays", Rhythm(WEEKLY, weekday=0)),
        ("fridays at 6pm", Rhythm(WEEKLY, weekday=4, local_time=time(18, 0))),
        ("every 3 days", Rhythm(EVERY_DAYS, interval_days=3)),
        ("every three days at 7.30pm", Rhythm(EVERY_DAYS, interval_days=3, local_time=time(19, 30))),
        ("every day at 18:00", Rhythm(EVERY_DAYS, interval_days=1, local_time=time(18, 0))),
        ("fortnightly", Rhythm(EVERY_DAYS, interval_days=14)),
        ("none", Rhythm(NONE)),
        ("never", Rhythm(NONE)),
        ("stop check-ins", Rhythm(NONE)),
        ("every 90 days", None),
        ("banana", None),
        ("", None),
    ],
)
def test_rhythms_in_plain_words(text, expected):
    assert checkins.parse_rhythm(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", ("same", None)),
        ("better", ("better", None)),
        ("Worse.", ("worse", None)),
        ("worse, not sleeping", ("worse", "not sleeping")),
        ("worse not sleeping", ("worse", "not sleeping")),
        ("1 - saw my sister", ("better", "saw my sister")),
        ("about the same", ("same", None)),
        ("a bit better thanks", ("better", "thanks")),
        ("goodness knows", None),
        ("I went to the shops", None),
        ("", None),
    ],
)
def test_reading_a_check_in_reply(text, expected):
    assert checkins.read_reply(text) == expected


# -- the schedule ----------------------------------------------------------------------------------


def test_weekly_on_mondays_at_the_default_time_then_each_week(person_id):
    due = set_rhythm(person_id, "every Monday")
    assert due == london(2026, 3, 2, 10)
    with unit_of_work() as session:
        schedule = checkins.schedule_for(session, person_id)
        assert checkins.next_slot(schedule, due) == london(2026, 3, 9, 10)
        assert checkins.describe(schedule) == "every Monday at 10am"


def test_local_time_holds_across_the_clocks_changing(person_id):
    set_rhythm(person_id, "every Monday", london(2026, 3, 20, 12))
    with unit_of_work() as session:
        schedule = checkins.schedule_for(session, person_id)
        first = checkins.as_utc(schedule.next_due_at)
        second = checkins.next_slot(schedule, first)
    assert first.astimezone(LONDON).hour == 10 and second.astimezone(LONDON).hour == 10
    assert first.hour == 10 and second.hour == 9  # GMT, then BST (clocks went forward 29 March)


def test_every_three_days_from_the_day_it_was_chosen(person_id):
    due = set_rhythm(person_id, "every 3 days at 6pm")
    assert due == london(2026, 3, 4, 18)


def test_a_time_in_quiet_hours_moves_to_when_they_end(person_id):
    set_rhythm(person_id, "every day at 11pm")
    with unit_of_work() as session:
        schedule = checkins.schedule_for(session, person_id)
    assert schedule.local_time == "09:00"


def test_nothing_is_due_before_its_time_and_it_is_sent_once(person_id):
    with_phone(person_id)
    due = set_rhythm(person_id, "every Monday")
    assert mine(run(due - timedelta(minutes=1)), person_id) == []
    asked = mine(run(due), person_id)
    assert len(asked) == 1 and asked[0].channel == "sms" and asked[0].status == "pending"
    assert mine(run(due + timedelta(minutes=5)), person_id) == []  # not twice
    messages = outbox_for(person_id)
    assert len(messages) == 1
    assert messages[0].idempotency_key == f"checkin:{person_id}:{due.isoformat()}"
    assert "1 better" in messages[0].body


def test_quiet_hours_hold_a_late_check_in_until_morning(person_id):
    with_phone(person_id)
    due = set_rhythm(person_id, "every Monday")
    late_evening = london(2026, 3, 2, 22)  # the worker was stopped all day
    assert mine(run(late_evening), person_id) == []
    assert mine(run(london(2026, 3, 3, 8, 59)), person_id) == []
    asked = mine(run(london(2026, 3, 3, 9)), person_id)
    assert len(asked) == 1 and asked[0].due_at.replace(tzinfo=timezone.utc) == due
    with unit_of_work() as session:  # and the next is next Monday, not a backlog
        assert checkins.as_utc(checkins.schedule_for(session, person_id).next_due_at) == london(2026, 3, 9, 10)


def test_without_a_phone_it_waits_for_the_next_chat(person_id):
    due = set_rhythm(person_id, "every Monday")
    asked = mine(run(due), person_id)
    assert asked[0].channel == "chat" and asked[0].status == "pending"
    assert outbox_for(person_id) == []
    with unit_of_work() as session:
        offered = checkins.offer_in_chat(session, person_id, due + timedelta(hours=3))
        assert offered is not None and offered.offered_at is not None


def test_after_stop_by_sms_it_waits_for_the_next_chat(person_id):
    with_phone(person_id)
    with unit_of_work() as session:
        for contact in session.execute(select(SmsContact).where(SmsContact.person_id == person_id)).scalars():
            contact.opted_out_at = utc_now()
    due = set_rhythm(person_id, "every Monday")
    assert mine(run(due), person_id)[0].channel == "chat"
    assert outbox_for(person_id) == []


def test_opting_out_stops_check_ins_and_withdraws_a_waiting_one(person_id):
    due = set_rhythm(person_id, "every Monday")
    run(due)
    assert set_rhythm(person_id, "stop check-ins", due + timedelta(hours=1)) is None
    with unit_of_work() as session:
        assert checkins.pending_checkin(session, person_id) is None
    assert mine(run(due + timedelta(days=7)), person_id) == []


def test_an_unanswered_check_in_is_missed_when_the_next_comes(person_id):
    due = set_rhythm(person_id, "every Monday")
    first = mine(run(due), person_id)[0]
    second = mine(run(due + timedelta(days=7)), person_id)[0]
    with unit_of_work() as session:
        assert session.get(CheckIn, first.id).status == "missed"
        assert checkins.pending_checkin(session, person_id).id == second.id


def test_an_answer_goes_to_the_waiting_check_in_or_makes_its_own(person_id):
    due = set_rhythm(person_id, "every Monday")
    waiting = mine(run(due), person_id)[0]
    with unit_of_work() as session:
        answered = checkins.record_answer(session, person_id, "worse", "not sleeping", "sms", due + timedelta(hours=1))
        assert answered.id == waiting.id and answered.status == "answered"
        own = checkins.record_answer(session, person_id, "better", None, "rest", due + timedelta(days=2))
        assert own.id != waiting.id and own.due_at is None
        checkins.add_note(session, person_id, own.id, "went for a walk")
    with unit_of_work() as session:
        history = checkins.history(session, person_id)
    assert [(c.rating, c.note) for c in history] == [("better", "went for a walk"), ("worse", "not sleeping")]
