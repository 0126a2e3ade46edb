"""Sending one email: by SMTP when SMTP_HOST is set, otherwise to a local sink file
(EMAIL_SINK_PATH, one JSON object a line) so `make run` works with no mail server.

SMTP cannot be asked afterwards whether a message went, so a worker that stopped mid-send
leaves the email "unknown" rather than sending it again. A connection that breaks during the
exchange counts as not sent and is retried: that can, rarely, send an email twice (the server
took it but the answer was lost), which we accept for emails that only say "there is something
to look at". Blocking calls: only the worker runs these.
"""

from __future__ import annotations

import json
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from bot.common.clock import utc_now
from bot.services.messaging.delivery import NotSent, Outgoing, Refused
from bot.settings import Settings

REQUEST_TIMEOUT_S = 15
IMPLICIT_TLS_PORT = 465
DEFAULT_SUBJECT = "Alongside"


class EmailSender(Protocol):
    def send(self, email: Outgoing) -> str:
        """Hand the email over; returns a message id. Raises a DeliveryError."""


class SmtpSender:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, email: Outgoing) -> str:
        settings = self.settings
        message = EmailMessage()
        message["From"] = settings.smtp_from
        message["To"] = email.to
        message["Subject"] = email.subject or DEFAULT_SUBJECT
        message_id = f"<{email.key.replace(':', '.')}@alongside>"
        message["Message-ID"] = message_id
        message.set_content(email.body)
        try:
            connection: smtplib.SMTP
            if settings.smtp_port == IMPLICIT_TLS_PORT:
                connection = smtplib.SMTP_SSL(
                    settings.smtp_host,
                    settings.smtp_port,
                    timeout=REQUEST_TIMEOUT_S,
                    context=ssl.create_default_context(),
                )
            else:
                connection = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=REQUEST_TIMEOUT_S)
            with connection:
                if settings.smtp_starttls and settings.smtp_port != IMPLICIT_TLS_PORT:
                    connection.starttls(context=ssl.create_default_context())
                if settings.smtp_username:
                    connection.login(settings.smtp_username, settings.smtp_password)
                connection.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise Refused("smtp-recipient-refused") from None
        except smtplib.SMTPResponseException as error:
            code = f"smtp-{error.smtp_code}"
            if 500 <= error.smtp_code < 600:
                raise Refused(code) from None
            raise NotSent(code) from None
        except (smtplib.SMTPException, OSError) as error:
            raise NotSent(f"smtp-{type(error).__name__}") from None
        return message_id


class EmailSinkSender:
    """Appends each email to a local file instead of sending it (development only)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, email: Outgoing) -> str:
        record = {
            "key": email.key,
            "to": email.to,
            "subject": email.subject or DEFAULT_SUBJECT,
            "body": email.body,
            "at": utc_now().isoformat(),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as sink:
                sink.write(json.dumps(record) + "\n")
        except OSError as error:
            raise NotSent(f"sink-{type(error).__name__}") from None
        return f"sink-{email.key}"


class UnconfiguredEmailSender:
    def send(self, email: Outgoing) -> str:
        raise Refused("email-not-configured")


def email_sender(settings: Settings) -> EmailSender:
    if settings.smtp_configured:
        return SmtpSender(settings)
    if settings.environment == "production":
        return UnconfiguredEmailSender()
    return EmailSinkSender(settings.email_sink_path)
