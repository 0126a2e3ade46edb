"""A database of a test's own (SQLite file, migrated), for tests that damage or race it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import make_engine
from bot.store.migrate import upgrade_to_head


class OwnDatabase:
    def __init__(self, url: str) -> None:
        self.url = url
        upgrade_to_head(url)
        self.engine = make_engine(url)
        self._sessions = sessionmaker(bind=self.engine, future=True, expire_on_commit=False)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def own_sqlite_database(directory: Path) -> OwnDatabase:
    return OwnDatabase(f"sqlite:///{directory / 'own.db'}")
