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


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        # A YAML mistake: an unclosed quote in the crisis file.
        ("crisis.yml", "  - id: nhs_111\n", "  - id: 'nhs_111\n", ["crisis.yml, line ", "not valid YAML"]),
        # A field mistake: an SMS text emptied.
        ("sms.yml", None, None, ["sms.yml, line ", "texts."]),
    ],
    ids=["crisis-yaml", "sms-entry"],
)
def test_a_broken_content_file_gives_one_line_with_file_and_line(tmp_path, file, old, new, expected):
    copy = tmp_path / "alongside"
    shutil.copytree(PROJECT_ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "models", "var", "*.pyc"))
    path = copy / "content" / file
    text = path.read_text(encoding="utf-8")
    if old is None:  # empty the first text under `texts:`
        lines = text.splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith("texts:"))
        first = next(
            i for i in range(start + 1, len(lines)) if lines[i].startswith("  ") and lines[i].strip()[0] != "#"
        )
        key = lines[first].split(":", 1)[0]
        lines[first] = f'{key}: ""\n'
        while first + 1 < len(lines) and lines[first + 1].startswith("    "):
            del lines[first + 1]
        text = "".join(lines)
    else:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "prepare"], cwd=copy, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    problem = result.stderr.strip().splitlines()[-1]
    assert all(part in problem for part in expected), result.stderr[-2000:]
