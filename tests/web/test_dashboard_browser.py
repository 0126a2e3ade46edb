"""One path in a real browser (Debian's headless Chromium driven by Playwright): a coordinator
signs in, opens a person, reads what they shared and acknowledges it; the person is told once.
`make browser-deps` installs Chromium; CI runs it on a clean machine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import PASSWORD, enrol, make_coordinator, make_person, save_plan, share

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("ALONGSIDE_SKIP_BROWSER") == "1", reason="browser tests skipped by setting"),
]


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("The browser tests need Chromium: run `make browser-deps` (or set ALONGSIDE_SKIP_BROWSER=1).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def test_sign_in_open_a_person_and_acknowledge(chromium, dashboard_url):
    username, coordinator_id = make_coordinator(name="Sam")
    person_id = make_person(number="+447700900888")
    enrol(username, person_id, label="Robin T.")
    save_plan(person_id, {"triggers": "crowds, payday", "supporters": "my sister Ann"})
    share(person_id, coordinator_id, ["triggers"])

    page = chromium.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{dashboard_url}/caseload")
    assert page.url.endswith("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/caseload")
    row = page.get_by_role("row", name="Robin T.")
    assert "triggers" in row.inner_text() and "2 new" in row.inner_text()

    page.get_by_role("link", name="Robin T.").click()
    page.wait_for_url(f"**/people/{person_id}")
    assert page.get_by_role("heading", name="My triggers").is_visible()
    assert page.get_by_text("crowds").is_visible() and page.get_by_text("my sister Ann").count() == 0
    # The stylesheet loaded under the Content Security Policy (no inline styles, no scripts).
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"

    page.get_by_role("button", name="I have read this: let them know").click()
    page.wait_for_url("**acknowledged=sms")
    assert page.get_by_text("We have sent them a text").is_visible()
    assert page.get_by_role("button", name="I have read this: let them know").count() == 0

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in?signed_out=1")
    page.close()
    assert problems == []
    with unit_of_work() as session:
        messages = session.execute(select(OutboxMessage).where(OutboxMessage.person_id == person_id)).scalars().all()
    assert [m.body for m in messages] == ["Sam has read your triggers. Thank you for sharing."]
