"""A person's own messages to their coordinator on the dashboard, over HTTP against
`python -m bot web`: counted on the caseload, shown on the person's page with "New" once, and
seen by no other coordinator."""

from __future__ import annotations

import uuid

from bot.common.clock import utc_now
from bot.services.coordination import team_messages
from bot.store.db import unit_of_work
from tests.support.coordinators import enrol, make_coordinator, make_person


def person_sends(person_id: str, text: str) -> None:
    with unit_of_work() as session:
        result = team_messages.send(session, person_id, text, channel="sms", now=utc_now())
        assert result.outcome is team_messages.SendOutcome.sent


def test_a_persons_message_is_counted_shown_once_as_new_and_only_to_their_coordinator(browser):
    username, _ = make_coordinator(name="Sam")
    person_id = make_person()
    enrol(username, person_id, label="J.S.")
    marker = f"please ring me about Thursday {uuid.uuid4().hex[:6]}"
    person_sends(person_id, marker)

    caseload = browser.sign_in(username)
    assert "1 new message from them" in caseload.text and marker not in caseload.text
    page = browser.get(f"/people/{person_id}")
    assert page.status_code == 200 and "Messages from J.S." in page.text and marker in page.text
    assert '<span class="tag">New</span> <span class="from"><strong>Sent' in page.text
    again = browser.get(f"/people/{person_id}")
    assert marker in again.text and '<span class="tag">New</span> <span class="from"><strong>Sent' not in again.text
    assert "new message from them" not in browser.get("/caseload").text

    other, _ = make_coordinator(name="Alex")
    browser.sign_in(other)
    reply = browser.get(f"/people/{person_id}")
    assert reply.status_code == 404 and marker not in reply.text
