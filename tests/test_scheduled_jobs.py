"""The worker's timetable: jobs run when due, not before, and one failing job stops nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.scheduled_jobs import Job, Timetable, timetable

START = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)


def test_jobs_run_at_their_rhythm_and_a_failure_is_retried_next_round():
    calls: list[str] = []

    def quick(now):
        calls.append("quick")
        return 1

    def broken(now):
        calls.append("broken")
        raise RuntimeError("database away")

    schedule = Timetable([Job("quick", timedelta(seconds=5), quick), Job("broken", timedelta(hours=1), broken)])
    assert schedule.run_due(START) == {"quick": 1}
    assert schedule.run_due(START + timedelta(seconds=2)) == {}
    assert calls == ["quick", "broken", "broken"]  # not due again, but a failed job is tried again
    assert schedule.run_due(START + timedelta(seconds=6)) == {"quick": 1}


def test_the_timetable_names_every_job_once():
    names = [job.name for job in timetable()]
    assert len(names) == len(set(names)) and {"erasures", "conversation retention"} <= set(names)
