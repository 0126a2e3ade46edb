"""Rasa's tracker store on our own database.

Rasa's SQLTrackerStore is configured with separate dialect/host/db fields; we want one
DATABASE_URL for everything, and our SQLite settings (WAL, busy timeout) on its connections
too. Named in endpoints.yml as `bot.store.tracker_store.AlongsideTrackerStore`. The privacy
work (encrypting event data at rest) belongs here as well.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from bot.settings import get_settings
from bot.store.db import configure_engine, make_engine


class AlongsideTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        event_broker: Optional[EventBroker] = None,
        database_url: Optional[str] = None,
        host: Optional[str] = None,  # Rasa passes endpoints.yml's `url` here; we use DATABASE_URL
        **kwargs: Any,
    ) -> None:
        url = database_url or get_settings().database_url
        make_engine(url).dispose()  # creates the SQLite folder if needed
        # A host containing "://" is taken by SQLTrackerStore as a complete URL.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        self.engine.dispose()  # connections opened before our settings applied are dropped
        configure_engine(self.engine)
