"""When linking makes two people one, every row that points at the person left behind points
at the person they joined: goals, check-ins, recovery meanings, the stress bucket, consent
choices, carers' links, notices, and anything a later table adds.

Found from the schema, not from a list, so a new table cannot be forgotten: every column with
a foreign key to people.id is moved, except the record of the join itself (person_merges) and
the plan, which bot/services/plan_merge.py puts together first.

Some tables hold one row per person and key (where a flow stopped, the check-in rhythm, a
coordinator's last look, one check-in per time). Where both people have such a row, the row of
the person joined into is kept and the other is dropped: these are places and settings, never
a person's own words (their words are in tables without such limits, and all of it moves).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Table, and_, delete, select, update
from sqlalchemy.orm import Session

from bot.store.all_models import all_metadata

PEOPLE_TABLE = "people"
# The join's own record, and the plan (merged by bot/services/plan_merge.py before this runs).
NOT_MOVED = frozenset({"person_merges"})


@dataclass(frozen=True)
class PersonColumn:
    table: Table
    column: Column
    unique_keys: tuple[tuple[Column, ...], ...]  # the other columns of each unique key it is in


def person_columns() -> list[PersonColumn]:
    """Every column that points at a person, with the unique keys it is part of."""
    found = []
    for table in all_metadata().sorted_tables:
        if table.name in NOT_MOVED:
            continue
        for column in table.columns:
            if not any(key.column.table.name == PEOPLE_TABLE for key in column.foreign_keys):
                continue
            found.append(PersonColumn(table, column, tuple(_unique_keys_with(table, column))))
    return found


def _unique_keys_with(table: Table, column: Column):
    keys = [tuple(table.primary_key.columns)]
    keys += [tuple(constraint.columns) for constraint in table.constraints if _is_unique(constraint)]
    keys += [tuple(index.columns) for index in table.indexes if index.unique]
    if column.unique:
        keys.append((column,))
    for key in keys:
        if column in key:
            yield tuple(other for other in key if other is not column)


def _is_unique(constraint) -> bool:
    return constraint.__class__.__name__ == "UniqueConstraint"


def move_person_records(session: Session, from_person_id: str, into_person_id: str) -> None:
    """Point every record of `from_person_id` at `into_person_id` (see the module's rules)."""
    for found in person_columns():
        for others in found.unique_keys:
            _drop_clashes(session, found, others, from_person_id, into_person_id)
        session.execute(
            update(found.table).where(found.column == from_person_id).values({found.column.name: into_person_id})
        )
    session.flush()


def _drop_clashes(session: Session, found: PersonColumn, others: tuple[Column, ...], from_id: str, into_id: str) -> None:
    """Rows of `from_id` whose key the person joined into already has: theirs is kept."""
    if not others:  # the person alone is the key (one row per person)
        if session.execute(select(found.column).where(found.column == into_id).limit(1)).first():
            session.execute(delete(found.table).where(found.column == from_id))
        return
    kept = found.table.alias("kept")
    clash = (
        select(kept.c[found.column.name])
        .where(kept.c[found.column.name] == into_id, *[kept.c[other.name] == other for other in others])
        .exists()
    )
    session.execute(delete(found.table).where(and_(found.column == from_id, clash)))
