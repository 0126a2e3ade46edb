"""A person's own message for their care coordinator (issue 18.2), as plain rules.

The person says yes to "Send this to Sam?" with their words in front of them; that yes is the
consent for this one message to this one coordinator, so nothing is sent without it and it goes
to nobody else (DESIGN rule 2). The words are stored encrypted; the coordinator is told there is
something to read (content-free, rule 3). When the coordinator opens the person's page the
message is marked read and the person is told "Sam has read the message you sent on ..."
(by text where they can be texted, else at their next conversation). Sending and reading are
audited by ids only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, uk_time, utc_now
from bot.services.coordination import staff_notifications
from bot.services.coordination.dashboard_content import load_dashboard_content
from bot.services.messaging import notices, reach
from bot.services.people.coordinators import coordinator_for
from bot.services.privacy import audit
from bot.store.models import CaseloadEntry
from bot.store.staff_models import StaffAccount
from bot.store.team_message_models import TeamMessage

NOTIFICATION_PURPOSE = "team-message-notification"
READ_PURPOSE = "team-message-read"
# Longer than a carer's or a coordinator's reply can be: what someone needs to say may be long.
MAX_MESSAGE_CHARS = 2000


class SendOutcome(str, Enum):
    sent = "sent"
    no_coordinator = "no_coordinator"  # nobody to send it to: nothing is stored


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    coordinator_name: str | None = None
    message_id: str | None = None


def send(session: Session, person_id: str, text: str, *, channel: str, now: datetime | None = None) -> SendResult:
    """Store the person's words for their coordinator now and notify them. Called only after
    the person said yes to sending these words to this coordinator."""
    now = now or utc_now()
    text = (text or "").strip()[:MAX_MESSAGE_CHARS]
    if not text:
        raise ValueError("An empty message cannot be sent.")
    coordinator = coordinator_for(session, person_id, now)
    if coordinator is None:
        return SendResult(SendOutcome.no_coordinator)
    message = TeamMessage(
        person_id=person_id, coordinator_id=coordinator.person_id, text=text, channel=channel, created_at=now
    )
    session.add(message)
    session.flush()
    audit.record(
        session, person_id, "team_message_sent", person_id, f"message:{message.id}", actor_kind="person", now=now
    )
    content = load_dashboard_content()
    staff_notifications.notify_coordinator(
        session,
        coordinator.person_id,
        person_id,
        body=content.text("team_message_body"),
        subject=content.text("team_message_subject"),
        idempotency_key=f"team-message:{message.id}",
        purpose=NOTIFICATION_PURPOSE,
    )
    return SendResult(SendOutcome.sent, coordinator.display_name, message.id)


@dataclass(frozen=True)
class ShownTeamMessage:
    id: str
    text: str
    created_at: datetime
    new: bool


def messages_for_coordinator(
    session: Session, coordinator_id: str, person_id: str, now: datetime | None = None
) -> list[ShownTeamMessage]:
    """The person's messages to the care team, newest first, for a coordinator whose caseload
    they are on now (the caller checks). Messages sent to an earlier coordinator show too: the
    team's record follows the person. Unread ones are marked read, and the person is told who
    read them; audited."""
    now = now or utc_now()
    messages = list(
        session.execute(
            select(TeamMessage).where(TeamMessage.person_id == person_id).order_by(TeamMessage.created_at.desc())
        ).scalars()
    )
    shown = [ShownTeamMessage(m.id, m.text, as_utc(m.created_at), m.read_at is None) for m in messages]
    unread = [m for m in messages if m.read_at is None]
    if unread:
        for message in unread:
            message.read_at = now
        session.flush()
        _tell_person_read(session, coordinator_id, person_id, unread, now)
        audit.record(session, coordinator_id, "team_messages_viewed", person_id, f"{len(unread)} new", now=now)
    return shown


def _tell_person_read(
    session: Session, coordinator_id: str, person_id: str, unread: list[TeamMessage], now: datetime
) -> None:
    """One "has read" for each message, so the person knows which one was read."""
    staff = session.get(StaffAccount, coordinator_id)
    name = staff.display_name if staff else ""
    content = load_dashboard_content()
    for message in sorted(unread, key=lambda m: as_utc(m.created_at)):
        body = content.text("team_message_read", coordinator=name, sent=uk_time(message.created_at))
        told = reach.tell_person(
            session, person_id, body, idempotency_key=f"team-message-read:{message.id}", purpose=READ_PURPOSE
        )
        if not told:
            notices.leave_notice(session, person_id, READ_PURPOSE, body, now=now)


def unread_counts(session: Session, coordinator_id: str) -> dict[str, int]:
    """Unread messages per person on the coordinator's caseload now, for the caseload page (no
    content read); by the person, so one sent before this coordinator took over counts too."""
    rows = session.execute(
        select(TeamMessage.person_id, func.count())
        .join(CaseloadEntry, CaseloadEntry.service_user_id == TeamMessage.person_id)
        .where(
            CaseloadEntry.coordinator_id == coordinator_id,
            CaseloadEntry.ended_at.is_(None),
            TeamMessage.read_at.is_(None),
        )
        .group_by(TeamMessage.person_id)
    ).all()
    return {person_id: count for person_id, count in rows}
