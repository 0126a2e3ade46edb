"""What recovery means to me, goals and steps, the stuck rule and review flags: plain services
on a real database, with time passed in (no sleeping)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest
from sqlalchemy import select, text

from bot.services.coordination import review_flags
from bot.services.people.coordinators import coordinator_for
from bot.services.recovery import checkins, goals, stuck
from bot.services.recovery import meaning as recovery
from bot.settings import get_settings
from bot.store.consent_models import ConsentDecision, ConsentRecord, RecipientKind
from bot.store.db import unit_of_work
from bot.store.goals_models import ReviewFlag
from bot.store.models import CaseloadEntry, Person, Role
from bot.store.staff_models import StaffAccount

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)  # a Monday


def new_person(created_at: datetime = T0) -> str:
    with unit_of_work() as session:
        person = Person(role=Role.service_user, created_at=created_at, last_seen_at=created_at)
        session.add(person)
        session.flush()
        return person.id


def add_coordinator(person_id: str, name: str | None = "Sam") -> str:
    with unit_of_work() as session:
        coordinator = Person(role=Role.coordinator)
        session.add(coordinator)
        session.flush()
        if name:
            session.add(StaffAccount(person_id=coordinator.id, username=f"c-{uuid4()}", display_name=name))
        session.add(CaseloadEntry(coordinator_id=coordinator.id, service_user_id=person_id))
        return coordinator.id


@pytest.fixture
def person_id(migrated_database) -> str:
    return new_person()


# -- what recovery means to me -------------------------------------------------------------------


def test_recovery_meaning_is_saved_then_changed_with_the_old_words_kept(person_id):
    with unit_of_work() as session:
        first, changed = recovery.save_meaning(session, person_id, "  getting back to work ", "sms", T0)
        assert changed and first.text == "getting back to work"
    with unit_of_work() as session:
        again, changed = recovery.save_meaning(
            session, person_id, "Getting back to WORK", "sms", T0 + timedelta(days=1)
        )
        assert not changed and again.id == first.id  # the same words change nothing
        new, changed = recovery.save_meaning(session, person_id, "feeling in control", "rest", T0 + timedelta(days=2))
        assert changed
    with unit_of_work() as session:
        assert recovery.current_meaning(session, person_id).text == "feeling in control"
        history = recovery.meaning_history(session, person_id)
        assert [m.text for m in history] == ["getting back to work", "feeling in control"]
        assert history[0].replaced_at is not None and history[1].replaces_id == history[0].id


def test_recovery_meaning_is_encrypted_at_rest(person_id):
    with unit_of_work() as session:
        recovery.save_meaning(session, person_id, "seeing my grandchildren", "sms", T0)
    with unit_of_work() as session:
        raw = session.execute(
            text("SELECT text FROM recovery_meanings WHERE person_id = :p"), {"p": person_id}
        ).scalar_one()
    assert "grandchildren" not in raw


def test_recovery_meaning_needs_words(person_id):
    with unit_of_work() as session, pytest.raises(ValueError):
        recovery.save_meaning(session, person_id, " ... ", "sms", T0)


@pytest.mark.parametrize(
    ("message", "meaning"),
    [
        ("recovery to me means being able to work again", "being able to work again"),
        ("For me recovery is having hope", "having hope"),
        ("what does recovery mean", None),
        ("I want to say what recovery means to me", None),
    ],
)
def test_the_meaning_can_come_with_the_request(message, meaning):
    assert recovery.meaning_in(message) == meaning


# -- goals and steps ---------------------------------------------------------------------------


def test_goals_and_small_steps_in_the_persons_words(person_id):
    with unit_of_work() as session:
        goal = goals.add_goal(session, person_id, "get back to swimming", "sms", T0)
        goals.add_step(session, goal, "find the pool times", "sms", T0)
        goals.add_goal(session, person_id, "see my friends more", "rest", T0 + timedelta(minutes=1))
    with unit_of_work() as session:
        active = goals.active_goals(session, person_id)
        assert [g.text for g in active] == ["get back to swimming", "see my friends more"]
        assert [s.text for s in goals.steps_for(session, active[0])] == ["find the pool times"]
        assert goals.latest_goal(session, person_id).text == "see my friends more"
        with pytest.raises(ValueError):
            goals.add_goal(session, person_id, "   ", "sms")


def test_last_update_is_the_newest_change_anywhere(person_id):
    with unit_of_work() as session:
        assert goals.last_update_at(session, person_id) == T0  # when they first came
        goals.add_goal(session, person_id, "walk more", "sms", T0 + timedelta(days=3))
        assert goals.last_update_at(session, person_id) == T0 + timedelta(days=3)


# -- the stuck rule ------------------------------------------------------------------------------


def check_in(person_id: str, rating: str, at: datetime) -> None:
    with unit_of_work() as session:
        checkins.record_answer(session, person_id, rating, None, "sms", at)


def reason(person_id: str, at: datetime) -> str | None:
    with unit_of_work() as session:
        return stuck.reason_to_offer(session, person_id, at)


def test_no_progress_fires_on_the_threshold_not_before(person_id):
    threshold = get_settings().stuck_checkins
    assert threshold == 3
    with unit_of_work() as session:
        goals.add_goal(session, person_id, "sleep better", "sms", T0)
    at = T0
    for number in range(1, threshold):
        at += timedelta(days=7)
        check_in(person_id, "same" if number % 2 else "worse", at)
        assert reason(person_id, at) is None, f"fired after {number}"
    at += timedelta(days=7)
    check_in(person_id, "worse", at)
    assert reason(person_id, at) == stuck.CHECKINS_NO_PROGRESS


def test_better_breaks_the_run(person_id):
    for days, rating in ((1, "same"), (2, "same"), (3, "better"), (4, "same"), (5, "worse")):
        check_in(person_id, rating, T0 + timedelta(days=days))
    assert reason(person_id, T0 + timedelta(days=5)) is None
    check_in(person_id, "same", T0 + timedelta(days=6))
    assert reason(person_id, T0 + timedelta(days=6)) == stuck.CHECKINS_NO_PROGRESS


def test_after_an_offer_it_waits_for_another_full_run(person_id):
    for days in (1, 2, 3):
        check_in(person_id, "same", T0 + timedelta(days=days))
    with unit_of_work() as session:
        stuck.offer(session, person_id, stuck.CHECKINS_NO_PROGRESS, T0 + timedelta(days=3))
    for days in (4, 5):
        check_in(person_id, "same", T0 + timedelta(days=days))
        assert reason(person_id, T0 + timedelta(days=days)) is None
    check_in(person_id, "worse", T0 + timedelta(days=6))
    assert reason(person_id, T0 + timedelta(days=6)) == stuck.CHECKINS_NO_PROGRESS


def test_no_update_fires_at_stuck_days_not_before(person_id):
    days = get_settings().stuck_days
    assert days == 56
    with unit_of_work() as session:
        goals.add_goal(session, person_id, "get a job", "sms", T0)
    assert reason(person_id, T0 + timedelta(days=days) - timedelta(minutes=1)) is None
    assert reason(person_id, T0 + timedelta(days=days)) == stuck.NO_UPDATE
    with unit_of_work() as session:
        stuck.offer(session, person_id, stuck.NO_UPDATE, T0 + timedelta(days=days))
    assert reason(person_id, T0 + timedelta(days=days + 1)) is None  # not again straight away


def test_a_reflection_saves_each_answer_and_finishes_after_the_last(person_id):
    with unit_of_work() as session:
        reflection = stuck.start(session, person_id, T0)
        assert reflection.reason == stuck.SAID_STUCK
        first = reflection.position_question_id
        stuck.save_answer(session, reflection, "I moved house", T0)
        stuck.advance(session, reflection, T0)
    with unit_of_work() as session:
        reflection = stuck.start(session, person_id, T0)  # carrying on: the same one
        assert reflection.position_question_id != first
        while reflection.position_question_id:
            stuck.save_answer(session, reflection, f"answer to {reflection.position_question_id}", T0)
            stuck.advance(session, reflection, T0)
        assert reflection.finished_at is not None
        saved = stuck.answers(session, reflection)
    assert saved[0].text == "I moved house" and len(saved) == len(stuck.content().steps)


# -- review flags and consent ------------------------------------------------------------------


def grant(person_id: str, coordinator_id: str, decision: ConsentDecision, at: datetime) -> None:
    with unit_of_work() as session:
        session.add(
            ConsentRecord(
                person_id=person_id,
                recipient_kind=RecipientKind.coordinator,
                recipient_id=coordinator_id,
                category="goals_checkins",
                decision=decision,
                purpose="test",
                wording="test",
                channel="sms",
                recorded_at=at,
            )
        )


def open_flags(person_id: str) -> list[ReviewFlag]:
    with unit_of_work() as session:
        return list(session.execute(select(ReviewFlag).where(ReviewFlag.person_id == person_id)).scalars())


def test_no_flag_without_consent(person_id):
    add_coordinator(person_id)
    with unit_of_work() as session:
        assert not review_flags.may_flag_review(session, person_id)
        assert review_flags.flag_review(session, person_id, "said_stuck") is None
    assert open_flags(person_id) == []


def test_no_flag_without_a_coordinator(person_id):
    with unit_of_work() as session:
        assert review_flags.record_consent(session, person_id, "wording", "sms") is None
        assert review_flags.flag_review(session, person_id, "said_stuck") is None


def test_a_flag_with_consent_once_and_not_after_withdrawal(person_id):
    coordinator_id = add_coordinator(person_id, "Sam")
    with unit_of_work() as session:
        review_flags.record_consent(session, person_id, "Let my care coordinator know", "sms", T0)
        first = review_flags.flag_review(session, person_id, "checkins_no_progress", now=T0)
        again = review_flags.flag_review(session, person_id, "said_stuck", now=T0)
        assert first is not None and again.id == first.id  # one open flag, not two
        assert [f.id for f in review_flags.flags_for_coordinator(session, coordinator_id)] == [first.id]
        assert review_flags.clear_flag(session, first.id, coordinator_id, T0 + timedelta(days=1))
    grant(person_id, coordinator_id, ConsentDecision.withdrawn, T0 + timedelta(days=2))
    with unit_of_work() as session:
        assert not review_flags.may_flag_review(session, person_id)
        assert review_flags.flag_review(session, person_id, "said_stuck") is None


def test_the_coordinators_name_comes_from_their_staff_account(person_id):
    with unit_of_work() as session:
        assert coordinator_for(session, person_id) is None
    add_coordinator(person_id, "Priya")
    with unit_of_work() as session:
        assert coordinator_for(session, person_id).name == "Priya"
