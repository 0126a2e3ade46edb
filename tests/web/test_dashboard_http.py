"""The dashboard over HTTP against the running app and the real database: sign-in and out,
failed sign-in, CSRF, who may see whom, consent on every request, acknowledgement, audit, bad input."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from bot.services.privacy import audit
from bot.store.audit_models import AuditEntry
from bot.store.consent_models import ShareEvent
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import PASSWORD, consent, enrol, make_coordinator, make_person, save_plan, share

PLAN = {"triggers": "crowds, payday", "warning_signs": "not sleeping", "supporters": "my sister Ann"}


def person_on_caseload(username: str, coordinator_id: str, shared=("triggers",), number="+447700900444", label="J.S."):
    person_id = make_person(number=number)
    enrol(username, person_id, label=label)
    save_plan(person_id, PLAN)
    event_id = share(person_id, coordinator_id, list(shared)) if shared else None
    return person_id, event_id


@pytest.fixture
def coordinator():
    return make_coordinator(name="Sam")


# -- signing in and out -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/caseload", "/", f"/people/{uuid.uuid4()}", f"/people/{uuid.uuid4()}/summary"])
def test_signed_out_visitors_are_sent_to_sign_in(browser, path):
    reply = browser.get(path, allow_redirects=False)
    assert reply.status_code == 303 and reply.headers["Location"] in ("/sign-in", "/caseload")
    assert browser.get(path).url.endswith("/sign-in")


def test_sign_in_shows_the_caseload_and_sign_out_ends_the_session(browser, coordinator):
    username, coordinator_id = coordinator
    person_on_caseload(username, coordinator_id, label="Jo S.")
    reply = browser.sign_in(username)
    assert reply.url.endswith("/caseload") and "Jo S." in reply.text and "Signed in as Sam" in reply.text
    cookie = next(c for c in reply.history[0].raw.headers.getlist("Set-Cookie") if c.startswith("alongside_session="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    stolen = dict(browser.cookies)
    browser.post("/sign-out", {"csrf_token": browser.csrf()})
    assert browser.last.url.endswith("/sign-in?signed_out=1") and "You have signed out" in browser.last.text
    assert browser.get("/caseload").url.endswith("/sign-in")
    browser.cookies.update(stolen)  # the old cookie, replayed after sign-out
    assert browser.get("/caseload").url.endswith("/sign-in")


def test_a_wrong_password_says_so_and_never_locks_the_account(browser, coordinator):
    # Failures are counted per client address (tests/web/test_sign_in_defences_http.py has the
    # throttle); a wrong password just says it did not work, the same as for anyone.
    username, _ = coordinator
    reply = browser.sign_in(username, "wrong password here")
    assert "That did not work" in reply.text and "username or password was not right" in reply.text
    assert "locked" not in reply.text.lower()
    assert browser.get("/caseload").url.endswith("/sign-in")
    assert browser.sign_in(username, PASSWORD).url.endswith("/caseload")


def test_an_unknown_username_gets_the_same_answer(browser):
    assert "username or password was not right" in browser.sign_in("nobody.at.all", PASSWORD).text


def test_sign_in_without_its_csrf_token_is_refused(browser, coordinator):
    username, _ = coordinator
    browser.get("/sign-in")
    reply = browser.post("/sign-in", {"username": username, "password": PASSWORD})
    assert reply.status_code == 400 and "out of date" in reply.text
    browser.cookies.clear()
    forged = browser.post("/sign-in", {"csrf_token": "0" * 64, "username": username, "password": PASSWORD})
    assert forged.status_code == 400
    assert browser.get("/caseload").url.endswith("/sign-in")


# -- who may see what -------------------------------------------------------------------------


def test_only_consented_sections_are_shown(browser, coordinator):
    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id, shared=("triggers",))
    browser.sign_in(username)
    page = browser.get(f"/people/{person_id}")
    assert page.status_code == 200 and "crowds" in page.text and "payday" in page.text
    assert "not sleeping" not in page.text and "my sister Ann" not in page.text
    assert "Early warning signs" not in page.text and "Triggers" in page.text


def test_another_coordinators_person_is_a_404_with_no_data(browser, coordinator):
    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id)
    other_username, _ = make_coordinator(name="Ali")
    browser.sign_in(other_username)
    for path in (
        f"/people/{person_id}",
        f"/people/{person_id}/summary",
        f"/people/{uuid.uuid4()}",
        "/people/not-an-id",
    ):
        page = browser.get(path)
        assert page.status_code == 404 and "crowds" not in page.text and "J.S." not in page.text
    refused = browser.get("/caseload")
    browser.post(f"/people/{person_id}/acknowledge", {"csrf_token": browser.csrf()})
    assert browser.last.status_code == 404 and "J.S." not in refused.text
    with unit_of_work() as session:
        assert (
            session.execute(select(ShareEvent.acknowledged_at).where(ShareEvent.person_id == person_id)).scalar_one()
            is None
        )


def test_withdrawn_consent_hides_the_content_on_the_next_request(browser, coordinator):
    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id, shared=("triggers", "crisis_plan"))
    browser.sign_in(username)
    assert "my sister Ann" in browser.get(f"/people/{person_id}").text
    consent(person_id, coordinator_id, "crisis_plan", "withdrawn")
    page = browser.get(f"/people/{person_id}")
    assert "my sister Ann" not in page.text and "crowds" in page.text
    assert "my sister Ann" not in browser.get(f"/people/{person_id}/summary").text
    consent(person_id, coordinator_id, "triggers", "withdrawn")
    page = browser.get(f"/people/{person_id}")
    assert "crowds" not in page.text and "has not shared anything with you" in page.text


def test_the_printable_summary_holds_the_saved_items_only(browser, coordinator):
    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id, shared=("triggers", "crisis_plan"))
    browser.sign_in(username)
    summary = browser.get(f"/people/{person_id}/summary")
    assert summary.status_code == 200 and "Shared plan: J.S." in summary.text
    items = re.findall(r'<span class="answer">([^<]*)</span>', summary.text)
    assert items == ["crowds", "payday", "my sister Ann"]
    assert '<link rel="stylesheet" href="/static/dashboard.css">' in summary.text
    css = browser.get("/static/dashboard.css")
    assert css.status_code == 200 and "@media print" in css.text


# -- what is new (issue 22.7) -----------------------------------------------------------------


def caseload_row(caseload_html: str, person_id: str) -> str:
    """The caseload table's row for one person, as HTML."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", caseload_html, flags=re.S)
    return next(row for row in rows if f'href="/people/{person_id}"' in row)


