"""Dashboard sessions (idle and absolute expiry, tokens stored hashed) and cookie flags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sanic import response
from sqlalchemy import text

from bot.common.clock import utc_now
from bot.services.staff import accounts as staff
from bot.services.staff import web_sessions
from bot.settings import get_settings
from bot.store.db import unit_of_work
from bot.web import security
from tests.support.coordinators import make_coordinator

pytestmark = pytest.mark.usefixtures("migrated_database")


def start_session(now):
    username, _ = make_coordinator()
    with unit_of_work() as session:
        return web_sessions.start(session, staff.account_by_username(session, username), None, now)


def current(token, now):
    with unit_of_work() as session:
        return web_sessions.current(session, token, now)


def test_a_session_ends_after_30_idle_minutes_but_use_keeps_it_open():
    now = utc_now()
    token = start_session(now)
    assert current(token, now + timedelta(minutes=29))
    assert current(token, now + timedelta(minutes=58))  # 29 minutes after the last request
    assert current(token, now + timedelta(minutes=89)) is None
    assert current(token, now + timedelta(minutes=90)) is None  # and it is gone for good


def test_a_session_ends_after_12_hours_however_busy():
    now = utc_now()
    token = start_session(now)
    for minutes in range(20, 12 * 60, 20):
        assert current(token, now + timedelta(minutes=minutes))
    assert current(token, now + timedelta(hours=12, minutes=1)) is None


def test_only_a_hash_of_the_token_is_stored_and_nonsense_is_nobody():
    token = start_session(utc_now())
    with unit_of_work() as session:
        stored = session.execute(text("SELECT token_hash FROM staff_sessions")).scalars().all()
    assert token not in stored and len(token) >= 40
    assert current("x" * 500, utc_now()) is None and current("", utc_now()) is None and current(None, utc_now()) is None


@pytest.fixture
def https(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://alongside.example.nhs.uk")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_over_https_cookies_are_secure_host_only_and_hsts_is_sent(https):
    reply = response.text("ok")
    security.set_cookie(reply, security.SESSION_COOKIE, "token")
    cookie = str(reply.cookies["__Host-alongside_session"])
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Domain" not in cookie
    assert "Strict-Transport-Security" in security.security_headers()


def test_over_plain_http_locally_cookies_are_not_marked_secure():
    reply = response.text("ok")
    security.set_cookie(reply, security.SESSION_COOKIE, "token")
    assert "Secure" not in str(reply.cookies["alongside_session"])
    assert "Strict-Transport-Security" not in security.security_headers()
