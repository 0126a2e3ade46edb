"""Coordinators' accounts: scrypt passwords that are not common, sign-in throttled per address
(never a lock on the account), disabling, sessions ended on reset and disable."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.common.clock import utc_now
from bot.services.staff import accounts as staff
from bot.services.staff import passwords, web_sessions
from bot.services.staff.accounts import Refusal, SignIn, StaffError
from bot.store.audit_models import AuditEntry
from bot.store.db import unit_of_work
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


@pytest.mark.parametrize(
    "common",
    [
        "password1234",
        "Password123!",
        "qwertyuiop12",
        "iloveyouiloveyou",
        "Summer2024!!",
        "Liverpool1892",
        "alongside2026",
        "monkey12345678",
    ],
)
def test_common_or_easily_guessed_passwords_are_refused_in_our_own_words(common):
    problem = passwords.password_problem(common)
    assert problem and "too common or too easy to guess" in problem and "three or four ordinary words" in problem


def test_a_password_made_of_the_persons_own_username_or_name_is_refused():
    inputs = ("jo.kowalczyk", "Jo Kowalczyk")
    assert passwords.password_problem("jo.kowalczyk12", user_inputs=inputs)
    assert passwords.password_problem("kowalczykjo2024", user_inputs=inputs)
    with pytest.raises(StaffError, match="too common or too easy to guess"), unit_of_work() as session:
        account = staff.create_coordinator(session, "jo.kowalczyk", "Jo Kowalczyk", "email", "jo@example.org")
        staff.set_password(session, account, "Kowalczyk2024!")


@pytest.mark.parametrize("good", [PASSWORD, "fish tree lamp cupboard", "trains-fly-purple-kettle", "a" + "b7Qz" * 40])
def test_long_uncommon_passwords_are_accepted(good):
    assert passwords.password_problem(good, user_inputs=("sam.jones", "Sam")) is None


ATTACKER, OWNER = "198.51.100.7", "203.0.113.9"


def sign_in(username, password, now=None, address=ATTACKER):
    with unit_of_work() as session:
        result = staff.sign_in(session, username, password, address=address, now=now)
        return result.outcome, result.previous_visit_at


def refusal(username, password, now=None, address=ATTACKER):
    with unit_of_work() as session:
        return staff.sign_in(session, username, password, address=address, now=now).refusal


def fresh_address() -> str:
    """A client address no other test uses."""
    n = uuid.uuid4().int
    return f"10.{n % 256}.{(n >> 8) % 256}.{(n >> 16) % 254 + 1}"


def audit_of(person_id):
    with unit_of_work() as session:
        return session.execute(
            select(AuditEntry.action, AuditEntry.detail)
            .where(AuditEntry.actor_id == person_id)
            .order_by(AuditEntry.seq)
        ).all()


def test_sign_in_remembers_the_previous_visit():
    username, _ = make_coordinator()
    first_time = utc_now() - timedelta(days=2)
    assert sign_in(username, PASSWORD, now=first_time) == (SignIn.ok, None)
    outcome, previous = sign_in(username, PASSWORD)
    assert outcome is SignIn.ok and previous == first_time


def test_unknown_usernames_wrong_passwords_and_disabled_accounts_get_the_same_answer():
    username, _ = make_coordinator()
    disabled, _ = make_coordinator()
    with unit_of_work() as session:
        staff.disable(session, staff.account_by_username(session, disabled))
    address = fresh_address()
    assert sign_in("nobody.here", PASSWORD, address=address)[0] is SignIn.refused
    assert sign_in(username, "wrong password here", address=address)[0] is SignIn.refused
    assert sign_in(disabled, PASSWORD, address=address)[0] is SignIn.refused
    assert sign_in("", "", address=address)[0] is SignIn.refused
    assert refusal(disabled, PASSWORD, address=address) is Refusal.disabled


def test_failures_slow_down_one_address_and_never_lock_the_owner_out():
    username, person_id = make_coordinator()
    attacker, owner, now = fresh_address(), fresh_address(), utc_now()
    reasons = [refusal(username, f"wrong password {n}", now=now, address=attacker) for n in range(6)]
    assert reasons == [Refusal.wrong_password] * 5 + [Refusal.throttled]
    assert refusal(username, PASSWORD, now=now, address=attacker) is Refusal.throttled  # even the right one
    assert sign_in(username, PASSWORD, now=now, address=owner)[0] is SignIn.ok  # the owner, elsewhere
    later = now + timedelta(minutes=16)
    assert sign_in(username, PASSWORD, now=later, address=attacker)[0] is SignIn.ok  # the window has passed
    actions = [action for action, _ in audit_of(person_id)]
    assert actions.count("sign_in_failed") == 5 and actions.count("sign_in_throttled") == 1  # refusals not one by one
    details = " ".join(detail for _, detail in audit_of(person_id))
    assert "wrong password 1" not in details and PASSWORD not in details and attacker not in details


def test_unknown_usernames_are_throttled_exactly_like_real_ones():
    username, _ = make_coordinator()
    real, unknown = fresh_address(), fresh_address()
    real_reasons = [refusal(username, f"guess {n}", address=real) is Refusal.throttled for n in range(7)]
    unknown_reasons = [refusal("no.such.person", f"guess {n}", address=unknown) is Refusal.throttled for n in range(7)]
    assert real_reasons == unknown_reasons == [False] * 5 + [True] * 2


def test_too_many_failures_from_one_address_refuse_it_for_every_username():
    username, _ = make_coordinator()
    sprayer = fresh_address()
    for n in range(20):
        assert refusal(f"maybe.user{n}", "Summer2024!!", address=sprayer) is not Refusal.throttled
    assert refusal(username, PASSWORD, address=sprayer) is Refusal.throttled
    assert sign_in(username, PASSWORD, address=fresh_address())[0] is SignIn.ok


def test_signing_in_clears_only_that_usernames_failures_from_that_address():
    username, _ = make_coordinator()
    address = fresh_address()
    for n in range(4):
        sign_in(username, f"wrong {n}", address=address)
    assert sign_in(username, PASSWORD, address=address)[0] is SignIn.ok
    for n in range(4):  # four more are allowed: the count started again
        assert refusal(username, f"wrong again {n}", address=address) is Refusal.wrong_password
    # ...but a valid account cannot be used to reset the address's count of other usernames
    assert sign_in(username, PASSWORD, address=address)[0] is SignIn.ok
    for n in range(19):
        sign_in(f"other.user{n}", "guess", address=address)
    assert sign_in(username, PASSWORD, address=address)[0] is SignIn.ok  # 19 in the window: not yet
    sign_in("other.user.last", "guess", address=address)
    assert refusal(username, PASSWORD, address=address) is Refusal.throttled


def test_clearing_an_accounts_failures_lets_every_address_try_it_again():
    username, _ = make_coordinator()
    addresses = [fresh_address(), fresh_address()]
    for address in addresses:
        for n in range(5):
            sign_in(username, f"wrong {n}", address=address)
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        assert staff.refused_addresses(session, account) == 2
        assert staff.clear_failures(session, account) == 10
        assert staff.refused_addresses(session, account) == 0
    assert all(sign_in(username, PASSWORD, address=address)[0] is SignIn.ok for address in addresses)


def test_a_password_reset_ends_every_session_and_forgets_failures():
    username, _ = make_coordinator()
    address, now = fresh_address(), utc_now()
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        tokens = [web_sessions.start(session, account, None, now) for _ in range(2)]
    for n in range(5):
        sign_in(username, f"wrong {n}", address=address)
    with unit_of_work() as session:
        assert (
            staff.set_password(session, staff.account_by_username(session, username), "new kettle orbit lantern") == 2
        )
        assert all(web_sessions.current(session, token, now) is None for token in tokens)
    assert sign_in(username, "new kettle orbit lantern", address=address)[0] is SignIn.ok


def test_a_disabled_account_has_no_session_and_cannot_sign_in_until_enabled():
    username, person_id = make_coordinator()
    now = utc_now()
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        token = web_sessions.start(session, account, None, now)
    with unit_of_work() as session:
        assert staff.disable(session, staff.account_by_username(session, username)) == 1
        assert web_sessions.current(session, token, now) is None
    assert refusal(username, PASSWORD, address=fresh_address()) is Refusal.disabled
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        assert staff.enable(session, account) and not staff.enable(session, account)
    assert sign_in(username, PASSWORD, address=fresh_address())[0] is SignIn.ok
    with unit_of_work() as session:
        actions = (
            session.execute(select(AuditEntry.action).where(AuditEntry.detail.startswith(f"staff:{person_id}")))
            .scalars()
            .all()
        )
    assert {"account_disabled", "account_enabled", "sessions_ended", "password_set"} <= set(actions)


def test_a_session_of_an_account_disabled_behind_its_back_is_refused():
    username, _ = make_coordinator()
    now = utc_now()
    with unit_of_work() as session:
        token = web_sessions.start(session, staff.account_by_username(session, username), None, now)
        staff.account_by_username(session, username).disabled_at = now  # without ending sessions
    with unit_of_work() as session:
        assert web_sessions.current(session, token, now) is None


def test_failures_are_kept_as_keyed_hashes_for_a_day_at_most():
    from bot.services.staff import sign_in_attempts
    from bot.store.staff_models import SignInFailure

    username, _ = make_coordinator()
    long_ago = utc_now() - timedelta(days=2)
    address = fresh_address()
    sign_in(username, "wrong one", now=long_ago, address=address)
    with unit_of_work() as session:
        rows = (
            session.execute(
                select(SignInFailure).where(SignInFailure.address_hash == sign_in_attempts.address_key(address))
            )
            .scalars()
            .all()
        )
        assert len(rows) == 1 and address not in rows[0].address_hash and username not in rows[0].username_hash
        assert sign_in_attempts.forget_old(session, utc_now()) >= 1
        assert (
            session.execute(
                select(SignInFailure).where(SignInFailure.failed_at < utc_now() - timedelta(days=1))
            ).first()
            is None
        )


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
    with pytest.raises(StaffError) as problem, unit_of_work() as session:
        staff.create_coordinator(session, username, name, channel, address)
    assert str(problem.value)[0].isupper()


def test_usernames_are_unique_whatever_the_case():
    username, _ = make_coordinator()
    with pytest.raises(StaffError, match="already"), unit_of_work() as session:
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