def test_new_stays_new_at_the_next_sign_in_until_the_persons_page_is_opened(browser, coordinator):
    username, coordinator_id = coordinator
    opened, _ = person_on_caseload(username, coordinator_id, shared=("triggers",), label="Jo S.")
    unopened, _ = person_on_caseload(
        username, coordinator_id, shared=("triggers",), number="+447700900445", label="Kit T."
    )
    caseload = browser.sign_in(username)
    assert "<strong>2 new</strong>" in caseload_row(caseload.text, opened)
    browser.post("/sign-out", {"csrf_token": browser.csrf()})

    again = browser.sign_in(username)  # the next sign-in: nothing has been opened yet
    assert "Your last visit was" in again.text
    assert "<strong>2 new</strong>" in caseload_row(again.text, opened)
    assert "<strong>2 new</strong>" in caseload_row(again.text, unopened)

    page = browser.get(f"/people/{opened}")
    assert page.text.count('<span class="tag">New</span>') == 0 and "Newly shared with you" in page.text
    caseload = browser.get("/caseload")
    assert "Nothing new" in caseload_row(caseload.text, opened)
    assert "<strong>2 new</strong>" in caseload_row(caseload.text, unopened)  # still new: never opened

    save_plan(opened, {"triggers": "loud music"})
    caseload = browser.get("/caseload")
    assert "<strong>1 new</strong>" in caseload_row(caseload.text, opened)
    browser.post("/sign-out", {"csrf_token": browser.csrf()})
    browser.sign_in(username)
    page = browser.get(f"/people/{opened}")
    assert re.search(r'<span class="tag">New</span> <span class="answer">loud music</span>', page.text)
    assert "Nothing new" in caseload_row(browser.get("/caseload").text, opened)


# -- carers' messages: who left them (issue 22.6) -------------------------------------------------


def linked_carer_leaves(person_id: str, relation: str | None, text: str) -> str:
    """A carer the person linked (calling them `relation`) leaves a message; returns the link id."""
    from datetime import datetime, timezone

    from bot.services.carers import carers
    from bot.services.people.lookup import identity_for_address, person_for_address

    now = datetime.now(timezone.utc)
    address = ("sms", f"carer-{uuid.uuid4()}")
    with unit_of_work() as session:
        made = carers.make_code(session, person_id, relation, now)
    with unit_of_work() as session:
        linked = carers.redeem(session, identity_for_address(session, *address), made.code, now)
        assert linked.result is carers.LinkResult.linked
    with unit_of_work() as session:
        left = carers.leave_message(session, person_for_address(session, *address).id, text, channel="sms", now=now)
        assert left.outcome is carers.MessageOutcome.sent
    return made.link_id


