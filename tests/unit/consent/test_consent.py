"""The consent ledger: append-only, the latest choice wins, reviews, withdrawal at once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.common.clock import utc_now
from bot.services.consent import ledger as consent
from bot.settings import get_settings
from bot.store.consent_models import ConsentDecision, ConsentRecord, RecipientKind
from bot.store.db import unit_of_work
from tests.support.caseloads import add_coordinator, add_person, enrol

WORDING = "Would you like to share your triggers with Sam, your care coordinator?"
HOW = {"wording": WORDING, "channel": "sms"}


@pytest.fixture
def people(migrated_database):
    with unit_of_work() as session:
        person_id = add_person(session)
        coordinator_id = add_coordinator(session, "Sam")
        enrol(session, coordinator_id, person_id)
    return person_id, coordinator_id


def _records(person_id: str) -> list[ConsentRecord]:
    with unit_of_work() as session:
        return list(
            session.execute(
                select(ConsentRecord).where(ConsentRecord.person_id == person_id).order_by(ConsentRecord.recorded_at)
            ).scalars()
        )


def test_the_coordinator_is_the_one_on_whose_caseload_the_person_is_now(migrated_database):
    with unit_of_work() as session:
        person_id = add_person(session)
        assert consent.coordinator_for(session, person_id) is None
        old = add_coordinator(session, "Alex")
        enrol(session, old, person_id, started_at=utc_now() - timedelta(days=300)).ended_at = utc_now() - timedelta(
            days=2
        )
        assert consent.coordinator_for(session, person_id) is None  # that caseload has ended
        new = add_coordinator(session, "Sam")
        enrol(session, new, person_id, started_at=utc_now() - timedelta(days=1))
        assert consent.coordinator_for(session, person_id) == consent.Coordinator(new, "Sam")


def test_every_choice_is_a_new_record_and_the_latest_wins(people):
    person_id, coordinator_id = people
    with unit_of_work() as session:
        consent.grant(session, person_id, coordinator_id, ["triggers", "crisis_plan"], **HOW)
        assert consent.active_categories(session, person_id, coordinator_id) == {"triggers", "crisis_plan"}
        consent.withdraw(session, person_id, coordinator_id, ["crisis_plan"], **HOW)
        assert consent.active_categories(session, person_id, coordinator_id) == {"triggers"}
        consent.grant(session, person_id, coordinator_id, ["crisis_plan"], **HOW)
        assert consent.active_categories(session, person_id, coordinator_id) == {"triggers", "crisis_plan"}
    records = _records(person_id)
    assert [r.decision for r in records if r.category == "crisis_plan"] == [
        ConsentDecision.granted,
        ConsentDecision.withdrawn,
        ConsentDecision.granted,
    ]
    assert [r.decision for r in records if r.category == "triggers"] == [ConsentDecision.granted]
    assert all(r.wording == WORDING and r.channel == "sms" and r.purpose for r in records)
    assert all(r.recipient_kind == RecipientKind.coordinator for r in records)


def test_decisions_in_the_same_instant_keep_their_order(people):
    person_id, coordinator_id = people
    now = datetime(2026, 3, 3, 10, 0, tzinfo=timezone.utc)
    with unit_of_work() as session:
        consent.grant(session, person_id, coordinator_id, ["triggers"], now=now, **HOW)
        consent.withdraw(session, person_id, coordinator_id, ["triggers"], now=now, **HOW)
        assert consent.active_categories(session, person_id, coordinator_id, now=now) == set()
        consent.grant(session, person_id, coordinator_id, ["triggers"], now=now, **HOW)
        assert consent.active_categories(session, person_id, coordinator_id, now=now) == {"triggers"}


def test_withdrawal_takes_effect_at_once_and_only_touches_what_was_shared(people):
    person_id, coordinator_id = people
    with unit_of_work() as session:
        consent.grant(session, person_id, coordinator_id, ["triggers"], **HOW)
    with unit_of_work() as session:
        added = consent.withdraw(session, person_id, coordinator_id, ["triggers", "crisis_plan"], **HOW)
        assert [r.category for r in added] == ["triggers"]  # crisis plan was never shared
    with unit_of_work() as session:  # the next request, in a new transaction
        assert consent.active_categories(session, person_id, coordinator_id) == set()


def test_a_consent_lapses_at_its_review_date_until_the_person_says_yes_again(people):
    person_id, coordinator_id = people
    months = get_settings().consent_review_months
    given = datetime(2026, 1, 31, 9, 0, tzinfo=timezone.utc)
    with unit_of_work() as session:
        [record] = consent.grant(session, person_id, coordinator_id, ["triggers"], now=given, **HOW)
        assert consent.review_date(given) == consent.add_months(given, months)
        due = consent.add_months(given, months)
        before, after = due - timedelta(minutes=1), due + timedelta(minutes=1)
        assert consent.active_categories(session, person_id, coordinator_id, now=before) == {"triggers"}
        assert consent.needs_review(session, person_id, coordinator_id, now=before) == set()
        assert consent.active_categories(session, person_id, coordinator_id, now=after) == set()
        assert consent.needs_review(session, person_id, coordinator_id, now=after) == {"triggers"}
        assert consent.may_ask(session, person_id, coordinator_id, "triggers", now=after)
        consent.grant(session, person_id, coordinator_id, ["triggers"], now=after, **HOW)
        assert consent.active_categories(session, person_id, coordinator_id, now=after) == {"triggers"}


def test_the_review_period_comes_from_settings(people, monkeypatch):
    monkeypatch.setenv("CONSENT_REVIEW_MONTHS", "2")
    get_settings.cache_clear()
    try:
        now = datetime(2026, 1, 10, tzinfo=timezone.utc)
        assert consent.review_date(now) == datetime(2026, 3, 10, tzinfo=timezone.utc)
    finally:
        monkeypatch.delenv("CONSENT_REVIEW_MONTHS")
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 8, 31), 6, datetime(2027, 2, 28)),
        (datetime(2026, 1, 15), 6, datetime(2026, 7, 15)),
        (datetime(2026, 12, 1), 1, datetime(2027, 1, 1)),
        (datetime(2027, 8, 31), 6, datetime(2028, 2, 29)),
    ],
)
def test_months_are_added_by_the_calendar(start, months, expected):
    assert consent.add_months(start, months) == expected


def test_not_now_is_remembered_and_not_asked_again_until_the_review_date(people):
    person_id, coordinator_id = people
    now = utc_now()
    with unit_of_work() as session:
        assert consent.may_ask(session, person_id, coordinator_id, "triggers", now=now)
        consent.decline(session, person_id, coordinator_id, ["triggers"], now=now, **HOW)
        assert not consent.may_ask(session, person_id, coordinator_id, "triggers", now=now + timedelta(days=30))
        assert consent.may_ask(session, person_id, coordinator_id, "triggers", now=consent.review_date(now))
        assert consent.active_categories(session, person_id, coordinator_id, now=now) == set()


def test_an_active_share_is_not_offered_again(people):
    person_id, coordinator_id = people
    with unit_of_work() as session:
        consent.grant(session, person_id, coordinator_id, ["triggers"], **HOW)
        assert not consent.may_ask(session, person_id, coordinator_id, "triggers")
        assert consent.may_ask(session, person_id, coordinator_id, "crisis_plan")


def test_who_can_see_my_plan_lists_each_recipient_with_what_they_see(people):
    person_id, coordinator_id = people
    long_ago = utc_now() - timedelta(days=400)
    with unit_of_work() as session:
        assert consent.sharing_overview(session, person_id) == []
        consent.grant(session, person_id, coordinator_id, ["early_warning_signs"], now=long_ago, **HOW)
        consent.grant(session, person_id, coordinator_id, ["triggers"], **HOW)
        carer_id = add_person(session)
        consent.grant(session, person_id, carer_id, ["crisis_plan"], recipient_kind=RecipientKind.carer, **HOW)
        overview = consent.sharing_overview(session, person_id)
    assert [(r.kind, r.name) for r in overview] == [(RecipientKind.coordinator, "Sam"), (RecipientKind.carer, None)]
    assert overview[0].active == {"triggers"} and overview[0].to_review == {"early_warning_signs"}
    assert overview[1].active == {"crisis_plan"}


def test_bad_records_are_refused(people):
    person_id, coordinator_id = people
    with unit_of_work() as session:
        with pytest.raises(ValueError):
            consent.grant(session, person_id, coordinator_id, ["passwords"], **HOW)
        with pytest.raises(ValueError):
            consent.grant(session, person_id, coordinator_id, ["triggers"], wording=" ", channel="sms")
