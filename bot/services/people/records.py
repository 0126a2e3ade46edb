"""When linking makes two people one, every row that points at the person left behind points
at the person they joined: goals, check-ins, recovery meanings, the stress bucket, consent
choices, carers' links, notices, and anything a later table adds.

Found from the schema, not from a list, so a new table cannot be forgotten: every column with
a foreign key to people.id is moved, except the record of the join itself (person_merges) and
the plan, which bot/services/people/plan_merge.py puts together first.

Some tables hold one row per person and key. Where both people have such a row:
- in the tables of places and settings (where a flow stopped, the check-in rhythm, a
  coordinator's last look, the emptied plan), the row of the person joined into is kept and
  the other is dropped;
- anywhere else (a check-in at the same time, which may hold the person's note), nothing is
  dropped: the clashing row stays with the person left behind, found through person_merges.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Table, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.store.all_models import all_metadata

PEOPLE_TABLE = "people"
# The join's own record.
NOT_MOVED = frozenset({"person_merges"})
# Places and settings, never a person's words: on a clash the joined person's row is kept.
DROPPED_ON_CLASH = frozenset({"flow_positions", "checkin_schedules", "coordinator_views", "wrap_plans"})


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
        clashes = [_clash(found, others, into_person_id) for others in found.unique_keys]
        if clashes and found.table.name in DROPPED_ON_CLASH:
            session.execute(delete(found.table).where(and_(found.column == from_person_id, or_(*clashes))))
        moving = [found.column == from_person_id, *[~clash for clash in clashes]]
        session.execute(update(found.table).where(*moving).values({found.column.name: into_person_id}))
    session.flush()


def _clash(found: PersonColumn, others: tuple[Column, ...], into_id: str):
    """True for a row whose key the person joined into already has."""
    kept = found.table.alias("kept")
    return (
        select(kept.c[found.column.name])
        .where(kept.c[found.column.name] == into_id, *[kept.c[other.name] == other for other in others])
        .exists()
    )