def test_a_carers_message_says_which_linked_carer_left_it(browser, coordinator):
    from bot.services.carers import carers

    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id, shared=())
    from_brother = f"he has stopped his tablets {uuid.uuid4().hex[:6]}"
    from_unnamed = f"she missed the appointment {uuid.uuid4().hex[:6]}"
    brother = linked_carer_leaves(person_id, "brother", from_brother)
    linked_carer_leaves(person_id, None, from_unnamed)
    browser.sign_in(username)
    page = browser.get(f"/people/{person_id}").text
    messages = re.findall(r"<li[^>]*>.*?</li>", page[page.index('id="carer-messages"') :], flags=re.S)
    by_brother = next(m for m in messages if from_brother in m)
    assert "<strong>From their brother</strong> (linked since" in by_brother
    by_unnamed = next(m for m in messages if from_unnamed in m)
    assert "<strong>From a linked carer</strong> (linked since" in by_unnamed and "brother" not in by_unnamed

    with unit_of_work() as session:
        assert carers.remove_link(session, person_id, brother, channel="sms")
    page = browser.get(f"/people/{person_id}").text
    messages = re.findall(r"<li[^>]*>.*?</li>", page[page.index('id="carer-messages"') :], flags=re.S)
    by_brother = next(m for m in messages if from_brother in m)
    assert "<strong>From their brother</strong> (linked from" in by_brother and " until " in by_brother


def test_a_message_the_carer_marked_urgent_comes_first_and_is_marked_on_the_caseload(browser, coordinator):
    from bot.services.carers import urgent
    from bot.store.carer_models import CarerLink

    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id, shared=())
    worry = f"she has not eaten for days {uuid.uuid4().hex[:6]}"
    link_id = linked_carer_leaves(person_id, "sister", worry)
    with unit_of_work() as session:
        carer_id = session.get(CarerLink, link_id).carer_person_id
        assert urgent.mark_latest_urgent(session, carer_id).outcome is urgent.UrgentOutcome.marked
    later = f"she went out for a walk {uuid.uuid4().hex[:6]}"
    linked_carer_leaves(person_id, "neighbour", later)
    caseload = browser.sign_in(username)
    assert '<span class="tag urgent">Urgent</span>' in caseload_row(caseload.text, person_id)
    page = browser.get(f"/people/{person_id}").text
    messages = re.findall(r"<li[^>]*>.*?</li>", page[page.index('id="carer-messages"') :], flags=re.S)
    assert worry in messages[0] and "Urgent: marked by the carer" in messages[0]
    assert later in messages[1] and "Urgent" not in messages[1]
    assert '<span class="tag urgent">' not in caseload_row(browser.get("/caseload").text, person_id)


# -- acknowledgement --------------------------------------------------------------------------


def outbox_for(person_id):
    with unit_of_work() as session:
        return list(session.execute(select(OutboxMessage).where(OutboxMessage.person_id == person_id)).scalars())


def test_acknowledging_tells_the_person_once_and_records_it(browser, coordinator):
    username, coordinator_id = coordinator
    person_id, event_id = person_on_caseload(username, coordinator_id, shared=("triggers", "early_warning_signs"))
    browser.sign_in(username)
    assert "Waiting for you since" in browser.get("/caseload").text
    page = browser.get(f"/people/{person_id}")
    assert "Waiting for you since" in page.text and "triggers, early warning signs" in page.text
    done = browser.post(f"/people/{person_id}/acknowledge", {"csrf_token": browser.csrf()})
    assert done.url.endswith("acknowledged=sms") and "sent them a text" in done.text
    assert "Waiting for you since" not in done.text
    again = browser.post(f"/people/{person_id}/acknowledge", {"csrf_token": browser.csrf()})
    assert "nothing waiting" in again.text
    [message] = outbox_for(person_id)
    assert message.body == "Sam has read your triggers and early warning signs. Thank you for sharing."
    assert message.recipient == "+447700900444" and message.channel == "sms"
    with unit_of_work() as session:
        event = session.get(ShareEvent, event_id)
        assert event.acknowledged_at is not None and event.read_at is not None


def test_acknowledging_without_the_csrf_token_changes_nothing(browser, coordinator):
    username, coordinator_id = coordinator
    person_id, event_id = person_on_caseload(username, coordinator_id)
    browser.sign_in(username)
    browser.get(f"/people/{person_id}")
    for form in ({}, {"csrf_token": "not-the-token"}):
        refused = browser.post(f"/people/{person_id}/acknowledge", form)
        assert refused.status_code == 400 and "Nothing was changed" in refused.text
    assert outbox_for(person_id) == []
    with unit_of_work() as session:
        assert session.get(ShareEvent, event_id).acknowledged_at is None


