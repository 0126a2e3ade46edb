"""Care coordinators' accounts: creating them, passwords, disabling them, signing in.

A coordinator is a Person with the coordinator role plus a StaffAccount. Sign-in failures are
counted per client address (bot/services/staff/sign_in_attempts.py), never as a lock on the account,
so guessing from one place slows that place down and the owner elsewhere still gets in. Unknown
username, wrong password, disabled account and throttled address get one and the same answer.
A password reset and disabling an account end all its sessions at once. Every sign-in, failure,
throttle and change is audited, without the username or password typed.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, utc_now
from bot.common.sms_text import gsm7_problem
from bot.services.privacy import audit
from bot.services.sms.phone_numbers import PhoneNumberError, normalise_phone
from bot.services.staff import passwords, sign_in_attempts, web_sessions
from bot.store.models import Person, Role
from bot.store.staff_models import StaffAccount

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,39}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_DISPLAY_NAME = 40


class StaffError(ValueError):
    """Bad input for an account; the message says what to do, in plain words."""


def normalise_username(raw: str) -> str:
    return raw.strip().lower()


def check_username(username: str) -> None:
    if not USERNAME.match(username):
        raise StaffError(
            "A username is 3 to 40 characters: small letters, numbers, dots, dashes or underscores, "
            "starting with a letter (for example sam.jones)."
        )


def check_display_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise StaffError("Give the name service users will see, for example Sam.")
    if len(name) > MAX_DISPLAY_NAME:
        raise StaffError(f"The display name can be at most {MAX_DISPLAY_NAME} characters.")
    if gsm7_problem(name):
        raise StaffError(
            "The display name is sent in text messages, so use plain letters only (no emoji or curly quotes)."
        )
    return name


def display_names(session: Session, person_ids: set[str]) -> dict[str, str]:
    """The names staff go by ("Sam"), for showing who did something; an id with no account left
    is simply absent."""
    if not person_ids:
        return {}
    rows = session.execute(
        select(StaffAccount.person_id, StaffAccount.display_name).where(StaffAccount.person_id.in_(sorted(person_ids)))
    ).all()
    return {row.person_id: row.display_name for row in rows}


def account_by_username(session: Session, username: str) -> StaffAccount | None:
    return session.execute(
        select(StaffAccount).where(StaffAccount.username == normalise_username(username))
    ).scalar_one_or_none()


def require_account(session: Session, username: str) -> StaffAccount:
    account = account_by_username(session, username)
    if account is None:
        raise StaffError(
            f"There is no coordinator called {normalise_username(username)!r}. "
            "See them all with: python -m bot admin caseloads"
        )
    return account


def create_coordinator(
    session: Session, username: str, display_name: str, notify_channel: str, notify_address: str
) -> StaffAccount:
    username = normalise_username(username)
    check_username(username)
    display_name = check_display_name(display_name)
    notify_address = notify_address.strip()
    if notify_channel == "sms":
        try:
            notify_address = normalise_phone(notify_address)
        except PhoneNumberError as problem:
            raise StaffError(str(problem)) from None
    elif notify_channel == "email":
        if not EMAIL.match(notify_address) or len(notify_address) > 254:
            raise StaffError("That does not look like an email address (for example sam.jones@nhs.net).")
    else:
        raise StaffError("Notifications go by sms or email.")
    if account_by_username(session, username) is not None:
        raise StaffError(f"There is already a coordinator called {username!r}.")
    person = Person(role=Role.coordinator)
    session.add(person)
    session.flush()
    account = StaffAccount(
        person_id=person.id,
        username=username,
        display_name=display_name,
        notify_channel=notify_channel,
        notify_address=notify_address,
    )
    session.add(account)
    session.flush()
    audit.record(session, None, "coordinator_created", None, f"staff:{person.id}", actor_kind="admin")
    return account


def set_password(session: Session, account: StaffAccount, password: str, now: datetime | None = None) -> int:
    """Set or reset a password. Every session of the account ends (whoever may have had the old
    one is signed out) and its failed sign-ins are forgotten. Returns how many sessions ended."""
    problem = passwords.password_problem(password, user_inputs=(account.username, account.display_name))
    if problem:
        raise StaffError(problem)
    account.password_hash = passwords.hash_password(password)
    session.flush()
    subject = f"staff:{account.person_id}"
    audit.record(session, None, "password_set", None, subject, actor_kind="admin", now=now)
    ended = web_sessions.end_all(session, account.person_id)
    if ended:
        audit.record(
            session, None, "sessions_ended", None, f"{subject} {ended} (password reset)", actor_kind="admin", now=now
        )
    sign_in_attempts.clear_for(session, sign_in_attempts.username_key(account.username))
    return ended


def clear_failures(session: Session, account: StaffAccount) -> int:
    """`admin unlock`: forget this account's failed sign-ins from every address, so no address
    is refused for it any more (an address refused for too many usernames stays refused)."""
    cleared = sign_in_attempts.clear_for(session, sign_in_attempts.username_key(account.username))
    session.flush()
    audit.record(
        session, None, "account_unlocked", None, f"staff:{account.person_id} {cleared} failures", actor_kind="admin"
    )
    return cleared


def disable(session: Session, account: StaffAccount, now: datetime | None = None) -> int:
    """No more sign-ins and every session ends now. Returns how many sessions ended."""
    now = now or utc_now()
    subject = f"staff:{account.person_id}"
    if account.disabled_at is None:
        account.disabled_at = now
        session.flush()
        audit.record(session, None, "account_disabled", None, subject, actor_kind="admin", now=now)
    ended = web_sessions.end_all(session, account.person_id)
    if ended:
        audit.record(
            session, None, "sessions_ended", None, f"{subject} {ended} (disabled)", actor_kind="admin", now=now
        )
    return ended


def enable(session: Session, account: StaffAccount, now: datetime | None = None) -> bool:
    """Undo `disable`. Returns False if the account was not disabled (nothing changes)."""
    if account.disabled_at is None:
        return False
    account.disabled_at = None
    session.flush()
    audit.record(session, None, "account_enabled", None, f"staff:{account.person_id}", actor_kind="admin", now=now)
    return True


def is_disabled(account: StaffAccount) -> bool:
    return account.disabled_at is not None


def refused_addresses(session: Session, account: StaffAccount, now: datetime | None = None) -> int:
    """How many client addresses are refused for this account just now (for the admin)."""
    return sign_in_attempts.refused_addresses(
        session, sign_in_attempts.username_key(account.username), now or utc_now()
    )


class SignIn(enum.Enum):
    ok = "ok"
    refused = "refused"  # one answer for every failure, so it tells an attacker nothing


class Refusal(enum.Enum):
    """Why a sign-in was refused: for the audit log and tests, never shown to the person."""

    unknown_username = "unknown username"
    wrong_password = "wrong password"
    disabled = "account disabled"
    throttled = "too many failures from this address"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    account: StaffAccount | None = None
    previous_visit_at: datetime | None = None
    refusal: Refusal | None = None


def sign_in(
    session: Session, username: str, password: str, address: str | None = None, now: datetime | None = None
) -> SignInResult:
    """Check a username and password from a client address (its IP; only a keyed hash is kept).

    Unknown username, wrong password, disabled account and a throttled address all take the
    same time (one scrypt check), count the same way and give the same answer."""
    now = now or utc_now()
    typed = normalise_username(username)
    address_key, username_key = sign_in_attempts.address_key(address), sign_in_attempts.username_key(typed)
    account = account_by_username(session, typed) if USERNAME.match(typed) else None
    actor = account.person_id if account is not None else None

    if sign_in_attempts.refusal(session, address_key, username_key, now):
        passwords.verify_password(password, None)  # take as long as a real check
        return SignInResult(SignIn.refused, refusal=Refusal.throttled)

    matches = passwords.verify_password(password, account.password_hash if account is not None else None)
    if account is not None and matches and not is_disabled(account):
        return _signed_in(session, account, password, address_key, username_key, now)

    refusal = (
        Refusal.unknown_username
        if account is None
        else Refusal.disabled
        if is_disabled(account)
        else Refusal.wrong_password
    )
    audit.record(session, actor, "sign_in_failed", None, refusal.value, now=now)
    throttled = sign_in_attempts.record_failure(session, address_key, username_key, now)
    if throttled:
        # Recorded once, when it starts; the refused tries after it are not (they are bounded
        # by nothing, and would let an attacker fill the audit log).
        audit.record(session, actor, "sign_in_throttled", None, f"{throttled} limit reached", now=now)
    return SignInResult(SignIn.refused, refusal=refusal)


def _signed_in(
    session: Session, account: StaffAccount, password: str, address_key: str, username_key: str, now: datetime
) -> SignInResult:
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    previous = account.last_visit_at
    account.last_visit_at = now
    # This username's failures from this address are forgotten; the address's failures for
    # other usernames still count, so a valid account cannot be used to reset the throttle.
    sign_in_attempts.clear_for(session, username_key, address_key)
    session.flush()
    audit.record(session, account.person_id, "sign_in", None, "", now=now)
    return SignInResult(SignIn.ok, account, as_utc(previous) if previous else None)


def coordinator_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(StaffAccount)).scalar_one()
