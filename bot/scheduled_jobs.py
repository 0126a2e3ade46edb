"""The worker's timetable: jobs that run every so often, beside delivering the outbox.

Each job takes `now` and returns how many things it did (a count, safe to log). Every job is
safe to run twice (it looks for what is due and marks it done in the same transaction), so a
restarted worker simply runs them all once at start. Tests call the job functions directly
with a `now` of their choosing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.coordination.reminders import queue_due_reminders
from bot.services.people import code_tries
from bot.services.privacy import erasure
from bot.services.privacy.retention import forget_old_conversations
from bot.services.recovery.checkins import send_due_checkins
from bot.services.staff import sign_in_attempts
from bot.settings import get_settings
from bot.store.db import get_engine, unit_of_work

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], int]


def carry_out_due_erasures(now: datetime) -> int:
    with unit_of_work() as session:
        due = erasure.due_erasure_ids(session, now)
    for request_id in due:  # each erasure all-or-nothing, on its own
        with unit_of_work() as session:
            erasure.carry_out(session, request_id, now)
    return len(due)


def forget_old_history(now: datetime) -> int:
    return forget_old_conversations(get_engine(), now, get_settings().conversation_retention_days)


def remind_coordinators(now: datetime) -> int:
    with unit_of_work() as session:
        return queue_due_reminders(session, now)


def ask_due_checkins(now: datetime) -> int:
    with unit_of_work() as session:
        return len(send_due_checkins(session, now))


def forget_old_sign_in_failures(now: datetime) -> int:
    with unit_of_work() as session:
        return sign_in_attempts.forget_old(session, now)


def forget_old_code_tries(now: datetime) -> int:
    with unit_of_work() as session:
        return code_tries.forget_old(session, now)


def timetable() -> list[Job]:
    """Every scheduled job. Add one here in one line."""
    return [
        Job("erasures", timedelta(seconds=5), carry_out_due_erasures),
        Job("conversation retention", timedelta(hours=24), forget_old_history),
        Job("coordinator reminders", timedelta(minutes=15), remind_coordinators),
        Job("check-ins", timedelta(minutes=1), ask_due_checkins),
        Job("sign-in failures over a day old", timedelta(hours=1), forget_old_sign_in_failures),
        Job("wrong code tries over a day old", timedelta(hours=1), forget_old_code_tries),
    ]


class Timetable:
    """Remembers when each job last ran in this worker process."""

    def __init__(self, jobs: list[Job] | None = None) -> None:
        self.jobs = jobs if jobs is not None else timetable()
        self.last_run: dict[str, datetime] = {}

    def run_due(self, now: datetime) -> dict[str, int]:
        done: dict[str, int] = {}
        for job in self.jobs:
            last = self.last_run.get(job.name)
            if last is not None and now - last < job.every:
                continue
            try:
                done[job.name] = job.run(now)
            except Exception as error:  # one job failing must not stop the others or the outbox
                logger.warning("Scheduled job %r failed (%s); it will run again.", job.name, type(error).__name__)
                continue
            self.last_run[job.name] = now
        return done
