"""Alembic environment: our models only. Rasa's own `events` table is Rasa's to manage."""
from alembic import context

from bot.store.db import make_engine
from bot.store.models import Base
import bot.store.identity_link_models  # noqa: F401  (registers its tables on Base)

RASA_TABLES = {"events"}


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in RASA_TABLES)


def run_migrations_online() -> None:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_object=include_object,
            render_as_batch=engine.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
