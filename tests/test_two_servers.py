"""The production profile, scaled out: two rasa servers (and an action server) on one PostgreSQL
database and one Redis lock store. 500 messages in 50 conversations go to either server at
random, two of a conversation at a time, all conversations at once. Every message must get a
reply, and every conversation's history must hold each message once, each followed by its
whole turn, in the order the pairs were sent.

Without a shared lock (or with Rasa's own RedisLockStore, whose tickets race) two servers load
the same conversation at once and one turn's events overwrite or skip the other's.

PostgreSQL and Redis run on the development and CI machines (.ci/run starts them); set
ALONGSIDE_SKIP_POSTGRES=1 or ALONGSIDE_SKIP_REDIS=1 to skip this on a machine without them. The
database (and the Redis keys) are this run's own and removed afterwards; the servers get their
settings through their own environment, so nothing here changes this process's.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import random
import signal
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from bot import launcher
from bot.settings import PROJECT_ROOT, get_settings
from tests.support.launcher import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("ALONGSIDE_SKIP_POSTGRES") == "1" or os.environ.get("ALONGSIDE_SKIP_REDIS") == "1",
        reason="PostgreSQL or Redis skipped by setting",
    ),
]

POSTGRES_SERVER_URL = os.environ.get("ALONGSIDE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("ALONGSIDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CONVERSATIONS = 50
MESSAGES_EACH = 10
START_TIMEOUT_S = 240
# What people say: WRAP, information, consent and small talk, so real actions and forms run.
SAYINGS = [
    "hello",
    "for me",
    "what is a WRAP?",
    "I want to write down my triggers",
    "crowds and payday",
    "that's all",
    "later",
    "who can see my plan?",
    "what does a care coordinator do?",
    "show my triggers",
]


@pytest.fixture(scope="module")
def shared_database():
    from sqlalchemy import create_engine, text

    from bot.store.migrate import upgrade_to_head

    name = f"alongside_two_servers_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade_to_head(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def redis_prefix():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.ping()
    prefix = f"twoservers{uuid.uuid4().hex[:10]}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"A server stopped while starting:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"A server was not ready after {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def two_servers(trained_model, shared_database, redis_prefix, tmp_path_factory):
    logs = tmp_path_factory.mktemp("two-servers")
    action_port = free_port()
    base = dataclasses.replace(
        get_settings(), action_port=action_port, action_server_url=f"http://localhost:{action_port}/webhook"
    )
    environment = {
        **launcher.child_environment(base),
        "DATABASE_URL": shared_database,
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": redis_prefix,
        "ACTION_PORT": str(action_port),
    }
    environment.pop("SANIC_WORKERS", None)
    started: list[subprocess.Popen] = []

    def start(process: launcher.Process, name: str) -> tuple[subprocess.Popen, Path]:
        log = logs / f"{name}.log"
        child = subprocess.Popen(
            process.argv,
            cwd=PROJECT_ROOT,
            env=environment,
            start_new_session=True,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        started.append(child)
        return child, log

    try:
        action = launcher.action_server(base)
        _wait_for(action.ready_url, *start(action, "action"))
        ports = [free_port(), free_port()]
        servers = [launcher.rasa_server(dataclasses.replace(base, rasa_port=port), trained_model) for port in ports]
        children = [start(server, f"rasa-{index}") for index, server in enumerate(servers)]
        for server, (child, log) in zip(servers, children, strict=True):
            _wait_for(server.ready_url, child, log)
        yield [f"http://127.0.0.1:{port}/webhooks/rest/webhook" for port in ports]
    finally:
        for child in reversed(started):
            _stop(child)


async def _talk(urls: list[str]) -> tuple[dict[str, list[list[str]]], list[str]]:
    """Every conversation sends its messages two at a time, each to a random server; all
    conversations at once. Returns the pairs sent per conversation and every problem seen."""
    import aiohttp

    chooser = random.Random(11)
    run = uuid.uuid4().hex[:6]
    sent: dict[str, list[list[str]]] = {}
    problems: list[str] = []

    async def say(session, sender: str, text: str) -> None:
        async with session.post(chooser.choice(urls), json={"sender": sender, "message": text}) as answer:
            replies = await answer.json(content_type=None) if answer.status == 200 else None
        if not replies or not any(reply.get("text") for reply in replies):
            problems.append(f"{sender}: no reply to {text!r} (HTTP {answer.status})")

    async def conversation(session, number: int) -> None:
        sender = f"two-servers-{run}-{number}"
        sent[sender] = []
        texts = [f"{SAYINGS[(number + index) % len(SAYINGS)]} {index}" for index in range(MESSAGES_EACH)]
        for first in range(0, MESSAGES_EACH, 2):
            pair = texts[first : first + 2]
            sent[sender].append(pair)
            await asyncio.gather(*(say(session, sender, text) for text in pair))

    timeout = aiohttp.ClientTimeout(total=180)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        await asyncio.gather(*(conversation(session, number) for number in range(CONVERSATIONS)))
    return sent, problems


def _stored_events(session, sender: str) -> list[tuple[str, str | None, str | None]]:
    """(type, action name, text) of each event stored for the conversation, in the order stored.
    Event data is encrypted at rest; it is read with the data export's own reader."""
    from sqlalchemy import column, select, table

    from bot.services.privacy.personal_data import _event_data

    events = table(
        "events", column("id"), column("sender_id"), column("type_name"), column("action_name"), column("data")
    )
    rows = session.execute(
        select(events.c.type_name, events.c.action_name, events.c.data)
        .where(events.c.sender_id == sender)
        .order_by(events.c.id)
    ).all()
    return [
        (kind, action, _event_data(data).get("text") if kind in ("user", "bot") else None)
        for kind, action, data in rows
    ]


