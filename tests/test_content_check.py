"""A broken content file stops start-up with a message naming the file and the problem."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_the_shipped_content_passes():
    from bot.content_check import check_all_content
    from bot.settings import get_settings

    check_all_content(get_settings())


def test_a_broken_crisis_patterns_file_stops_start_up_naming_it(tmp_path):
    """Run `python -m bot prepare` on a copy of the project with one pattern broken."""
    copy = tmp_path / "alongside"
    shutil.copytree(PROJECT_ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "models", "var", "*.pyc"))
    patterns = copy / "content" / "crisis_patterns.yml"
    patterns.write_text(patterns.read_text().replace('pattern: "~@kill_verbs @refl"', 'pattern: "@no_such_list"'))
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "prepare"], cwd=copy, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2
    assert "crisis_patterns.yml" in result.stderr and "kill-self" in result.stderr and "no_such_list" in result.stderr
