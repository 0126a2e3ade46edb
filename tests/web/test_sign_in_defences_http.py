"""Dashboard accounts under attack, over real HTTP (issue 21 item 7).

Different client addresses are real: each Browser here connects from its own 127.x.y.z socket
address, or (for the dashboard started behind a "proxy") sends X-Forwarded-For with
TRUSTED_PROXY_COUNT=1, as Caddy does. Unknown username, wrong password, disabled account and a
throttled address must all look the same; guessing from one address must not lock the owner
out elsewhere; a password reset or disable-user ends every session at once.
"""

from __future__ import annotations

import io
import random
import re

import pytest
from sqlalchemy import select, text

from bot.admin import main as admin_main
from bot.store.audit_models import AuditEntry
from bot.store.db import unit_of_work
from bot.store.staff_models import SignInFailure
from tests.support.coordinators import PASSWORD, make_coordinator
from tests.web.conftest import Browser, start_dashboard, stop_dashboard

ATTACKER_IP, OWNER_IP = "198.51.100.7", "203.0.113.9"  # documentation ranges (RFC 5737)


def fresh_address() -> str:
    """A loopback address no other test uses (the dashboard listens on 127.0.0.1)."""
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@pytest.fixture
def browsers(dashboard_url):
    """Browsers on the usual dashboard, each from its own client socket address."""
    made: list[Browser] = []

    def make(address: str | None = None) -> Browser:
        made.append(Browser(dashboard_url, from_address=address or fresh_address()))
        return made[-1]

    yield make
    for browser in made:
        browser.close()


@pytest.fixture(scope="module")
def proxied_url(migrated_database, tmp_path_factory):
    """The dashboard as deployed behind Caddy: one trusted proxy adding X-Forwarded-For."""
    server, url = start_dashboard(tmp_path_factory.mktemp("proxied") / "server.log", TRUSTED_PROXY_COUNT="1")
    yield url
    stop_dashboard(server)


def admin(*argv: str, stdin: str = "") -> str:
    out = io.StringIO()
    assert admin_main(list(argv), stdin=io.StringIO(stdin), out=out) == 0
    return out.getvalue()


def answer(reply) -> str:
    """The page without its one-time CSRF token, to compare answers exactly."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', reply.text)


def refused(reply) -> bool:
    return reply.url.endswith("/sign-in") and "That did not work" in reply.text


def test_unknown_wrong_disabled_and_throttled_all_get_the_very_same_answer(browsers):
    username, _ = make_coordinator()
    disabled, _ = make_coordinator()
    admin("disable-user", disabled)
    throttled, _ = make_coordinator()
    attacker = browsers()
    for attempt in range(5):
        attacker.sign_in(throttled, f"guess number {attempt}")

    replies = {
        "unknown username": browsers().sign_in("nobody.at.all", PASSWORD),
        "wrong password": browsers().sign_in(username, "not the password at all"),
        "disabled, right password": browsers().sign_in(disabled, PASSWORD),
        "throttled, right password": attacker.sign_in(throttled, PASSWORD),
    }
    pages = {answer(reply) for reply in replies.values()}
    assert {reply.status_code for reply in replies.values()} == {200} and len(pages) == 1
    assert all(refused(reply) for reply in replies.values())
    assert "locked" not in pages.pop().lower()


def test_guessing_from_one_address_does_not_lock_the_owner_out_from_another(browsers):
    username, _ = make_coordinator()
    attacker, owner = browsers(), browsers()
    for attempt in range(8):
        assert refused(attacker.sign_in(username, f"guess number {attempt}"))
    assert refused(attacker.sign_in(username, PASSWORD))  # the right one too, from there
    signed_in = owner.sign_in(username)
    assert signed_in.url.endswith("/caseload") and "Signed in as Sam" in signed_in.text


def test_one_address_trying_many_usernames_is_refused_for_all_of_them(browsers):
    username, _ = make_coordinator()
    sprayer = browsers()
    for n in range(20):
        sprayer.sign_in(f"maybe.user{n}", "Summer2024!!")
    assert refused(sprayer.sign_in(username, PASSWORD))
    assert browsers().sign_in(username).url.endswith("/caseload")


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(browsers):
    username, _ = make_coordinator()
    attacker = browsers()
    for n in range(5):  # a new made-up address in the header every time
        attacker.sign_in(username, f"guess number {n}")
        attacker.headers["X-Forwarded-For"] = f"192.0.2.{n + 1}"
    attacker.headers["X-Forwarded-For"] = OWNER_IP
    assert refused(attacker.sign_in(username, PASSWORD))
    assert browsers().sign_in(username).url.endswith("/caseload")


def test_behind_the_proxy_each_client_is_counted_by_its_forwarded_address(proxied_url):
    username, _ = make_coordinator()
    with Browser(proxied_url) as attacker, Browser(proxied_url) as owner:
        attacker.headers["X-Forwarded-For"] = ATTACKER_IP
        for n in range(5):
            assert refused(attacker.sign_in(username, f"guess number {n}"))
        assert refused(attacker.sign_in(username, PASSWORD))
        # Putting the owner's address first does not help: the proxy appends the real one.
        attacker.headers["X-Forwarded-For"] = f"{OWNER_IP}, {ATTACKER_IP}"
        assert refused(attacker.sign_in(username, PASSWORD))
        owner.headers["X-Forwarded-For"] = OWNER_IP
        assert owner.sign_in(username).url.endswith("/caseload")
    with unit_of_work() as session:
        assert session.execute(select(SignInFailure)).scalars().first() is not None
        for table in ("sign_in_failures", "audit_entries"):
            dump = " ".join(str(row) for row in session.execute(text(f"SELECT * FROM {table}")))  # noqa: S608
            assert ATTACKER_IP not in dump and OWNER_IP not in dump and username not in dump


def test_a_password_reset_ends_every_session_of_the_account(browsers):
    username, person_id = make_coordinator()
    laptop, phone = browsers(), browsers()
    assert laptop.sign_in(username).url.endswith("/caseload")
    assert phone.sign_in(username).url.endswith("/caseload")
    admin("set-password", username, "--password-stdin", stdin="new kettle orbit lantern\n")
    assert laptop.get("/caseload").url.endswith("/sign-in")
    assert phone.get("/caseload").url.endswith("/sign-in")
    assert refused(laptop.sign_in(username, PASSWORD))
    assert laptop.sign_in(username, "new kettle orbit lantern").url.endswith("/caseload")
    with unit_of_work() as session:
        details = (
            session.execute(select(AuditEntry.detail).where(AuditEntry.action == "sessions_ended")).scalars().all()
        )
    assert f"staff:{person_id} 2 (password reset)" in details


def test_disable_user_signs_them_out_at_once_and_enable_user_lets_them_back(browsers):
    username, _ = make_coordinator()
    browser = browsers()
    assert browser.sign_in(username).url.endswith("/caseload")
    form_token = browser.csrf()
    said = admin("disable-user", username)
    assert "cannot sign in" in said and "open session has ended" in said
    assert browser.get("/caseload").url.endswith("/sign-in")
    browser.post("/sign-out", {"csrf_token": form_token})  # a form left open does nothing
    assert refused(browser.sign_in(username))
    assert "(disabled)" in admin("caseloads", username)
    assert "Enabled" in admin("enable-user", username)
    assert browser.sign_in(username).url.endswith("/caseload")
