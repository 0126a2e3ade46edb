"""content/consent.yml: every category and text is there, fits an SMS, and a careless edit is
stopped with a message naming the file and the entry."""

from __future__ import annotations

import pytest
import yaml

from bot.common.sms_text import gsm7_problem
from bot.services.consent.content import CATEGORY_IDS, CONSENT_CONTENT_PATH, REQUIRED_TEXTS, load_consent_content
from bot.services.wrap.content import SECTION_IDS


def test_the_shipped_content_loads_with_every_category_and_text():
    content = load_consent_content()
    assert tuple(c.id for c in content.categories) == CATEGORY_IDS
    assert CATEGORY_IDS[: len(SECTION_IDS)] == SECTION_IDS
    assert set(content.texts) == set(REQUIRED_TEXTS)
    assert content.names(["crisis_plan", "triggers"]) == "triggers and crisis plan"  # plan order


def test_the_notification_names_no_one_and_fits_one_plain_sms():
    content = load_consent_content()
    assert len(content.notification_body) <= 160 and gsm7_problem(content.notification_body) is None
    assert "{" not in content.notification_body


def _broken(tmp_path, change) -> str:
    data = yaml.safe_load(CONSENT_CONTENT_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "consent.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    load_consent_content.cache_clear()
    try:
        with pytest.raises(ValueError) as error:
            load_consent_content(path)
    finally:
        load_consent_content.cache_clear()
    return str(error.value)


def test_a_renamed_category_is_refused(tmp_path):
    message = _broken(tmp_path, lambda d: d["categories"][2].update(id="my_triggers"))
    assert "consent.yml" in message and "categories" in message


def test_a_missing_placeholder_is_refused(tmp_path):
    message = _broken(tmp_path, lambda d: d["texts"].update(shared="Done. They can see it now."))
    assert "texts.shared" in message and "must contain {categories}" in message


def test_a_notification_that_could_name_someone_is_refused(tmp_path):
    message = _broken(tmp_path, lambda d: d["notification"].update(body="{coordinator}: look at your dashboard"))
    assert "notification" in message


def test_an_unquoted_yes_is_refused(tmp_path):
    message = _broken(tmp_path, lambda d: d["yes_words"].append(True))
    assert "yes_words" in message


def test_a_keyword_for_two_categories_is_refused(tmp_path):
    message = _broken(tmp_path, lambda d: d["categories"][7].update(keywords=["goals", "triggers"]))
    assert "goals_checkins" in message and "triggers" in message


def test_a_text_too_long_for_one_sms_is_refused(tmp_path):
    message = _broken(tmp_path, lambda d: d["texts"].update(not_now="Not now. " * 40))
    assert "texts.not_now" in message and "320" in message
