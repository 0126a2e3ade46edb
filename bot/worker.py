"""The worker program: `python -m bot worker` (started by `make run`).

Every WORKER_POLL_SECONDS it runs the scheduled jobs that are due (bot/scheduled_jobs.py:
erasures, retention, ...) and then delivers the outbox (bot/services/messaging/dispatch.py).
"""

from __future__ import annotations

import logging
import signal
import threading

from bot.common.clock import utc_now
from bot.scheduled_jobs import Timetable
from bot.services.messaging.dispatch import default_senders, run_once
from bot.settings import PROJECT_ROOT, Settings, get_settings

logger = logging.getLogger(__name__)


# -- the loop ----------------------------------------------------------------------------------


def main() -> int:
    """`python -m bot worker`: deliver the outbox until SIGTERM or Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    settings = get_settings()
    senders = default_senders(settings)
    stopping = threading.Event()

    def stop(*_: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info("Worker started: texts go %s; emails go %s.", *destinations(settings))
    schedule = Timetable()
    while not stopping.is_set():
        try:
            for name, count in schedule.run_due(utc_now()).items():
                if count:
                    logger.info("Scheduled job %s: %d done.", name, count)
            report = run_once(senders=senders)
            if report.did_anything:
                logger.info(
                    "Outbox: %d sent, %d to retry, %d failed, %d cancelled, %d uncertain, %d unknown.",
                    report.sent + report.found_already_sent,
                    report.retried + report.requeued,
                    report.failed,
                    report.cancelled,
                    report.uncertain,
                    report.unknown,
                )
        except Exception as error:  # the database busy or away: try again next time round
            logger.warning("Outbox run failed (%s); trying again.", type(error).__name__)
        stopping.wait(settings.worker_poll_seconds)
    logger.info("Worker stopped.")
    return 0


def destinations(settings: Settings) -> tuple[str, str]:
    """Where texts and emails go with these settings, in words (for start-up messages)."""
    production = settings.environment == "production"
    texts = (
        "through Twilio"
        if settings.twilio_configured
        else "nowhere (Twilio is not configured)"
        if production
        else f"to the local file {_shown(settings.sms_sink_path)}"
    )
    emails = (
        f"through {settings.smtp_host}"
        if settings.smtp_configured
        else "nowhere (SMTP is not configured)"
        if production
        else f"to the local file {_shown(settings.email_sink_path)}"
    )
    return texts, emails


def _shown(path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