# -- audit --------------------------------------------------------------------------------------


def test_every_view_is_audited_and_the_chain_holds(browser, coordinator):
    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id)
    browser.sign_in(username)
    browser.get(f"/people/{person_id}")
    browser.get(f"/people/{person_id}/summary")
    browser.get(f"/people/{person_id}")
    with unit_of_work() as session:
        entries = (
            session.execute(select(AuditEntry).where(AuditEntry.actor_id == coordinator_id).order_by(AuditEntry.seq))
            .scalars()
            .all()
        )
        assert audit.verify(session).ok
    actions = [entry.action for entry in entries]
    assert actions[0] == "sign_in" and "caseload_viewed" in actions
    views = [(e.action, e.subject_person_id, e.detail) for e in entries if e.subject_person_id == person_id]
    assert views == [
        ("person_viewed", person_id, "shown:triggers"),
        ("summary_viewed", person_id, "shown:triggers"),
        ("person_viewed", person_id, "shown:triggers"),
    ]
    assert not any("crowds" in e.detail or "J.S." in e.detail for e in entries)


# -- bad input and headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"csrf_token=x&csrf_token=y", "application/x-www-form-urlencoded"),
        (b"csrf_token=%ff%fe", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00", "application/x-www-form-urlencoded"),
        (b"surprise=1", "application/x-www-form-urlencoded"),
        (b'{"csrf_token": "x"}', "application/json"),
        (
            b'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\nx\r\n--b--',
            "multipart/form-data; boundary=b",
        ),
        (b"&".join(b"f%d=1" % n for n in range(50)), "application/x-www-form-urlencoded"),
    ],
    ids=["twice", "bad-percent", "binary", "unknown-field", "json", "multipart", "many-fields"],
)
def test_malformed_posts_get_a_clear_400(browser, coordinator, body, content_type):
    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id)
    browser.sign_in(username)
    reply = browser.post(f"/people/{person_id}/acknowledge", body, headers={"Content-Type": content_type})
    assert reply.status_code == 400 and "That did not work" in reply.text and "Traceback" not in reply.text
    assert outbox_for(person_id) == []


def test_a_huge_post_is_refused_without_a_500(browser, coordinator):
    username, _ = coordinator
    browser.get("/sign-in")
    reply = browser.post(
        "/sign-in", b"x=" + b"a" * 100_000, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert reply.status_code == 413 and "too much" in reply.text


def test_a_huge_sign_in_field_is_refused(browser):
    browser.get("/sign-in")
    reply = browser.post("/sign-in", {"csrf_token": browser.csrf(), "username": "u" * 5000, "password": "p"})
    assert reply.status_code == 400


def test_wrong_methods_and_unknown_pages_get_plain_pages(browser):
    assert browser.get("/no-such-page").status_code == 404
    reply = browser.get("/sign-out")
    assert reply.status_code == 405 and "Traceback" not in reply.text


@pytest.mark.parametrize(
    "path", ["/static/", "/static", "/static/../app.py", "/static/%2e%2e/app.py", "/static/nothing.css"]
)
def test_static_paths_that_are_not_a_file_get_a_plain_404(browser, path):
    reply = browser.get(path)
    assert reply.status_code == 404 and "Traceback" not in reply.text and "File" not in reply.text


def test_every_page_carries_the_security_headers(browser, coordinator):
    username, coordinator_id = coordinator
    person_id, _ = person_on_caseload(username, coordinator_id)
    replies = [browser.get("/sign-in"), browser.get("/no-such-page"), browser.post("/sign-in", {})]
    browser.sign_in(username)
    replies += [
        browser.last,
        browser.get(f"/people/{person_id}"),
        browser.get(f"/people/{person_id}/summary"),
        browser.get(f"/people/{uuid.uuid4()}"),
        browser.get("/static/dashboard.css"),
    ]
    for reply in replies:
        csp = reply.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp
        assert reply.headers["X-Content-Type-Options"] == "nosniff" and reply.headers["X-Frame-Options"] == "DENY"
        assert reply.headers["Referrer-Policy"] == "no-referrer"
        if "text/html" in reply.headers["Content-Type"]:
            assert reply.headers["Cache-Control"] == "no-store" and "<script" not in reply.text
            assert 'style="' not in reply.text
