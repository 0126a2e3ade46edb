"""Care coordinators' accounts: creating them, passwords, signing in, lockout.

A coordinator is a Person with the coordinator role plus a StaffAccount. Sign-in counts
failures; after SIGN_IN_MAX_FAILURES in a row the account is locked for SIGN_IN_LOCKOUT_MINUTES
(an administrator can unlock it sooner). Every sign-in, failure and lockout is audited, without
the username or password typed.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.services import audit, passwords
from bot.services.phone_numbers import PhoneNumberError, normalise_phone
from bot.services.times import as_utc
from bot.services.wrap_content import gsm7_problem
from bot.settings import get_settings
from bot.store.models import Person, Role, utc_now
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
            "The display name is sent in text messages, so use plain letters only "
            "(no emoji or curly quotes)."
        )
    return name


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
        failed_sign_ins=0,
    )
    session.add(account)
    session.flush()
    audit.record(session, None, "coordinator_created", None, f"staff:{person.id}", actor_kind="admin")
    return account


def set_password(session: Session, account: StaffAccount, password: str) -> None:
    problem = passwords.password_problem(password)
    if problem:
        raise StaffError(problem)
    account.password_hash = passwords.hash_password(password)
    account.failed_sign_ins = 0
    account.locked_until = None
    session.flush()
    audit.record(session, None, "password_set", None, f"staff:{account.person_id}", actor_kind="admin")


def unlock(session: Session, account: StaffAccount) -> None:
    account.failed_sign_ins = 0
    account.locked_until = None
    session.flush()
    audit.record(session, None, "account_unlocked", None, f"staff:{account.person_id}", actor_kind="admin")


class SignIn(enum.Enum):
    ok = "ok"
    wrong = "wrong"    # unknown username or wrong password: the same answer for both
    locked = "locked"  # too many failures; try again later or ask an administrator


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    account: StaffAccount | None = None
    previous_visit_at: datetime | None = None


def sign_in(session: Session, username: str, password: str, now: datetime | None = None) -> SignInResult:
    """Check a username and password, counting failures and locking after too many."""
    settings = get_settings()
    now = now or utc_now()
    account = account_by_username(session, username) if USERNAME.match(normalise_username(username)) else None
    if account is None:
        passwords.verify_password(password, None)  # take as long as a real check
        audit.record(session, None, "sign_in_failed", None, "unknown username", actor_kind="staff", now=now)
        return SignInResult(SignIn.wrong)
    if is_locked(account, now):
        passwords.verify_password(password, None)
        audit.record(session, account.person_id, "sign_in_locked", None, "refused while locked", now=now)
        return SignInResult(SignIn.locked, account)
    if not passwords.verify_password(password, account.password_hash):
        account.failed_sign_ins = (account.failed_sign_ins or 0) + 1
        if account.failed_sign_ins >= settings.sign_in_max_failures:
            account.locked_until = now + timedelta(minutes=settings.sign_in_lockout_minutes)
            account.failed_sign_ins = 0
            session.flush()
            audit.record(session, account.person_id, "sign_in_locked", None, "locked after failures", now=now)
            return SignInResult(SignIn.locked, account)
        session.flush()
        audit.record(session, account.person_id, "sign_in_failed", None, "wrong password", now=now)
        return SignInResult(SignIn.wrong)
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    previous = account.last_visit_at
    account.failed_sign_ins = 0
    account.locked_until = None
    account.last_visit_at = now
    session.flush()
    audit.record(session, account.person_id, "sign_in", None, "", now=now)
    return SignInResult(SignIn.ok, account, as_utc(previous) if previous else None)


def is_locked(account: StaffAccount, now: datetime | None = None) -> bool:
    return account.locked_until is not None and as_utc(account.locked_until) > (now or utc_now())


def coordinator_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(StaffAccount)).scalar_one()
