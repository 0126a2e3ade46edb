"""The launcher's back-off for a crashed process: waits that double, then giving up."""

from __future__ import annotations

from bot.launcher import MAX_RESTART_DELAY_S, RESTART_LIMIT, RESTART_WINDOW_S, RestartBackoff


def test_the_wait_doubles_with_each_crash_and_is_capped():
    backoff = RestartBackoff()
    delays = [backoff.next_delay(float(second)) for second in range(RESTART_LIMIT)]
    assert delays == sorted(delays) and delays[0] == 1.0 and delays[1] == 2.0
    assert all(delay <= MAX_RESTART_DELAY_S for delay in delays)


def test_too_many_crashes_in_the_window_give_up_but_old_crashes_are_forgotten():
    backoff = RestartBackoff()
    for second in range(RESTART_LIMIT):
        assert backoff.next_delay(float(second)) is not None
    assert backoff.next_delay(float(RESTART_LIMIT)) is None
    calm = RestartBackoff()
    for crash in range(RESTART_LIMIT * 3):
        assert calm.next_delay(crash * (RESTART_WINDOW_S / 2)) is not None  # one crash now and then
