"""Everything Alongside holds about one person: to show them, to give them a copy, to erase it.

Found by structure, not by a hand-kept list: every row of every table (bot/store/all_models.py)
that points at the person, directly or through another such row, plus their conversation history in Rasa's `events` table
(found through the conversation ids kept, encrypted, on their channel identities). A new table
that points at `people.id` is included without any change here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Table, column, delete, inspect, or_, select
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session

from bot.security.encryption import decrypt_text
from bot.services.staff import accounts
from bot.store.all_models import all_metadata
from bot.store.models import ChannelIdentity

# Kept about the person, but never given out: they are secrets, not information about them.
# The caseload name on a kept carer's message is the team's word for the person, not the carer's.
NEVER_EXPORTED = {("staff_accounts", "password_hash"), ("carer_links", "code_hash"), ("carer_messages", "about_label")}
# Rows written by someone else about the person (a carer's message for the care team) go in
# the export of their author only: the person they are about does not get the carer's words.
EXPORTED_ONLY_TO = {"carer_messages": "carer_person_id", "team_messages": "person_id"}
PLAIN_JSON_PREFIXES = ("{", "[")
# Rasa's table (Rasa creates and owns it), named here just for the columns we read.
EVENTS = sql_table(
    "events", column("id"), column("sender_id"), column("type_name"), column("timestamp"), column("data")
)


@dataclass
class PersonalData:
    """The rows as stored (times as datetimes, decrypted text); as_json makes them plain."""

    person_id: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    conversation: list[dict[str, Any]] = field(default_factory=list)
    # The names staff chose to be known by ("Sam"), for the other people the rows point at
    # (a coordinator), so the readable copy can name them rather than show an id.
    names: dict[str, str] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.tables.get(table, []))


def _primary_key(candidate: Table) -> str | None:
    keys = [each.name for each in candidate.primary_key.columns]
    return keys[0] if len(keys) == 1 else None


def _rows_about(session: Session, person_id: str) -> dict[str, list[dict[str, Any]]]:
    """The person's row, the rows that point at it, the rows that point at those, and so on
    (a plan item points at a plan, which points at the person). Tables come parents first."""
    found: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, set[Any]] = {"people": {person_id}}
    for candidate in all_metadata().sorted_tables:
        if candidate.name == "people":
            conditions = [candidate.c.id == person_id]
        else:
            conditions = [
                column.in_(keys[key.column.table.name])
                for column in candidate.columns
                for key in column.foreign_keys
                if key.column.table.name in keys
                and key.column.name == _primary_key(key.column.table)
                and keys[key.column.table.name]
            ]
        if not conditions:
            continue
        rows = session.execute(select(candidate).where(or_(*conditions))).mappings().all()
        if not rows:
            continue
        found[candidate.name] = [dict(row) for row in rows]
        primary_key = _primary_key(candidate)
        if primary_key:
            keys[candidate.name] = {row[primary_key] for row in rows}
    return found


def sender_ids(session: Session, person_id: str) -> list[str]:
    """The conversation ids the person's history is kept under."""
    return [
        sender
        for sender in session.execute(
            select(ChannelIdentity.sender_id).where(ChannelIdentity.person_id == person_id)
        ).scalars()
        if sender
    ]


def _plain(value: Any) -> Any:
    """A value JSON can hold (json.dumps calls it for anything it cannot write itself)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"cannot export a {type(value).__name__}")


def _event_data(raw: str) -> dict[str, Any]:
    return json.loads(raw if raw.startswith(PLAIN_JSON_PREFIXES) else decrypt_text(raw))


def conversation(session: Session, senders: list[str]) -> list[dict[str, Any]]:
    """What the person said and what Alongside replied, oldest first."""
    if not senders or "events" not in inspect(session.get_bind()).get_table_names():
        return []
    rows = session.execute(
        select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id.in_(senders), EVENTS.c.type_name.in_(("user", "bot")))
        .order_by(EVENTS.c.timestamp, EVENTS.c.id)
    ).all()
    said = []
    for row in rows:
        data = _event_data(row.data)
        text = data.get("text")
        if text:
            said.append(
                {
                    "at": datetime.fromtimestamp(row.timestamp, timezone.utc) if row.timestamp else None,
                    "from": "you" if row.type_name == "user" else "Alongside",
                    "text": text,
                }
            )
    return said


def collect(session: Session, person_id: str) -> PersonalData:
    data = PersonalData(person_id=person_id)
    for name, rows in _rows_about(session, person_id).items():
        if name in EXPORTED_ONLY_TO:
            rows = [row for row in rows if row[EXPORTED_ONLY_TO[name]] == person_id]
            if not rows:
                continue
        data.tables[name] = [
            {column: value for column, value in row.items() if (name, column) not in NEVER_EXPORTED} for row in rows
        ]
    data.conversation = conversation(session, sender_ids(session, person_id))
    data.names = accounts.display_names(session, _people_pointed_at(data) - {person_id})
    return data


def _people_pointed_at(data: PersonalData) -> set[str]:
    tables = all_metadata().tables
    return {
        row[column.name]
        for name, rows in data.tables.items()
        for column in tables[name].columns
        if any(key.column.table.name == "people" for key in column.foreign_keys)
        for row in rows
        if row.get(column.name)
    }


def as_json(data: PersonalData, generated_at: datetime) -> str:
    return json.dumps(
        {
            "generated_at": generated_at.isoformat(),
            "person_id": data.person_id,
            "records": data.tables,
            "conversation": data.conversation,
            "names": data.names,
        },
        indent=2,
        ensure_ascii=False,
        default=_plain,
    )


def erase_rows(session: Session, person_id: str) -> None:
    """Delete the person and every row about them (rows in other tables go with the person,
    ON DELETE CASCADE). Their conversation history is cleared apart (erase_history)."""
    people = all_metadata().tables["people"]
    session.execute(delete(people).where(people.c.id == person_id))


def erase_history(session: Session, senders: list[str]) -> int:
    """Delete Rasa's history under these conversation ids. Returns how many events went."""
    if not senders or "events" not in inspect(session.get_bind()).get_table_names():
        return 0
    return int(session.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(senders))).rowcount or 0)
