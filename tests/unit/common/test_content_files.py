"""One content reader (bot/common/content_files.py): a broken file is named with its line,
for every loader, and never surfaces as a PyYAML traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.common.content_files import ContentError, line_of, read_content, with_line
from bot.services.crisis.content import load_crisis_content
from bot.services.guided import content as guided_content
from bot.services.peer_support.directory import load_directory
from bot.services.sms.content import read_sms_content
from bot.services.wrap.content import clear_wrap_content_cache, load_wrap_content
from bot.settings import PROJECT_ROOT, get_settings

CONTENT = sorted((PROJECT_ROOT / "content").glob("*.yml"))


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: p.name)
def test_every_shipped_content_file_reads(path: Path):
    assert read_content(path) is not None


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\nb: [1, 2\nc: 3\n", 3), ("a:\n  - x\n b: 1\n", 3), ("a: 'open\n", 2), ("a: b: c\n", 1)],
)
def test_a_yaml_mistake_names_the_file_and_line(tmp_path: Path, text: str, line: int):
    path = tmp_path / "sms.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_content(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}, column ") and "not valid YAML" in message
    assert "\n" not in message and "Traceback" not in message


def test_a_file_that_is_not_utf8_or_missing_is_named(tmp_path: Path):
    path = tmp_path / "crisis.yml"
    path.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(ContentError, match="is not UTF-8"):
        read_content(path)
    with pytest.raises(ContentError, match="cannot be read"):
        read_content(tmp_path / "absent.yml")


LOADERS = {
    "crisis": lambda path: load_crisis_content(get_settings(), path),
    "sms": read_sms_content,
    "guided": guided_content._load,
    "peer_support": load_directory,
    "wrap": lambda path: (clear_wrap_content_cache(), load_wrap_content(path)),
}


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_every_loader_reports_broken_yaml_with_its_line(tmp_path: Path, loader: str):
    path = tmp_path / f"{loader}.yml"
    path.write_text("version: 1\ntexts:\n  hello: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{path}, line \d+, column \d+: .*not valid YAML"):
        LOADERS[loader](path)


def test_an_entry_problem_gets_the_entry_line(tmp_path: Path):
    path = tmp_path / "crisis.yml"
    path.write_text(
        "contacts:\n  - id: emergency\n    line: Call 999\n    source: NHS\n  - id: other\n    line: x\n",
        encoding="utf-8",
    )
    assert line_of(path, "contacts[1]") == 5
    assert line_of(path, "contacts[1].line") == 6
    assert line_of(path, "contacts[9]") == 1  # no such entry: the nearest part that exists
    assert line_of(path, "nothing.here") is None
    with pytest.raises(ValueError) as caught:
        load_crisis_content(get_settings(), path)
    shown = with_line(caught.value)
    assert shown.startswith(f"{path}, line 5 (contacts[1]): "), shown
