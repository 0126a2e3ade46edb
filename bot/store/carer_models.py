"""Carers: links between a person and someone who supports them, and carers' messages.

A link is made by the person (the service user): Alongside gives them a one-time code to pass
on, and the carer sends it. Only the code's keyed hash is kept. A link by itself shares
nothing: what a linked carer may see is in the consent ledger (consent_records, recipient =
the carer's person id, recipient_kind = carer), read on every request. Parts the person chose
before the carer has linked wait in `pending_categories` and become consent records when the
carer links (with the exact words the person was shown, which hold no personal data).

A carer's message for the care team is kept encrypted; it reaches the person's coordinator
(dashboard) without the person's consent, because listening to carers is always allowed. The
person themselves does not get the carer's words in their data export (third-party
information); the carer does. When the person deletes their data, the carer's message stays
for the team (it is the carer's and the team's record), cut loose from the person and named by
the caseload name; when the carer deletes theirs, their messages go. A coordinator's reply is
kept on the message it answers (encrypted), so it goes, or stays, with it.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, String, Text

from bot.common.clock import utc_now
from bot.store.encrypted import EncryptedText
from bot.store.models import Base, new_id


class CarerLink(Base):
    __tablename__ = "carer_links"

    id = Column(String(36), primary_key=True, default=new_id)
    # The person who shares (the service user) and, once linked, the carer.
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    carer_person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=True, index=True)
    name = Column(EncryptedText, nullable=True)  # what the person calls them ("mum"), encrypted
    code_hash = Column(String(64), nullable=True, unique=True)
    code_expires_at = Column(DateTime(timezone=True), nullable=True)
    code_used_at = Column(DateTime(timezone=True), nullable=True)
    pending_categories = Column(Text, nullable=False, default="")  # comma-separated category ids
    pending_wording = Column(Text, nullable=True)  # our words the person was shown; no personal data
    pending_channel = Column(String(20), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    linked_at = Column(DateTime(timezone=True), nullable=True)
    ended_at = Column(DateTime(timezone=True), nullable=True)


class CarerMessage(Base):
    """Something a carer wants the care team to know, in their words (encrypted)."""

    __tablename__ = "carer_messages"

    id = Column(String(36), primary_key=True, default=new_id)
    carer_person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    # The person it is about (through a link), and their coordinator when it was left.
    about_person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=True, index=True)
    coordinator_id = Column(String(36), ForeignKey("people.id", ondelete="SET NULL"), nullable=True, index=True)
    link_id = Column(String(36), ForeignKey("carer_links.id", ondelete="SET NULL"), nullable=True)
    text = Column(EncryptedText, nullable=False)
    channel = Column(String(20), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    read_at = Column(DateTime(timezone=True), nullable=True)
    # When the carer said it cannot wait (bot/services/carers/urgent.py); None: not marked urgent.
    urgent_at = Column(DateTime(timezone=True), nullable=True)
    # Kept when the person it was about deletes their data (about_person_id is then empty): what
    # the coordinator called them on the caseload, encrypted, so the team knows who to follow up.
    about_label = Column(EncryptedText, nullable=True)
    # The coordinator's reply, sent by Alongside to the carer (bot/services/carers/replies.py):
    # one per message, in their words (encrypted), who sent it, when, and how it went ("sms",
    # or "chat" when it waits for the carer's next web chat).
    reply_text = Column(EncryptedText, nullable=True)
    replied_by = Column(String(36), ForeignKey("people.id", ondelete="SET NULL"), nullable=True)
    replied_at = Column(DateTime(timezone=True), nullable=True)
    reply_channel = Column(String(20), nullable=True)