def _turns(stored: list[tuple[str, str | None, str | None]]) -> list[tuple[str, list[str], list[str]]]:
    """Each message with the actions and replies stored after it, up to the next message."""
    turns: list[tuple[str, list[str], list[str]]] = []
    for kind, action, text in stored:
        if kind == "user":
            turns.append((text, [], []))
        elif turns and kind == "action":
            turns[-1][1].append(action)
        elif turns and kind == "bot":
            turns[-1][2].append(text)
    return turns


def test_two_servers_keep_every_conversation_whole_and_in_order(two_servers, shared_database):
    from sqlalchemy.orm import Session

    from bot.store.db import make_engine

    started = time.monotonic()
    sent, problems = asyncio.run(_talk(two_servers))
    elapsed = time.monotonic() - started
    assert sum(len(pair) for pairs in sent.values() for pair in pairs) == CONVERSATIONS * MESSAGES_EACH
    assert problems == [], f"{len(problems)} messages without a reply, e.g. {problems[:3]}"

    broken = []
    engine = make_engine(shared_database)
    try:
        with Session(engine, future=True) as session:
            for sender, pairs in sent.items():
                turns = _turns(_stored_events(session, sender))
                said = [text for text, _, _ in turns]
                # Each message stored exactly once, the pairs in the order they were sent.
                if [set(said[index : index + 2]) for index in range(0, len(said), 2)] != [
                    set(pair) for pair in pairs
                ] or len(said) != MESSAGES_EACH:
                    broken.append(f"{sender}: stored {said}, sent {pairs}")
                    continue
                for text, actions, replies in turns:
                    # A whole turn: its replies, and one action_listen, last, before the next message.
                    if not replies or actions[-1:] != ["action_listen"] or actions.count("action_listen") != 1:
                        broken.append(
                            f"{sender}: the turn for {text!r} is not whole: {actions}, {len(replies)} replies"
                        )
    finally:
        engine.dispose()
    assert broken == [], "\n".join(broken[:5])
    print(f"{CONVERSATIONS * MESSAGES_EACH} messages through two servers in {elapsed:.1f} s")
