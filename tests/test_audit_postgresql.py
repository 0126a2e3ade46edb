"""The audit chain on PostgreSQL: migration 0006's triggers refuse changes, and concurrent
writers (row lock on the chain head) never fork the chain. Skipped with ALONGSIDE_SKIP_POSTGRES=1."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.support.databases import OwnDatabase
from tests.unit.privacy.test_audit import concurrent_writers, write_entries

SERVER_URL = os.environ.get("ALONGSIDE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

pytestmark = pytest.mark.skipif(
    os.environ.get("ALONGSIDE_SKIP_POSTGRES") == "1", reason="PostgreSQL skipped by setting"
)


@pytest.fixture
def database():
    name = f"alongside_audit_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    own = OwnDatabase(SERVER_URL.rsplit("/", 1)[0] + f"/{name}")
    yield own
    own.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_entries_cannot_be_changed_on_postgresql(database):
    write_entries(database, 2)
    with pytest.raises(DBAPIError, match="append-only"), database.unit_of_work() as session:
        session.execute(text("DELETE FROM audit_entries WHERE seq = 1"))


def test_concurrent_writers_do_not_fork_the_chain_on_postgresql(database):
    concurrent_writers(database, writers=4, each=15)
