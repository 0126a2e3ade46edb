"""The one clock's readable dates (bot/common/clock.py): UK style, on the UK clock."""

from __future__ import annotations

from datetime import date, datetime, timezone

from bot.common.clock import uk_date, uk_readable, uk_time


def test_times_for_people_are_uk_dates_on_the_uk_clock():
    assert uk_time(datetime(2026, 12, 4, 15, 5, tzinfo=timezone.utc)) == "4 December 2026, 3:05pm"
    assert uk_time(datetime(2026, 7, 1, 11, 0, tzinfo=timezone.utc)) == "1 July 2026, 12:00pm"  # BST
    assert uk_time(datetime(2026, 3, 2, 0, 30)) == "2 March 2026, 12:30am"  # naive from SQLite: UTC
    assert uk_date(datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)) == "1 July 2026"
    assert uk_date(date(2026, 3, 7)) == "7 March 2026"


def test_staff_pages_get_the_weekday_and_a_24_hour_time():
    assert uk_readable(datetime(2026, 3, 3, 14, 5, tzinfo=timezone.utc)) == "Tuesday 3 March 2026, 14:05"
    assert uk_readable(datetime(2026, 3, 3, 14, 5, tzinfo=timezone.utc), with_time=False) == "Tuesday 3 March 2026"
