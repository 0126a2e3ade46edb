"""Re-encrypt everything under the newest key, so an old key can then be removed.

Steps (docs/privacy.md): put a new key first in ENCRYPTION_KEYS, keeping the old ones after it;
restart; run `python -m bot keys rotate`; then remove the old key. Rows are re-encrypted in
batches, each batch its own transaction, so the command can be stopped and run again. Old plain
rows of the conversation history are encrypted on the way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from bot.security.encryption import encrypt_text, reencrypt_text
from bot.store.all_models import all_metadata
from bot.store.encrypted import EncryptedText
from bot.store.tracker_store import PLAIN_JSON_PREFIXES

BATCH_SIZE = 500


@dataclass(frozen=True)
class EncryptedColumns:
    table: str
    key: str
    columns: tuple[str, ...]


def encrypted_columns() -> list[EncryptedColumns]:
    """Every table with encrypted columns: ours (from the models) and Rasa's events."""
    found = []
    for table in all_metadata().sorted_tables:
        columns = tuple(column.name for column in table.columns if isinstance(column.type, EncryptedText))
        if columns:
            (key,) = [column.name for column in table.primary_key.columns]
            found.append(EncryptedColumns(table.name, key, columns))
    found.append(EncryptedColumns("events", "id", ("data",)))
    return found


def _rotated(value: str | None) -> str | None:
    if value is None:
        return None
    if value.startswith(PLAIN_JSON_PREFIXES):
        return encrypt_text(value)
    return reencrypt_text(value)


def rotate_all(engine: Engine) -> dict[str, int]:
    """Re-encrypt every encrypted value; returns how many rows each table had."""
    counts: dict[str, int] = {}
    existing = set(inspect(engine).get_table_names())
    for spec in encrypted_columns():
        if spec.table not in existing:  # Rasa makes `events` on its first start
            continue
        selected = ", ".join(spec.columns)
        assignments = ", ".join(f"{column} = :{column}" for column in spec.columns)
        last_key = None
        counts[spec.table] = 0
        while True:
            with engine.begin() as connection:
                where = f"WHERE {spec.key} > :after" if last_key is not None else ""
                rows = connection.execute(
                    text(
                        f"SELECT {spec.key}, {selected} FROM {spec.table} {where} ORDER BY {spec.key} LIMIT {BATCH_SIZE}"
                    ),
                    {"after": last_key},
                ).all()
                for row in rows:
                    values = {column: _rotated(getattr(row, column)) for column in spec.columns}
                    connection.execute(
                        text(f"UPDATE {spec.table} SET {assignments} WHERE {spec.key} = :key_value"),
                        {**values, "key_value": getattr(row, spec.key)},
                    )
            if not rows:
                break
            counts[spec.table] += len(rows)
            last_key = getattr(rows[-1], spec.key)
    return counts
