"""The web chat channel on the real running server: the page, its cookie, Socket.IO, isolation
between conversations, reloads and bad input. (The browser itself: tests/browser/.)"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

import pytest
import socketio

from bot.services.webchat.sessions import conversation_for_cookie, sender_id_for
from bot.services.wrap.content import load_wrap_content
from tests.support.webchat_client import WebChatClient, page_cookie

pytestmark = pytest.mark.slow

NOT_TEXT = "I can only read text messages"
TOO_LONG = "too long for me"


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def now() -> datetime:
    return datetime.now(timezone.utc)


def test_the_page_has_a_strict_policy_a_safe_cookie_and_the_crisis_contacts(running_app):
    status, headers, body = fetch(f"{running_app.base_url}/webhooks/webchat/")
    page = body.decode()
    policy = headers["Content-Security-Policy"]
    assert status == 200 and "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "*" not in policy
    cookie = headers["Set-Cookie"]
    assert all(part in cookie for part in ("HttpOnly", "SameSite=Strict", "Path=/webhooks/webchat"))
    assert conversation_for_cookie(cookie.split(";")[0].split("=", 1)[1], now())
    assert '<html lang="en-GB">' in page and 'role="log"' in page and 'aria-live="polite"' in page
    assert '<label for="message">' in page and 'href="#help-now"' in page
    assert "116 123" in page and "85258" in page and "999" in page  # from content/crisis.yml
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script"
    assert " style=" not in page and "<style" not in page, "no inline style"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("webchat.js", 200),
        ("webchat.css", 200),
        ("socket.io.min.js", 200),
        ("favicon.svg", 200),
        ("nothing.js", 404),
        ("..%2Fchat_page.py", 404),
        ("..%2F..%2Fsettings.py", 404),
    ],
)
def test_only_the_pages_own_files_are_served(running_app, name, status):
    code, headers, body = fetch(f"{running_app.base_url}/webhooks/webchat/static/{name}")
    assert code == status
    if status == 200:
        assert body and headers["X-Content-Type-Options"] == "nosniff"


async def test_a_person_chats_and_a_crisis_message_gets_the_contacts(running_app):
    async with WebChatClient(running_app.base_url) as client:
        replies = await client.send({"message": "hello"})
        assert "I'm Alongside" in replies[0]["text"]
        assert [reply["title"] for reply in replies[-1]["quick_replies"]] == ["For me", "For someone I support"]
        assert all(set(reply) == {"title"} for reply in replies[-1]["quick_replies"])  # no intent payloads
        crisis = await client.say("I want to end my life")
        assert "116 123" in crisis and "85258" in crisis


async def test_possible_risk_asks_if_they_are_safe_yes_carries_on_and_no_gets_the_crisis_reply(running_app):
    async with WebChatClient(running_app.base_url) as client:
        await client.say("I want to write down my triggers")
        asked = await client.say("I feel completely hopeless")
        assert "116 123" in asked and "Are you safe right now?" in asked
        again = await client.say("yeah im ok")
        assert "glad you're safe" in again and "feel worse" in again  # the plan question again
        await client.say("I just can't cope anymore")
        crisis = await client.say("not really")
        assert "116 123" in crisis and "Please contact someone now" in crisis


async def test_a_reload_keeps_the_conversation(running_app):
    first_cookie = page_cookie(running_app.base_url)
    async with WebChatClient(running_app.base_url, first_cookie) as before:
        await before.say("I want to write down my triggers")
        await before.say("crowds, loud music")
        await before.say("stop")
    reloaded_cookie = page_cookie(running_app.base_url, first_cookie)  # the page opened again
    assert conversation_for_cookie(reloaded_cookie, now()) == conversation_for_cookie(first_cookie, now())
    async with WebChatClient(running_app.base_url, reloaded_cookie) as after:
        history = await after.history()
        assert {"from": "user", "text": "crowds, loud music"} in history
        shown = await after.say("show my triggers")
        assert "crowds" in shown and "loud music" in shown
    # A browser without the cookie starts a conversation of its own.
    assert conversation_for_cookie(page_cookie(running_app.base_url), now()) != conversation_for_cookie(
        first_cookie, now()
    )


async def test_the_history_carries_the_buttons_only_while_they_are_the_current_question(running_app):
    cookie = page_cookie(running_app.base_url)
    async with WebChatClient(running_app.base_url, cookie) as client:
        offered = [reply for reply in await client.send({"message": "hello"}) if reply.get("quick_replies")]
        history = await client.history()
        assert history[-1]["quick_replies"] == offered[-1]["quick_replies"]
        assert {"title": "For me"} in history[-1]["quick_replies"]
        await client.say("For me")
        await client.say("I want to write down my triggers")  # a question without buttons
        assert not [entry for entry in await client.history() if "quick_replies" in entry]


async def test_a_client_cannot_join_another_conversation(running_app):
    """B knows A's conversation id, A's sender id and even A's cookie value, and tries every
    way of sending them; B only ever sees its own conversation and its own (empty) plan."""
    base = running_app.base_url
    a_cookie = page_cookie(base)
    a_conversation = conversation_for_cookie(a_cookie, now())
    secret = "my secret trigger words"
    guesses = [a_conversation, sender_id_for(a_conversation), a_cookie]
    async with WebChatClient(base, a_cookie) as a:
        await a.say("I want to write down my triggers")
        await a.say(secret)
        await a.say("stop")
        auth = {"session_id": a_conversation, "sender_id": guesses[1], "cookie": a_cookie}
        async with WebChatClient(base, auth=auth) as b:
            for guess in guesses:
                await b.client.emit("session_request", {"session_id": guess})
                for field in ("session_id", "sender_id", "sender", "conversation_id", "room"):
                    await b.send({"message": "show my plan", field: guess, "metadata": {field: guess}})
            await a.say("show my triggers")  # A talks while B is connected
            nothing_yet = load_wrap_content().text("nothing_saved_yet")
            assert nothing_yet in await b.say("show my plan")
            assert not [m for m in await b.history() if secret in m["text"]]
            assert secret not in repr(b.received)
        assert secret in repr(a.received)

    for forged in (
        f"v1.{a_conversation}.{int(time.time())}.{'A' * 43}",  # A's id, signature made up
        a_cookie.replace("v1.", "v2.", 1),
        a_conversation,
        "",
    ):
        with pytest.raises(socketio.exceptions.ConnectionError):
            await WebChatClient(base, forged).connect()
    for query in (f"?session_id={a_conversation}", f"?sender_id={guesses[1]}"):
        with pytest.raises(socketio.exceptions.ConnectionError):
            await WebChatClient(base, "").connect(query)


async def test_a_socket_from_another_site_is_refused(running_app):
    with pytest.raises(socketio.exceptions.ConnectionError):
        await WebChatClient(running_app.base_url, headers={"Origin": "http://evil.example"}).connect()
    async with WebChatClient(running_app.base_url, headers={"Origin": f"http://localhost:{running_app.port}"}) as ours:
        assert "I'm Alongside" in await ours.say("hello")


async def test_bad_input_gets_a_kind_reply_and_the_chat_carries_on(running_app):
    async with WebChatClient(running_app.base_url) as client:
        for data in (None, 42, "hello", b"\x00\xff\xfe", ["hello"], {}, {"message": 5}, {"message": None}):
            replies = await client.send(data)
            assert [NOT_TEXT in reply["text"] for reply in replies] == [True], data
        for huge in ("a" * 4001, "😀" * 5000):
            assert TOO_LONG in await client.say(huge)
        for odd in ("", "   ", "\x00\x01", "😀🙂", "مرحبا كيف حالك", "/greet"):
            assert (await client.say(odd)).strip(), odd
        assert "I'm Alongside" in await client.say("hello")
        # Injection is read as words: here the "1" reads as a check-in score, which asks how
        # things have been (a check-in may be given at any time), never as the stop intent.
        assert (await client.say('/stop{"x":1}')).strip()


async def test_the_web_chat_links_to_another_channel_by_code_and_they_share_the_plan(running_app):
    import json

    def over_rest(text: str) -> str:
        request = urllib.request.Request(
            f"{running_app.base_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": "linked-by-code", "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return "\n".join(reply.get("text", "") for reply in json.loads(answer.read()))

    async with WebChatClient(running_app.base_url) as web:
        await web.say("I want to write down my triggers")
        await web.say("thunderstorms")
        await web.say("stop")
        code = re.search(r"Your code is ([A-Z0-9]{6})\.", await web.say("link my phone")).group(1)
    assert "Done" in over_rest(f"link {code}")
    assert "thunderstorms" in over_rest("show my triggers")


async def test_a_wrong_code_from_the_web_chat_is_counted_by_where_it_came_from(running_app):
    """The channel hands the actions a keyed hash of the client address, so the per-source limit
    (bot/services/people/code_tries.py) sees many chats from one place as one."""
    import sqlite3

    async with WebChatClient(running_app.base_url) as web:
        assert "didn't work" in await web.say("link TDGM4U")
    with sqlite3.connect(running_app.database) as database:
        sources = [row[0] for row in database.execute("SELECT source_hash FROM wrong_code_tries WHERE kind = 'link'")]
    assert sources and all(source and "127.0.0.1" not in source for source in sources)


def text_from_phone(running_app, number: str, body: str) -> str:
    """A correctly signed SMS to the running server (the simulator), with the replies the
    worker delivered."""
    import os
    import subprocess
    import sys

    from bot.settings import PROJECT_ROOT

    environment = {
        **os.environ,
        "RASA_PORT": str(running_app.port),
        "DATABASE_URL": f"sqlite:///{running_app.database}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sms", body, "--from", number],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


async def test_a_web_chat_and_a_phone_linked_by_code_share_one_plan(running_app):
    async with WebChatClient(running_app.base_url) as web:
        await web.say("I want to write down my triggers")
        await web.say("fireworks night")
        await web.say("stop")
        code = re.search(r"Your code is ([A-Z0-9]{6})\.", await web.say("link my phone")).group(1)
    number = "+447700900777"
    assert "fireworks night" not in text_from_phone(running_app, number, "show my triggers")
    assert "Done" in text_from_phone(running_app, number, f"link {code}")
    assert "fireworks night" in text_from_phone(running_app, number, "show my triggers")


async def test_a_chat_over_its_rate_limit_is_asked_once_to_slow_down_but_a_crisis_gets_through(running_app):
    limit = 20  # CHAT_RATE_LIMIT_MESSAGES's default; the running app uses the defaults
    async with WebChatClient(running_app.base_url) as client:
        for _ in range(limit):
            assert await client.say("hi")
        assert "sent a lot of messages very quickly" in await client.say("I want to write down my triggers")
        assert await client.send({"message": "hello again"}) == []  # told once, then quiet
        crisis = await client.say("I want to end my life")
        assert "116 123" in crisis and "85258" in crisis
        assert "116 123" in await client.say("crisis numbers")
        said = [entry["text"] for entry in await client.history() if entry["from"] == "user"]
        assert "I want to write down my triggers" not in said and "hello again" not in said
        assert "I want to end my life" in said
    async with WebChatClient(running_app.base_url) as other:  # another conversation, its own limit
        assert "I'm Alongside" in await other.say("hello")
