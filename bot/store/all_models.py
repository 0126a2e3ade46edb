"""Every module that defines tables, imported in one place so Alembic and whole-database tools
(key rotation, data export, erasure) see them all. Add a new model module here."""

from __future__ import annotations

from sqlalchemy import MetaData

import bot.store.audit_models  # noqa: F401
import bot.store.carer_models  # noqa: F401
import bot.store.code_try_models  # noqa: F401
import bot.store.consent_models  # noqa: F401
import bot.store.contact_models  # noqa: F401
import bot.store.dashboard_models  # noqa: F401
import bot.store.goals_models  # noqa: F401
import bot.store.identity_link_models  # noqa: F401
import bot.store.outbox_models  # noqa: F401
import bot.store.privacy_models  # noqa: F401
import bot.store.sms_models  # noqa: F401
import bot.store.staff_models  # noqa: F401
import bot.store.team_message_models  # noqa: F401
from bot.store.models import Base


def all_metadata() -> MetaData:
    return Base.metadata
