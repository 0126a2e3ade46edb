"""Where a person stopped in a guided conversation (a goal, the stress bucket), kept in the
database so they can carry on later, on any channel, in any session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.goals_models import FlowPosition


def get_position(session: Session, person_id: str, flow: str) -> str | None:
    row = _row(session, person_id, flow)
    return row.position if row else None


def set_position(session: Session, person_id: str, flow: str, position: str | None) -> None:
    row = _row(session, person_id, flow)
    if row is None:
        if position is None:
            return
        row = FlowPosition(person_id=person_id, flow=flow)
        session.add(row)
    row.position = position
    session.flush()


def _row(session: Session, person_id: str, flow: str) -> FlowPosition | None:
    return session.execute(
        select(FlowPosition).where(FlowPosition.person_id == person_id, FlowPosition.flow == flow)
    ).scalar_one_or_none()
