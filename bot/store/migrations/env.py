"""Alembic environment: our models only. Rasa's own `events` table is Rasa's to manage."""

from alembic import context

from bot.store.all_models import all_metadata
from bot.store.db import make_engine
from bot.store.encrypted import EncryptedText

RASA_TABLES = {"events"}


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in RASA_TABLES)


def render_item(type_, obj, autogen_context):
    """Encrypted columns are plain TEXT in the database; migrations need not import our code."""
    if type_ == "type" and isinstance(obj, EncryptedText):
        return "sa.Text()"
    return False


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("No database URL for the migrations (bot/store/migrate.py sets sqlalchemy.url).")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=all_metadata(),
            include_object=include_object,
            render_item=render_item,
            render_as_batch=engine.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
