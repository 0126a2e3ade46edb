"""Rasa's own checks over the project: the data is consistent and the test stories replay."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.build import BUILT_DOMAIN_DIR, CONFIG_PATH, training_data_paths
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow


def run_rasa(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rasa", *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600
    )


def test_training_data_and_domain_validate_without_warnings(trained_model):
    result = run_rasa(
        "data",
        "validate",
        "--config",
        str(CONFIG_PATH),
        "--domain",
        str(BUILT_DOMAIN_DIR),
        "--data",
        *map(str, training_data_paths()),
        "--fail-on-warnings",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_test_stories_replay_without_prediction_errors(trained_model: Path, tmp_path: Path):
    result = run_rasa(
        "test",
        "core",
        "--model",
        str(trained_model),
        "--stories",
        str(PROJECT_ROOT / "tests" / "stories"),
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path / "results"),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
