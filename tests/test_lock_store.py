"""The lock store that orders each conversation's messages across rasa servers.

Rasa 3.6's RedisLockStore takes a ticket as GET, change, SET: two servers in between each
other's read and write both get the same ticket and serve two messages of one conversation at
once. Ours makes every change one Redis transaction. Redis runs on the development and CI
machines (.ci/run starts it); ALONGSIDE_SKIP_REDIS=1 skips the Redis tests on a machine
without it."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid

import pytest

from bot.store.lock_store import AlongsideLockStore

REDIS_URL = os.environ.get("ALONGSIDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
needs_redis = pytest.mark.skipif(os.environ.get("ALONGSIDE_SKIP_REDIS") == "1", reason="Redis skipped by setting")


@pytest.fixture
def prefix():
    """A key prefix of this test's own; its keys are removed afterwards."""
    import redis

    name = f"locktest{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)
    client.close()


def our_store(prefix: str) -> AlongsideLockStore:
    return AlongsideLockStore(redis_url=REDIS_URL, key_prefix=prefix)


def rasa_store(prefix: str):
    from urllib.parse import urlparse

    from rasa.core.lock_store import RedisLockStore

    parsed = urlparse(REDIS_URL)
    return RedisLockStore(
        host=parsed.hostname, port=parsed.port or 6379, db=int(parsed.path.strip("/") or 0), key_prefix=prefix
    )


def interleave(first, second, conversation_id: str) -> None:
    """Make `second` take a ticket while `first` is between reading the lock and writing it."""
    original = first.get_lock if not isinstance(first, AlongsideLockStore) else first._parse
    state = {"done": False}

    def read_then_let_the_other_in(*args, **kwargs):
        value = original(*args, **kwargs)
        if not state["done"]:
            state["done"] = True
            state["other"] = second.issue_ticket(conversation_id)
        return value

    if isinstance(first, AlongsideLockStore):
        first._parse = read_then_let_the_other_in
    else:
        first.get_lock = read_then_let_the_other_in
    return state


@needs_redis
def test_rasas_own_redis_lock_store_hands_two_servers_the_same_ticket(prefix):
    """Why bot/store/lock_store.py exists: the race, shown step by step."""
    one, two = rasa_store(prefix), rasa_store(prefix)
    state = interleave(one, two, "conversation")
    mine = one.issue_ticket("conversation")
    assert mine == state["other"] == 0  # both think they are being served


@needs_redis
def test_ours_gives_the_second_server_the_next_ticket(prefix):
    one, two = our_store(prefix), our_store(prefix)
    state = interleave(one, two, "conversation")
    mine = one.issue_ticket("conversation")
    assert (state["other"], mine) == (0, 1)
    lock = one.get_lock("conversation")
    assert [ticket.number for ticket in lock.tickets] == [0, 1]
    assert lock.is_locked(1) and not lock.is_locked(0)


@needs_redis
def test_giving_a_ticket_back_never_drops_one_taken_meanwhile(prefix):
    one, two = our_store(prefix), our_store(prefix)
    first = one.issue_ticket("c")
    original = one._parse
    taken = {}

    def read_then_let_the_other_in(raw):
        value = original(raw)
        if "ticket" not in taken:
            taken["ticket"] = two.issue_ticket("c")
        return value

    one._parse = read_then_let_the_other_in
    one.cleanup("c", first)
    lock = two.get_lock("c")
    assert lock is not None and [ticket.number for ticket in lock.tickets] == [taken["ticket"]]
    assert not lock.is_locked(taken["ticket"])


@needs_redis
def test_many_threads_on_many_stores_never_share_a_ticket_and_leave_nothing(prefix):
    stores = [our_store(prefix) for _ in range(4)]
    issued: list[int] = []
    guard = threading.Lock()

    def take(store: AlongsideLockStore) -> None:
        for _ in range(50):
            ticket = store.issue_ticket("busy")
            with guard:
                issued.append(ticket)

    threads = [threading.Thread(target=take, args=(stores[index % 4],)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(issued) == list(range(400))

    def give_back(tickets: list[int], store: AlongsideLockStore) -> None:
        for ticket in tickets:
            store.cleanup("busy", ticket)

    shares = [issued[index::4] for index in range(4)]
    threads = [threading.Thread(target=give_back, args=(shares[index], stores[index])) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stores[0].get_lock("busy") is None


@needs_redis
async def test_two_stores_serve_one_conversation_one_message_at_a_time(prefix):
    stores = [our_store(prefix), our_store(prefix)]
    inside, overlaps, served = [0], [0], []

    async def message(number: int) -> None:
        async with stores[number % 2].lock("one-conversation"):
            inside[0] += 1
            overlaps[0] += inside[0] > 1
            await asyncio.sleep(0.002)
            served.append(number)
            inside[0] -= 1

    await asyncio.gather(*(message(number) for number in range(40)))
    assert overlaps[0] == 0 and sorted(served) == list(range(40))
    assert stores[0].get_lock("one-conversation") is None


@needs_redis
def test_a_lock_key_expires_soon_after_its_last_ticket(prefix):
    import redis

    store = our_store(prefix)
    store.issue_ticket("short", lock_lifetime=1)
    ttl_ms = redis.Redis.from_url(REDIS_URL).pttl(f"{prefix}:lock:short")
    assert 0 < ttl_ms <= 7000


async def test_without_redis_locks_live_in_memory_and_keep_order():
    store = AlongsideLockStore(redis_url="")
    assert not store.uses_redis
    order = []

    async def message(number: int) -> None:
        async with store.lock("local"):
            order.append(number)
            await asyncio.sleep(0)

    await asyncio.gather(*(message(number) for number in range(10)))
    assert sorted(order) == list(range(10)) and store.get_lock("local") is None
