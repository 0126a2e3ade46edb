"""Check-ins: how often a person wants to be asked how things are going, asking them when it is
time, and their answers (better / same / worse, and a note).

Times: a person chooses a rhythm in local time (CHECKIN_TIMEZONE, Europe/London by default):
weekly on a day, every n days, or none. `next_due_at` (UTC) is the next slot, never inside
quiet hours (CHECKIN_QUIET_START to CHECKIN_QUIET_END): a time chosen inside them moves to
their end. The worker calls `send_due_checkins(session, now)`: each due person is texted
through bot/services/reach.tell_person (idempotency key per person and slot), or, when we
cannot text them, the check-in waits (status pending, channel "chat") and is offered when
they next talk to us (`offer_in_chat`). An answer is recorded against the pending check-in,
or as a check-in of its own when none is pending.
These functions flush but never commit; the caller's `unit_of_work()` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.common.clock import as_utc, utc_now
from bot.services.guided import content as guided_content
from bot.services.messaging import reach
from bot.settings import get_settings
from bot.store.goals_models import CheckIn, CheckinSchedule

RATINGS = ("better", "same", "worse")
WEEKLY, EVERY_DAYS, NONE = "weekly", "every_days", "none"
PENDING, ANSWERED, MISSED, CANCELLED = "pending", "answered", "missed", "cancelled"
CHAT = "chat"
MAX_NOTE_CHARS = 500
MAX_INTERVAL_DAYS = 28
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "a couple of": 2,
    "a few": 3,
}


def content() -> guided_content.GuidedContent:
    return guided_content.load("goals.yml")


# -- rhythms ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rhythm:
    kind: str  # weekly, every_days, none
    weekday: int | None = None  # 0 = Monday
    interval_days: int | None = None
    local_time: time | None = None  # None: CHECKIN_DEFAULT_TIME


NO_CHECKINS = Rhythm(NONE)
_TIME = re.compile(r"\b(?:at\s+)?(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?\b")
_NEVER = re.compile(r"\b(never|none|no check ?-?ins?|stop|no more|not at all|no thanks|don'?t)\b")


def parse_rhythm(text: str) -> Rhythm | None:
    """The rhythm someone asks for, or None if we cannot tell.

    "every Monday", "weekly on mondays at 6pm", "every 3 days", "every other day", "daily",
    "fortnightly" (every 14 days), "never" / "stop check-ins" (none).
    """
    lowered = " ".join((text or "").lower().replace("\u2019", "'").split())
    if not lowered:
        return None
    local_time = _time_in(lowered)
    days = next(
        (index for index, name in enumerate(WEEKDAYS) if re.search(rf"\b{name[:3]}(?:{name[3:]})?s?\b", lowered)), None
    )
    if days is not None:
        return Rhythm(WEEKLY, weekday=days, local_time=local_time)
    if re.search(r"\b(daily|every ?day|each day|once a day)\b", lowered):
        return Rhythm(EVERY_DAYS, interval_days=1, local_time=local_time)
    if re.search(r"\bevery other day\b", lowered):
        return Rhythm(EVERY_DAYS, interval_days=2, local_time=local_time)
    if re.search(r"\b(fortnightly|every (2|two|other) weeks?|every fortnight)\b", lowered):
        return Rhythm(EVERY_DAYS, interval_days=14, local_time=local_time)
    if re.search(r"\b(weekly|every week|once a week|each week)\b", lowered):
        return Rhythm(WEEKLY, weekday=0, local_time=local_time)
    match = re.search(r"\bevery (\d{1,2}|[a-z]+(?: of| few)?) days?\b", lowered)
    if match:
        raw = match.group(1)
        number = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if number and 1 <= number <= MAX_INTERVAL_DAYS:
            return Rhythm(EVERY_DAYS, interval_days=number, local_time=local_time)
        return None
    if _NEVER.search(lowered):
        return NO_CHECKINS
    return None


def _time_in(lowered: str) -> time | None:
    for match in _TIME.finditer(lowered):
        hour = int(match.group("hour"))
        minute = int(match.group("minute") or 0)
        ampm = match.group("ampm")
        if not ampm and not match.group("minute") and not match.group(0).startswith("at"):
            continue  # a bare number ("every 3 days") is not a time
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return time(hour, minute)
    return None


# -- quiet hours and slots --------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(get_settings().checkin_timezone)


def is_quiet(moment: time) -> bool:
    """Whether a local time of day is inside quiet hours (which may run past midnight)."""
    start, end = get_settings().checkin_quiet_start, get_settings().checkin_quiet_end
    if start == end:
        return False
    if start > end:
        return moment >= start or moment < end
    return start <= moment < end


def in_quiet_hours(now: datetime) -> bool:
    return is_quiet(as_utc(now).astimezone(_zone()).time().replace(tzinfo=None))


def outside_quiet_hours(local_time: time) -> time:
    """The time itself, or the end of quiet hours if it falls inside them."""
    return get_settings().checkin_quiet_end if is_quiet(local_time) else local_time


def _at(day: date, local_time: time) -> datetime:
    return datetime.combine(day, local_time, tzinfo=_zone()).astimezone(timezone.utc)


def next_slot(schedule: CheckinSchedule, after: datetime) -> datetime | None:
    """The first slot of this rhythm strictly after `after` (UTC), or None for no check-ins."""
    after = as_utc(after)
    local_time = _parse_clock(schedule.local_time)
    today = after.astimezone(_zone()).date()
    if schedule.rhythm == WEEKLY:
        day = today + timedelta(days=(schedule.weekday - today.weekday()) % 7)
        while _at(day, local_time) <= after:
            day += timedelta(days=7)
        return _at(day, local_time)
    if schedule.rhythm == EVERY_DAYS:
        step = timedelta(days=schedule.interval_days)
        anchor = schedule.anchor_date or today
        rounds = max(1, (today - anchor).days // schedule.interval_days)
        day = anchor + step * rounds
        while _at(day, local_time) <= after:
            day += step
        return _at(day, local_time)
    return None


def _parse_clock(text: str) -> time:
    hours, _, minutes = (text or "10:00").partition(":")
    return time(int(hours), int(minutes or 0))


# -- schedules --------------------------------------------------------------------------------


def schedule_for(session: Session, person_id: str) -> CheckinSchedule | None:
    return session.get(CheckinSchedule, person_id)


def set_rhythm(session: Session, person_id: str, rhythm: Rhythm, now: datetime | None = None) -> CheckinSchedule:
    """Choose (or change, or stop) check-ins. Stopping also withdraws any check-in still waiting."""
    now = as_utc(now or utc_now())
    schedule = schedule_for(session, person_id)
    if schedule is None:
        schedule = CheckinSchedule(person_id=person_id)
        session.add(schedule)
    chosen = rhythm.local_time or get_settings().checkin_default_time
    schedule.rhythm = rhythm.kind
    schedule.weekday = rhythm.weekday
    schedule.interval_days = rhythm.interval_days
    schedule.local_time = outside_quiet_hours(chosen).strftime("%H:%M")
    schedule.anchor_date = now.astimezone(_zone()).date()
    schedule.next_due_at = next_slot(schedule, now)
    if rhythm.kind == NONE:
        for waiting in _pending(session, person_id):
            waiting.status = CANCELLED
    session.flush()
    return schedule


def describe(schedule: CheckinSchedule) -> str:
    """ "every Monday at 10am", in words from content/goals.yml."""
    when = _clock_words(_parse_clock(schedule.local_time))
    if schedule.rhythm == WEEKLY:
        return content().text("when_weekly", weekday=WEEKDAYS[schedule.weekday].capitalize(), time=when)
    if schedule.interval_days == 1:
        return content().text("when_daily", time=when)
    return content().text("when_days", days=schedule.interval_days, time=when)


def _clock_words(moment: time) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def quiet_hours_words() -> tuple[str, str]:
    settings = get_settings()
    return _clock_words(settings.checkin_quiet_start), _clock_words(settings.checkin_quiet_end)


def clock_words(text: str) -> str:
    return _clock_words(_parse_clock(text))


# -- sending ----------------------------------------------------------------------------------


def due_checkins(session: Session, now: datetime) -> list[CheckinSchedule]:
    """Schedules whose next slot has come. None during quiet hours: they wait until the end."""
    now = as_utc(now)
    if in_quiet_hours(now):
        return []
    return list(
        session.execute(
            select(CheckinSchedule)
            .where(CheckinSchedule.rhythm != NONE, CheckinSchedule.next_due_at <= now)
            .order_by(CheckinSchedule.next_due_at)
        ).scalars()
    )


def send_due_checkins(session: Session, now: datetime) -> list[CheckIn]:
    """Ask everyone whose check-in is due: by SMS where we can, else at their next chat.

    A check-in still unanswered when the next comes round is marked missed. Slots missed while
    the worker was stopped are not sent one by one: the person is asked once, and the schedule
    moves to the next slot after now.
    """
    now = as_utc(now)
    asked = []
    for schedule in due_checkins(session, now):
        due = as_utc(schedule.next_due_at)
        for waiting in _pending(session, schedule.person_id):
            waiting.status = MISSED
        checkin = session.execute(
            select(CheckIn).where(CheckIn.person_id == schedule.person_id, CheckIn.due_at == due)
        ).scalar_one_or_none()
        if checkin is None:
            checkin = CheckIn(person_id=schedule.person_id, due_at=due, channel=CHAT, status=PENDING, created_at=now)
            session.add(checkin)
            texted = reach.tell_person(
                session,
                schedule.person_id,
                content().text("checkin_sms"),
                idempotency_key=f"checkin:{schedule.person_id}:{due.isoformat()}",
                purpose="checkin",
            )
            if texted:
                checkin.channel, checkin.sent_at = "sms", now
        schedule.next_due_at = next_slot(schedule, now)
        session.flush()
        asked.append(checkin)
    return asked


def pending_checkin(session: Session, person_id: str) -> CheckIn | None:
    pending = _pending(session, person_id)
    return pending[-1] if pending else None


def offer_in_chat(session: Session, person_id: str, now: datetime | None = None) -> CheckIn | None:
    """The check-in to ask about now that the person is talking to us, if one is waiting.
    The chat (greeting, web chat) calls this and, if it returns one, asks `checkin_in_chat`."""
    checkin = pending_checkin(session, person_id)
    if checkin is not None:
        checkin.offered_at = as_utc(now or utc_now())
        session.flush()
    return checkin


def _pending(session: Session, person_id: str) -> list[CheckIn]:
    return list(
        session.execute(
            select(CheckIn)
            .where(CheckIn.person_id == person_id, CheckIn.status == PENDING)
            .order_by(CheckIn.created_at, CheckIn.id)
        ).scalars()
    )


# -- answers ----------------------------------------------------------------------------------


def read_reply(text: str) -> tuple[str, str | None] | None:
    """(rating, note or None) from a reply like "2", "better", "worse, not sleeping"; else None."""
    original = " ".join((text or "").split())
    lowered = original.lower().replace("\u2019", "'")
    stripped = lowered.rstrip(" .!")
    best: tuple[int, str] | None = None
    for rating in RATINGS:
        for phrase in content().lists.get(rating, ()):
            if stripped == phrase:
                return rating, None
            if lowered.startswith(phrase) and len(lowered) > len(phrase):
                after = lowered[len(phrase)]
                core = phrase.isdigit() or any(word in phrase for word in RATINGS)
                fits = after in ",.;:-!" or (after == " " and core)
                if fits and (best is None or len(phrase) > best[0]):
                    best = (len(phrase), rating)
    if best is None:
        return None
    note = original[best[0] :].lstrip(" ,.;:-!").strip()
    return best[1], (note[:MAX_NOTE_CHARS] or None)


def is_no_note(text: str) -> bool:
    tidy = " ".join((text or "").lower().replace("\u2019", "'").strip(" .!").split())
    return tidy in content().lists.get("no_note", ())


def record_answer(
    session: Session, person_id: str, rating: str, note: str | None, channel: str, now: datetime | None = None
) -> CheckIn:
    """Save an answer: to the check-in waiting for one, or as a check-in of its own."""
    if rating not in RATINGS:
        raise ValueError(f"Unknown rating {rating!r}.")
    now = as_utc(now or utc_now())
    checkin = pending_checkin(session, person_id)
    if checkin is None:
        checkin = CheckIn(person_id=person_id, channel=channel, created_at=now)
        session.add(checkin)
    checkin.status, checkin.rating, checkin.answered_at = ANSWERED, rating, now
    if note:
        checkin.note = note[:MAX_NOTE_CHARS]
    session.flush()
    return checkin


def add_note(session: Session, person_id: str, checkin_id: str, note: str) -> CheckIn | None:
    checkin = session.get(CheckIn, checkin_id)
    words = " ".join((note or "").split())
    if checkin is None or checkin.person_id != person_id or not words:
        return None
    checkin.note = words[:MAX_NOTE_CHARS]
    session.flush()
    return checkin


def history(session: Session, person_id: str, limit: int | None = None) -> list[CheckIn]:
    """Answered check-ins, newest first."""
    query = (
        select(CheckIn)
        .where(CheckIn.person_id == person_id, CheckIn.status == ANSWERED)
        .order_by(CheckIn.answered_at.desc(), CheckIn.id)
    )
    if limit:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def rating_words(rating: str) -> str:
    return content().text(f"rating_{rating}")


def local_date_words(moment: datetime) -> str:
    local = as_utc(moment).astimezone(_zone())
    return f"{local:%a} {local.day} {local:%b}"  # "Mon 3 Mar"
