"""Database engine and units of work.

One engine per process, built from DATABASE_URL. SQLite (the local default) runs in WAL mode
with a busy timeout so the rasa server, the action server and the worker can share one file;
PostgreSQL needs nothing special. Each action or request does its work inside one
`unit_of_work()`: commit on success, roll back on any error, so nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _enable_sqlite_wal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # erased rows are overwritten, not left in free pages
    cursor.close()


def configure_engine(engine: Engine) -> Engine:
    """Apply our connection settings to any engine (ours or Rasa's tracker store)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_wal)
    return engine


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite:///"):
        Path(database_url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite stays on SQLAlchemy 1.4's default NullPool (a connection per unit of work). Pooling
    # them was measured faster (docs/performance.md) but a pooled SQLite connection that keeps a
    # statement open also keeps its WAL read snapshot, so a long-lived process (the dashboard)
    # can go on reading an old state; not worth the risk without a way to reset them.
    return configure_engine(create_engine(database_url, future=True, pool_pre_ping=True))


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache(maxsize=1)
def _session_factory() -> sessionmaker:
    return sessionmaker(bind=get_engine(), future=True, expire_on_commit=False)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises."""
    session: Session = _session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def reset_engine() -> None:
    """Forget the engine (tests point DATABASE_URL somewhere new, then call this)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    _session_factory.cache_clear()
