"""Wrong code tries: limits per sender, per source (client address) and overall, that slow
guessing without letting one place lock everyone out; bounded storage; one audit row per limit."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from bot.common.clock import utc_now
from bot.scheduled_jobs import timetable
from bot.services.carers import carers
from bot.services.people import code_tries, enrolment
from bot.services.people import identity_links as links
from bot.services.people.code_tries import CodeKind, Limit, Trier
from bot.services.people.identity_links import LinkResult
from bot.services.people.lookup import identity_for_address
from bot.settings import SettingsError, get_settings
from bot.store.audit_models import AuditEntry
from bot.store.code_try_models import WrongCodeTry
from bot.store.db import unit_of_work
from bot.store.models import Person
from tests.support.coordinators import make_person

pytestmark = pytest.mark.usefixtures("migrated_database")


def new_source() -> str:
    key = code_tries.source_key(f"198.51.100.{uuid4()}")
    assert key is not None
    return key


def link_try(text: str, source: str | None, now=None) -> LinkResult:
    with unit_of_work() as session:
        identity = identity_for_address(session, "webchat", f"webchat-{uuid4()}")
        return links.redeem(session, identity, text, now or utc_now(), source).result


def carer_try(text: str, source: str | None) -> carers.LinkResult:
    with unit_of_work() as session:
        identity = identity_for_address(session, "webchat", f"webchat-{uuid4()}")
        return carers.redeem(session, identity, text, utc_now(), source).result


def enrolment_try(text: str, source: str | None) -> enrolment.Redeemed:
    person_id = make_person()
    with unit_of_work() as session:
        return enrolment.redeem_code(session, session.get(Person, person_id), text, source=source).outcome


def rows_from(source: str) -> int:
    with unit_of_work() as session:
        return session.execute(
            select(func.count()).select_from(WrongCodeTry).where(WrongCodeTry.source_hash == source)
        ).scalar_one()


def limit_audits(since) -> list[str]:
    with unit_of_work() as session:
        return list(
            session.execute(
                select(AuditEntry.detail).where(
                    AuditEntry.action == "code_tries_limit_reached", AuditEntry.recorded_at >= since
                )
            ).scalars()
        )


def test_the_address_is_kept_only_as_a_keyed_hash():
    key = code_tries.source_key("203.0.113.9")
    assert key and "203.0.113.9" not in key and key == code_tries.source_key(" 203.0.113.9 ")
    assert code_tries.source_key("") is None and code_tries.source_key(None) is None


def test_one_place_is_one_source_across_every_kind_of_code():
    """Fresh chats (new senders) from one address, alternating code kinds, share one count."""
    source = new_source()
    per_source = get_settings().code_tries_per_source_per_hour
    outcomes = []
    for n in range(per_source):
        kind = n % 3
        if kind == 0:
            outcomes.append(link_try("link K7P2QZ", source) is LinkResult.wrong)
        elif kind == 1:
            outcomes.append(carer_try("1111-2229", source) is carers.LinkResult.wrong)
        else:
            outcomes.append(enrolment_try("AAAA-0009", source) is enrolment.Redeemed.not_valid)
    assert all(outcomes)
    assert link_try("link K7P2QZ", source) is LinkResult.too_many_tries
    assert carer_try("1111-2229", source) is carers.LinkResult.too_many_tries
    assert enrolment_try("AAAA-0009", source) is enrolment.Redeemed.too_many_tries
    assert link_try("link K7P2QZ", new_source()) is LinkResult.wrong  # another place is not held up
    assert link_try("link K7P2QZ", None) is LinkResult.wrong  # nor SMS, which has no source


def test_refused_tries_are_not_stored_so_one_source_cannot_grow_the_table():
    source = new_source()
    per_source = get_settings().code_tries_per_source_per_hour
    for _ in range(per_source + 20):
        link_try("link K7P2QZ", source)
    assert rows_from(source) == per_source


def test_reaching_a_limit_is_audited_once_not_every_try():
    started = utc_now()
    source = new_source()
    per_source = get_settings().code_tries_per_source_per_hour
    for _ in range(per_source + 5):
        link_try("link K7P2QZ", source)
    details = limit_audits(started)
    assert details.count(f"link codes: {per_source} wrong tries in an hour from one source") == 1, details


def test_the_cap_across_everyone_stops_guessing_from_many_places(monkeypatch):
    """With a small cap (as a test setting), tries from many sources together are stopped."""
    monkeypatch.setenv("CODE_TRIES_PER_SOURCE_PER_HOUR", "1")
    monkeypatch.setenv("CODE_TRIES_OVERALL_PER_HOUR", "10")
    get_settings.cache_clear()
    try:
        later = utc_now() + timedelta(hours=30)  # a quiet hour of its own, after other tests' tries
        with unit_of_work() as session:
            code_tries.forget_old(session, later)
            refused = [
                code_tries.refusal(session, CodeKind.carer, Trier(str(uuid4()), new_source()), later) for _ in range(12)
            ]
            for _ in range(10):
                code_tries.record_wrong_try(session, CodeKind.carer, Trier(str(uuid4()), new_source()), later)
            assert (
                code_tries.refusal(session, CodeKind.carer, Trier(str(uuid4()), new_source()), later) is Limit.overall
            )
            assert code_tries.refusal(session, CodeKind.link, Trier(str(uuid4()), new_source()), later) is None
        assert refused == [None] * 12
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_cap_across_everyone_within_one_sources_reach_is_refused(monkeypatch):
    monkeypatch.setenv("CODE_TRIES_PER_SOURCE_PER_HOUR", "50")
    monkeypatch.setenv("CODE_TRIES_OVERALL_PER_HOUR", "200")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="CODE_TRIES_OVERALL_PER_HOUR"):
            get_settings()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_tries_are_forgotten_after_a_day_by_the_worker():
    source = new_source()
    old = utc_now() - timedelta(days=2)
    with unit_of_work() as session:
        code_tries.record_wrong_try(session, CodeKind.link, Trier(str(uuid4()), source), old)
    assert rows_from(source) == 1
    job = next(job for job in timetable() if job.run is not None and "code" in job.name)
    assert job.run(utc_now()) >= 1
    assert rows_from(source) == 0
