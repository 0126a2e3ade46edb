"""A person's own message for their care team, in their words (issue 18.2: what someone typed is
never thrown away without the offer to pass it on).

Sent only after the person said yes to "Send this to Sam?" with the words in front of them:
that yes is the consent for this one message to this one coordinator (docs/privacy.md). The
words are encrypted; the coordinator reads them on the person's dashboard page, and the person
is told when they have been read. They are the person's own data: in their export, and gone
when they delete their data (the rows go with the person).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, String

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base, new_id


class TeamMessage(Base):
    __tablename__ = "team_messages"

    id = Column(String(36), primary_key=True, default=new_id)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    # The coordinator the person said yes to sending it to.
    coordinator_id = Column(String(36), ForeignKey("people.id", ondelete="SET NULL"), nullable=True, index=True)
    text = Column(EncryptedText, nullable=False)
    channel = Column(String(20), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    read_at = Column(DateTime(timezone=True), nullable=True)
