"""Paths in a real browser (Debian's headless Chromium driven by Playwright): a coordinator
signs in, opens a person, reads what they shared and acknowledges it (the person is told once);
and the whole journey of issue 22: new items marked, read, nothing new after, and a carer's
message with who left it, answered from the page.
`make browser-deps` installs Chromium; CI runs it on a clean machine."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import PASSWORD, enrol, make_coordinator, make_person, save_plan, share
from tests.web.test_carer_reply_http import a_carers_message

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


def test_the_dashboard_journey_new_items_mark_read_and_a_carers_message_answered(chromium, dashboard_url):
    """Issue 22 "Must show": sign in, new items, open, mark read, nothing new after, and a
    carer's message with who left it, answered from the page."""
    username, coordinator_id = make_coordinator(name="Sam")
    person_id = make_person(number="+447700900889")
    enrol(username, person_id, label="Kit M.")
    save_plan(person_id, {"triggers": "loud pubs", "warning_signs": "not eating"})
    share(person_id, coordinator_id, ["triggers", "early_warning_signs"])
    left = a_carers_message(person_id)

    page = chromium.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{dashboard_url}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/caseload")
    row = page.get_by_role("row", name="Kit M.")
    assert "2 new" in row.inner_text() and "1 new message from carers" in row.inner_text()

    page.get_by_role("link", name="Kit M.").click()
    page.wait_for_url(f"**/people/{person_id}")
    # Opened for the first time: each part they share is marked as newly shared.
    for heading in ("Triggers", "Early warning signs"):
        assert page.get_by_role("heading", name=f"{heading} Newly shared with you").is_visible()
    assert page.get_by_text("loud pubs").is_visible() and page.get_by_text("not eating").is_visible()
    message = page.locator(f"#carer-message-{left['message']}")
    assert message.locator(".tag").inner_text() == "New"
    sender = message.locator(".from").inner_text()
    assert re.fullmatch(r"From their brother \(linked since \w+day \d{1,2} \w+ \d{4}\),", sender), sender
    assert "he is not sleeping" in message.inner_text()

    page.get_by_role("button", name="I have read this: let them know").click()
    page.wait_for_url("**acknowledged=sms")
    assert page.get_by_text("We have sent them a text").is_visible()

    page.get_by_role("link", name="Back to your caseload").click()
    page.wait_for_url("**/caseload")
    row = page.get_by_role("row", name="Kit M.")
    assert "Nothing new" in row.inner_text() and "new message" not in row.inner_text()
    assert "Waiting" not in row.inner_text() and row.locator("td").nth(2).inner_text() == "-"

    # They add something: it is new on the caseload and marked New on their page, alone.
    save_plan(person_id, {"trigger_must_do": "go for a walk"})
    page.reload()
    row = page.get_by_role("row", name="Kit M.")
    assert "1 new" in row.inner_text()
    page.get_by_role("link", name="Kit M.").click()
    page.wait_for_url(f"**/people/{person_id}")
    assert page.locator("li.changed").count() == 1
    assert page.locator("li.changed", has_text="go for a walk").locator(".tag").inner_text() == "New"
    assert page.locator(".tag", has_text="Newly shared with you").count() == 0
    message = page.locator(f"#carer-message-{left['message']}")
    message.get_by_label("Reply to this carer").fill("Thank you for telling us. I will ring him today.")
    message.get_by_role("button", name="Send reply").click()
    page.wait_for_url("**replied=texted*")
    message = page.locator(f"#carer-message-{left['message']}")
    reply = message.locator(".reply").inner_text()
    assert re.match(r"Your reply, sent \w+day \d{1,2} \w+ \d{4}, \d\d:\d\d:", reply), reply
    assert "I will ring him today." in reply and message.get_by_label("Reply to this carer").count() == 0

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in?signed_out=1")
    page.close()
    assert problems == []
    with unit_of_work() as session:
        to_carer = (
            session.execute(select(OutboxMessage).where(OutboxMessage.person_id == left["carer"])).scalars().all()
        )
    assert [m.body for m in to_carer if "ring him today" in m.body]
