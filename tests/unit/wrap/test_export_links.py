"""Export links: signed, short-lived, and useless when altered."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.services.wrap.export_links import EXPORT_LINK_MINUTES, make_export_token, person_for_export_token

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def test_a_fresh_token_names_its_person():
    assert person_for_export_token(make_export_token("person-1", NOW), NOW) == "person-1"


def test_an_expired_token_is_refused():
    token = make_export_token("person-1", NOW)
    assert person_for_export_token(token, NOW + timedelta(minutes=EXPORT_LINK_MINUTES, seconds=1)) is None


def test_an_altered_or_malformed_token_is_refused():
    token = make_export_token("person-1", NOW)
    other = make_export_token("person-2", NOW)
    forged = other.split(".")[0] + "." + token.split(".")[1]
    for bad in (forged, token[:-2] + "xx", "nonsense", "", "a.b.c", "%%%.%%%"):
        assert person_for_export_token(bad, NOW) is None
