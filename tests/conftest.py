"""Shared fixtures. The environment is pointed at a fresh database before any bot module
reads its settings, and the model is trained at most once per set of inputs (cached by hash
under models/, so a second run reuses it)."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

_TEST_DIR = Path(tempfile.mkdtemp(prefix="alongside-test-"))
os.environ["ALONGSIDE_ENV"] = "test"
os.environ["DATABASE_URL"] = f"sqlite:///{_TEST_DIR / 'alongside.db'}"
os.environ["SMS_SINK_PATH"] = str(_TEST_DIR / "sms-sink.jsonl")
os.environ["EMAIL_SINK_PATH"] = str(_TEST_DIR / "email-sink.jsonl")
os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
for name in ("LOCAL_CRISIS_LINE_NAME", "LOCAL_CRISIS_LINE_NUMBER", "LOCAL_CRISIS_LINE_SOURCE"):
    os.environ.pop(name, None)

import logging  # noqa: E402

import structlog  # noqa: E402

from bot.settings import PROJECT_ROOT, get_settings  # noqa: E402

# Rasa logs every turn at debug level; keep test output to what matters.
logging.basicConfig(level=logging.WARNING)
structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

os.chdir(PROJECT_ROOT)  # config.yml names the spaCy pipeline by a path relative to the root


@pytest.fixture(scope="session")
def migrated_database() -> str:
    from bot.store.migrate import upgrade_to_head

    upgrade_to_head()
    return get_settings().database_url


@pytest.fixture(scope="session")
def trained_model() -> Path:
    from bot.build import train_if_needed

    return train_if_needed(quiet=True)


@pytest.fixture(scope="session")
async def agent(trained_model: Path, migrated_database: str):
    from rasa.core.agent import Agent

    from bot.store.tracker_store import AlongsideTrackerStore
    from tests.support.in_process import InProcessActionEndpoint

    return Agent.load(
        str(trained_model),
        action_endpoint=InProcessActionEndpoint(),
        tracker_store=AlongsideTrackerStore(),
    )


@pytest.fixture
def conversation(agent):
    """A new person, on the REST channel, with nothing said yet."""
    from tests.support.in_process import Conversation

    return Conversation(agent, sender_id=f"test-{uuid.uuid4()}")


@pytest.fixture(scope="session")
def running_app(tmp_path_factory, trained_model):
    """The real `python -m bot run` on free ports with its own database, shared by the tests
    that talk to it over the network (web chat, browser). Stopped at the end of the run."""
    from tests.support import launcher

    try:
        running = launcher.start(tmp_path_factory.mktemp("app"))
    except RuntimeError as problem:
        pytest.fail(str(problem))
    yield running
    launcher.stop(running.launcher)
