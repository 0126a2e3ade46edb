"""Replying to a carer's message from the dashboard, over HTTP against `python -m bot web`: the
reply is posted with the session's CSRF token, sent to the carer through the outbox, shown
under the message, and a bad token, an empty or over-long reply or an ended link get a kind
page that says why (never a 500), with nothing sent."""

from __future__ import annotations

import html
import re
import uuid
from datetime import datetime, timezone

from sqlalchemy import select

from bot.services.carers import carers, replies
from bot.services.messaging import reach
from bot.services.people.lookup import identity_for_address, person_for_address
from bot.store.audit_models import AuditEntry
from bot.store.carer_models import CarerMessage
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import enrol, make_coordinator, make_person


def a_carers_message(person_id: str) -> dict[str, str]:
    """A carer the person linked (texting from a number we know) leaves a message."""
    now = datetime.now(timezone.utc)
    address = ("sms", f"carer-{uuid.uuid4()}")
    with unit_of_work() as session:
        made = carers.make_code(session, person_id, "brother", now)
    with unit_of_work() as session:
        carers.redeem(session, identity_for_address(session, *address), made.code, now)
    with unit_of_work() as session:
        carer_id = person_for_address(session, *address).id
        reach.remember_sms_number(session, carer_id, f"+4477009{uuid.uuid4().int % 100000:05d}")
        result = carers.leave_message(session, carer_id, "he is not sleeping", channel="sms", now=now)
    return {"carer": carer_id, "message": result.message_ids[0], "link": made.link_id}


def a_coordinator_with_a_carers_message() -> dict[str, str]:
    username, coordinator_id = make_coordinator(name="Sam")
    person_id = make_person()
    enrol(username, person_id, label="J.S.")
    return {"username": username, "coordinator": coordinator_id, "person": person_id, **a_carers_message(person_id)}


def reply_path(setting: dict[str, str]) -> str:
    return f"/people/{setting['person']}/carer-messages/{setting['message']}/reply"


def visible_text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def replies_queued(carer_id: str) -> list[OutboxMessage]:
    with unit_of_work() as session:
        return list(
            session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.person_id == carer_id, OutboxMessage.purpose == replies.PURPOSE
                )
            ).scalars()
        )


def test_a_coordinator_replies_to_a_carer_and_sees_the_reply_under_the_message(browser):
    setting = a_coordinator_with_a_carers_message()
    browser.sign_in(setting["username"])
    page = browser.get(f"/people/{setting['person']}")
    assert page.status_code == 200 and 'name="reply"' in page.text and reply_path(setting) in page.text
    assert "Reply to this carer" in page.text

    marker = f"Thank you, we will ring him today {uuid.uuid4().hex[:6]}"
    sent = browser.post(reply_path(setting), {"csrf_token": browser.csrf(), "reply": marker})
    assert sent.status_code == 200 and sent.url.split("#")[0].endswith("?replied=texted")
    shown = visible_text(sent.text)
    assert "Alongside is sending your reply to the carer by text" in shown
    assert re.search(r"Your reply, sent \w+day \d{1,2} \w+ \d{4}, \d\d:\d\d: " + re.escape(marker), shown), shown
    assert 'name="reply"' not in sent.text  # one reply per message: the box has gone

    [queued] = replies_queued(setting["carer"])
    assert queued.body == f"A message from Sam, care coordinator for the person you support: {marker}"
    with unit_of_work() as session:
        assert session.get(CarerMessage, setting["message"]).reply_text == marker
        [entry] = session.execute(
            select(AuditEntry).where(
                AuditEntry.action == "carer_message_replied", AuditEntry.subject_person_id == setting["person"]
            )
        ).scalars()
        assert entry.actor_id == setting["coordinator"] and "ring" not in entry.detail


def test_a_bad_csrf_token_gets_a_kind_page_and_nothing_is_sent(browser):
    setting = a_coordinator_with_a_carers_message()
    browser.sign_in(setting["username"])
    browser.get(f"/people/{setting['person']}")
    for token in ("not-the-token", ""):
        refused = browser.post(reply_path(setting), {"csrf_token": token, "reply": "Hello"})
        assert refused.status_code == 400 and "That did not work" in refused.text
        assert "The form was out of date or not from this page." in refused.text
    missing = browser.post(reply_path(setting), {"reply": "Hello"})
    assert missing.status_code == 400 and "That did not work" in missing.text
    assert replies_queued(setting["carer"]) == []


def test_an_empty_or_too_long_reply_says_why_on_the_page_and_keeps_what_was_typed(browser):
    setting = a_coordinator_with_a_carers_message()
    browser.sign_in(setting["username"])
    browser.get(f"/people/{setting['person']}")
    token = browser.csrf()
    empty = browser.post(reply_path(setting), {"csrf_token": token, "reply": "   "})
    assert empty.status_code == 400
    shown = visible_text(empty.text)
    assert "Your reply was not sent" in shown and "Your reply was empty, so nothing was sent" in shown
    assert 'name="reply"' in empty.text and "he is not sleeping" in shown  # still the person's page

    limit = replies.max_reply_chars("Sam")
    draft = "We are worried too " + "x" * limit
    long = browser.post(reply_path(setting), {"csrf_token": token, "reply": draft})
    assert long.status_code == 400
    assert f"Please make it {limit} characters or fewer" in visible_text(long.text)
    assert draft in long.text  # nothing lost: still in the box
    assert replies_queued(setting["carer"]) == []
    with unit_of_work() as session:
        assert session.get(CarerMessage, setting["message"]).replied_at is None


def test_a_reply_to_a_carer_whose_link_has_ended_cannot_be_sent_and_the_page_says_why(browser):
    setting = a_coordinator_with_a_carers_message()
    browser.sign_in(setting["username"])
    browser.get(f"/people/{setting['person']}")
    token = browser.csrf()
    with unit_of_work() as session:
        carers.remove_link(session, setting["person"], setting["link"], channel="sms")
    page = browser.get(f"/people/{setting['person']}")
    assert 'name="reply"' not in page.text
    assert "the person has ended their link with this carer" in visible_text(page.text)
    refused = browser.post(reply_path(setting), {"csrf_token": token, "reply": "Are you there?"})
    assert refused.status_code == 400
    assert "This reply cannot be sent: the person has ended their link with this carer" in visible_text(refused.text)
    assert replies_queued(setting["carer"]) == []


def test_another_coordinator_cannot_reply(browser):
    setting = a_coordinator_with_a_carers_message()
    other, _ = make_coordinator(name="Alex")
    browser.sign_in(other)
    browser.get("/caseload")
    refused = browser.post(reply_path(setting), {"csrf_token": browser.csrf(), "reply": "Hello"})
    assert refused.status_code == 404 and "Page not found" in refused.text
    made_up = f"/people/{setting['person']}/carer-messages/not-an-id/reply"
    assert browser.post(made_up, {"csrf_token": browser.csrf(), "reply": "Hello"}).status_code == 404
    assert replies_queued(setting["carer"]) == []
