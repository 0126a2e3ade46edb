"""Run Alembic migrations without an alembic.ini: `python -m bot migrate`.

New revision (after changing bot/store/models.py):
    .venv/bin/python -m bot.store.migrate revision "what changed"
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' must be doubled for configparser; URLs with encoded passwords contain it.
    url = database_url or get_settings().database_url
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str | None = None) -> None:
    command.upgrade(alembic_config(database_url), "head")


def main(argv: list[str]) -> None:
    if argv[:1] == ["revision"]:
        message = argv[1] if len(argv) > 1 else "change"
        command.revision(alembic_config(), message=message, autogenerate=True)
    else:
        upgrade_to_head()


if __name__ == "__main__":
    main(sys.argv[1:])
