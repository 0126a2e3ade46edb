"""Coordinators' accounts: scrypt passwords, sign-in, lockout after repeated failures."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services import passwords, staff
from bot.services.staff import SignIn, StaffError
from bot.store.audit_models import AuditEntry
from bot.store.db import unit_of_work
from bot.store.models import utc_now
from tests.support.coordinators import PASSWORD, make_coordinator

pytestmark = pytest.mark.usefixtures("migrated_database")


def test_passwords_are_salted_scrypt_and_check():
    first, second = passwords.hash_password(PASSWORD), passwords.hash_password(PASSWORD)
    assert first.startswith("scrypt$15$8$1$") and first != second and PASSWORD not in first
    assert passwords.verify_password(PASSWORD, first)
    assert not passwords.verify_password(PASSWORD + "x", first)
    assert not passwords.verify_password(PASSWORD, None)
    assert not passwords.verify_password(PASSWORD, "scrypt$not$a$hash")
    assert not passwords.needs_rehash(first)


@pytest.mark.parametrize("bad", ["short", " leading space pw", "aaaaaaaaaaaaaaaa", "x" * 300])
def test_weak_passwords_are_refused_with_a_reason(bad):
    assert passwords.password_problem(bad)


def sign_in(username, password, now=None):
    with unit_of_work() as session:
        result = staff.sign_in(session, username, password, now=now)
        return result.outcome, result.previous_visit_at


def test_sign_in_remembers_the_previous_visit():
    username, _ = make_coordinator()
    first_time = utc_now() - timedelta(days=2)
    assert sign_in(username, PASSWORD, now=first_time) == (SignIn.ok, None)
    outcome, previous = sign_in(username, PASSWORD)
    assert outcome is SignIn.ok and previous == first_time


def test_unknown_usernames_and_wrong_passwords_get_the_same_answer():
    username, _ = make_coordinator()
    assert sign_in("nobody.here", PASSWORD)[0] is SignIn.wrong
    assert sign_in(username, "wrong password here")[0] is SignIn.wrong
    assert sign_in("", "")[0] is SignIn.wrong


def test_lockout_after_five_failures_then_unlock():
    username, person_id = make_coordinator()
    outcomes = [sign_in(username, f"wrong password {n}")[0] for n in range(5)]
    assert outcomes == [SignIn.wrong] * 4 + [SignIn.locked]
    assert sign_in(username, PASSWORD)[0] is SignIn.locked  # even the right password
    later = utc_now() + timedelta(minutes=16)
    assert sign_in(username, PASSWORD, now=later)[0] is SignIn.ok
    for n in range(5):
        sign_in(username, f"wrong again {n}")
    with unit_of_work() as session:
        staff.unlock(session, staff.account_by_username(session, username))
    assert sign_in(username, PASSWORD)[0] is SignIn.ok
    with unit_of_work() as session:
        actions = session.execute(
            select(AuditEntry.action).where(AuditEntry.actor_id == person_id).order_by(AuditEntry.seq)
        ).scalars().all()
        details = " ".join(session.execute(select(AuditEntry.detail)).scalars())
    assert actions.count("sign_in_failed") == 8 and actions.count("sign_in_locked") == 3
    assert "wrong password 1" not in details and PASSWORD not in details


@pytest.mark.parametrize(
    ("username", "name", "channel", "address"),
    [
        ("x", "Sam", "email", "sam@example.org"),
        ("sam smith", "Sam", "email", "sam@example.org"),
        ("sam.ok", "", "email", "sam@example.org"),
        ("sam.ok", "Sam \u201cSammy\u201d", "email", "sam@example.org"),
        ("sam.ok", "Sam", "email", "not an email"),
        ("sam.ok", "Sam", "sms", "call me maybe"),
        ("sam.ok", "Sam", "pigeon", "loft 3"),
    ],
)
def test_bad_account_details_are_refused_kindly(username, name, channel, address):
    with pytest.raises(StaffError) as problem:
        with unit_of_work() as session:
            staff.create_coordinator(session, username, name, channel, address)
    assert str(problem.value)[0].isupper()


def test_usernames_are_unique_whatever_the_case():
    username, _ = make_coordinator()
    with pytest.raises(StaffError, match="already"):
        with unit_of_work() as session:
            staff.create_coordinator(session, username.upper(), "Sam", "email", "s@example.org")


def test_an_sms_address_is_stored_as_e164_and_encrypted():
    from sqlalchemy import text

    username, person_id = make_coordinator(notify="sms")
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        raw = session.execute(
            text("SELECT notify_address FROM staff_accounts WHERE person_id = :id"), {"id": person_id}
        ).scalar_one()
    assert account.notify_address == "+447700900001" and "7700" not in raw
