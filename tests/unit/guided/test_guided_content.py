"""Content for goals, check-ins, stuck, the bucket and the tour: every file loads, and a
mistake names the file, the entry and the problem. New settings are checked the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.guided import content as guided_content
from bot.settings import SettingsError, load_settings


def test_the_shipped_files_load_with_what_the_code_asks_for():
    guided_content.check_all()
    goals = guided_content.load("goals.yml")
    for text_id in ("checkin_sms", "checkin_in_chat", "rating_better", "when_weekly", "recovery_ask"):
        assert goals.texts[text_id]
    assert [step.id for step in guided_content.load("stuck.yml").steps] == [
        "changed",
        "tried",
        "would_help",
        "timeline",
    ]
    assert [step.id for step in guided_content.load("bucket.yml").steps] == ["fills", "overflow", "lets_out"]
    assert all(step.source for step in guided_content.load("care_coordination_tour.yml").steps)


def test_no_check_in_text_carries_health_details():
    """Texts may be read on a locked phone screen: the check-in text asks, it never tells."""
    sms = guided_content.load("goals.yml").texts["checkin_sms"]
    assert "{" not in sms and "STOP CHECK-INS" in sms


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('texts:\n  hello: "Hi \u2764"\n', "texts.hello: has"),
        ('texts:\n  hello: "' + "word " * 70 + '"\n', "texts.hello: longer than 320"),
        ('texts:\n  hello: ""\n', "texts.hello: is missing or empty"),
        ("questions:\n  - id: a\n    text: one\n  - id: a\n    text: two\n", "same id"),
        ("questions:\n  - text: no id\n", "needs an 'id'"),
        ("texts: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_mistake_names_the_file_entry_and_problem(tmp_path: Path, body: str, problem: str):
    path = tmp_path / "stuck.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=problem) as raised:
        guided_content._load(path)
    assert str(path) in str(raised.value)


@pytest.fixture
def clean_environment(monkeypatch):
    for name in (
        "STUCK_CHECKINS",
        "STUCK_DAYS",
        "CHECKIN_TIMEZONE",
        "CHECKIN_QUIET_START",
        "CHECKIN_QUIET_END",
        "CHECKIN_DEFAULT_TIME",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("bot.settings.load_dotenv", lambda *a, **k: None)
    return monkeypatch


def test_check_in_and_stuck_settings_have_the_documented_defaults(clean_environment):
    settings = load_settings()
    assert (settings.stuck_checkins, settings.stuck_days) == (3, 56)
    assert settings.checkin_timezone == "Europe/London"
    assert (settings.checkin_quiet_start.hour, settings.checkin_quiet_end.hour) == (21, 9)
    assert settings.checkin_default_time.hour == 10


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STUCK_CHECKINS", "0"),
        ("STUCK_DAYS", "soon"),
        ("CHECKIN_TIMEZONE", "Mars/Olympus"),
        ("CHECKIN_QUIET_START", "9pm"),
        ("CHECKIN_QUIET_END", "25:00"),
        ("CHECKIN_DEFAULT_TIME", "10"),
    ],
)
def test_a_bad_check_in_setting_is_named(clean_environment, name, value):
    clean_environment.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings()


def test_every_setting_is_in_env_example():
    example = (Path(__file__).resolve().parents[3] / ".env.example").read_text()
    for name in (
        "STUCK_CHECKINS",
        "STUCK_DAYS",
        "CHECKIN_TIMEZONE",
        "CHECKIN_QUIET_START",
        "CHECKIN_QUIET_END",
        "CHECKIN_DEFAULT_TIME",
    ):
        assert f"\n{name}=" in example
