"""Per-sender rate limits without Rasa: the window, the one "slow down", senders apart, memory
kept small; and the SMS rules for a text over the limit (crisis and STOP always get through)."""

from __future__ import annotations

from bot.channels.crisis_check import must_let_through
from bot.services.messaging.rate_limits import SWEEP_EVERY_CHECKS, SenderRateLimiter, Verdict
from bot.services.sms.keywords import Keyword
from bot.services.sms.turns import Outcome, decide, needs_crisis_check, needs_turn


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_within_the_limit_every_message_is_allowed_then_one_slow_down_then_quiet():
    clock = Clock()
    limiter = SenderRateLimiter(clock)
    verdicts = [limiter.check("a", limit=3, window_seconds=60) for _ in range(6)]
    assert verdicts == [Verdict.allowed] * 3 + [Verdict.slow_down, Verdict.quiet, Verdict.quiet]


def test_the_window_slides_and_messages_over_the_limit_do_not_extend_it():
    clock = Clock()
    limiter = SenderRateLimiter(clock)
    for _ in range(3):
        assert limiter.check("a", 3, 60) is Verdict.allowed
        clock.now += 10
    assert limiter.check("a", 3, 60) is Verdict.slow_down  # at t+30: three in the last minute
    clock.now += 25
    assert limiter.check("a", 3, 60) is Verdict.quiet  # t+55: still three
    clock.now += 6
    assert limiter.check("a", 3, 60) is Verdict.allowed  # t+61: the first has left the window
    assert limiter.check("a", 3, 60) is Verdict.quiet  # warned less than a minute ago
    clock.now += 60
    assert limiter.check("a", 3, 60) is Verdict.allowed


def test_a_new_window_gets_a_new_slow_down():
    clock = Clock()
    limiter = SenderRateLimiter(clock)
    for _ in range(2):
        limiter.check("a", 2, 60)
    assert limiter.check("a", 2, 60) is Verdict.slow_down
    clock.now += 61
    for _ in range(2):
        assert limiter.check("a", 2, 60) is Verdict.allowed
    assert limiter.check("a", 2, 60) is Verdict.slow_down


def test_senders_are_counted_apart():
    limiter = SenderRateLimiter(Clock())
    for _ in range(2):
        limiter.check("a", 2, 60)
    assert limiter.check("a", 2, 60) is Verdict.slow_down
    assert limiter.check("b", 2, 60) is Verdict.allowed


def test_senders_not_heard_from_are_forgotten():
    clock = Clock()
    limiter = SenderRateLimiter(clock)
    for index in range(SWEEP_EVERY_CHECKS - 1):
        limiter.check(f"sender-{index}", 5, 60)
    clock.now += 121
    limiter.check("last", 5, 60)  # the sweep runs on this check
    assert limiter.senders_remembered() == 1


def test_over_the_limit_a_text_is_read_for_crisis_and_a_crisis_is_answered():
    assert needs_crisis_check(None, False, Verdict.slow_down) and needs_crisis_check(None, False, Verdict.quiet)
    assert not needs_crisis_check(None, False, Verdict.allowed)
    assert needs_turn(None, False, True, Verdict.quiet)
    assert decide(None, False, True, False, Verdict.quiet) is Outcome.crisis_replies


def test_over_the_limit_an_ordinary_text_gets_one_slow_down_and_no_turn():
    assert not needs_turn(None, False, False, Verdict.slow_down)
    assert decide(None, False, False, False, Verdict.slow_down) is Outcome.slow_down
    assert decide(None, False, False, False, Verdict.quiet) is Outcome.nothing
    assert decide(Keyword.help, False, False, False, Verdict.slow_down) is Outcome.slow_down


def test_stop_is_honoured_over_the_limit_and_an_opted_out_number_is_not_told_to_slow_down():
    assert needs_turn(Keyword.opt_out, False, False, Verdict.quiet)
    assert decide(Keyword.opt_out, False, False, False, Verdict.quiet) is Outcome.opt_out
    assert decide(None, True, False, False, Verdict.slow_down) is Outcome.nothing


def test_start_is_honoured_over_the_limit():
    assert decide(Keyword.opt_in, True, False, False, Verdict.quiet) is Outcome.opt_in


async def test_a_message_over_the_limit_that_cannot_be_read_is_let_through():
    assert await must_let_through(None, "is anyone there") is True
