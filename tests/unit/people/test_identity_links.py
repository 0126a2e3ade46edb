"""Linking SMS and web chat by code, as plain services: codes, limits, joining people and plans."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.services.people import code_tries
from bot.services.people import identity_links as links
from bot.services.people.identity_links import LinkResult, find_code, is_code, new_code
from bot.services.people.lookup import identity_for_address, person_for_address, set_role
from bot.services.people.plan_merge import PlanOutcome
from bot.services.wrap import plan as wrap
from bot.settings import get_settings
from bot.store.db import unit_of_work
from bot.store.identity_link_models import LinkCode, PersonMerge
from bot.store.models import Role

NOW = datetime.now(timezone.utc)


def address(channel: str) -> tuple[str, str]:
    return channel, f"{channel}-{uuid4()}"


def make(who: tuple[str, str], now: datetime = NOW) -> str:
    with unit_of_work() as session:
        return links.make_code(session, identity_for_address(session, *who), now).code


def enter(who: tuple[str, str], text: str, now: datetime = NOW) -> links.Redeemed:
    with unit_of_work() as session:
        return links.redeem(session, identity_for_address(session, *who), text, now)


def enter_from(who: tuple[str, str], text: str, now: datetime, source: str | None) -> links.Redeemed:
    with unit_of_work() as session:
        return links.redeem(session, identity_for_address(session, *who), text, now, source)


def person_id(who: tuple[str, str]) -> str:
    with unit_of_work() as session:
        return person_for_address(session, *who).id


def save(who: tuple[str, str], question_id: str, text: str) -> None:
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_for_address(session, *who).id)
        wrap.save_answer(session, plan, question_id, text, who[0])


def plan_texts(who: tuple[str, str]) -> list[str]:
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_for_address(session, *who).id)
        return [item.text for item in wrap.current_items(session, plan)]


def history_texts(who: tuple[str, str]) -> list[str]:
    with unit_of_work() as session:
        plan = wrap.plan_for(session, person_for_address(session, *who).id)
        return [item.text for item in wrap.history(session, plan)]


# -- codes ---------------------------------------------------------------------------------------


def test_codes_are_six_unambiguous_characters_with_a_letter_and_a_digit():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(is_code(code) for code in codes)
    assert not set("".join(codes)) & set("01OIL")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("link K7P2QX", "K7P2QX"),
        ("LINK k7p2qx", "K7P2QX"),
        ("my code is k7p 2qx", "K7P2QX"),
        ("code: K7P-2QX please", "K7P2QX"),
        ("K7P2QX", "K7P2QX"),
        ("link it with 3HW9TR.", "3HW9TR"),
        ("link my phone", None),
        ("thanks", None),
        ("SHAPES", None),
        ("234567", None),
        ("link K7P2QX9", None),
        ("link AB1CD2", None),
        ("", None),
        ("link K7P", None),
    ],
)
def test_the_code_is_found_in_what_people_type(text, code):
    assert find_code(text) == code


@given(st.text(max_size=200))
def test_finding_a_code_never_fails_on_any_text(text):
    found = find_code(text)
    assert found is None or is_code(found)


def test_a_code_is_stored_only_as_a_keyed_hash(migrated_database):
    code = make(address("webchat"))
    with unit_of_work() as session:
        stored = session.execute(select(LinkCode.code_hash)).scalars().all()
    assert stored and all(code not in value and code.lower() not in value for value in stored)


# -- linking -------------------------------------------------------------------------------------


def test_a_code_made_on_the_web_links_an_sms_number_to_the_same_person_and_plan(migrated_database):
    web, sms = address("webchat"), address("sms")
    save(web, "triggers", "crowds, payday")
    code = make(web)
    assert enter(sms, f"link {code}") == links.Redeemed(LinkResult.linked, PlanOutcome.none)
    assert person_id(sms) == person_id(web)
    assert plan_texts(sms) == ["crowds", "payday"]
    save(sms, "triggers", "loud music")  # and what is said by text shows on the web
    assert plan_texts(web) == ["crowds", "payday", "loud music"]


def test_either_way_round_and_the_plan_moves_when_only_the_sender_has_one(migrated_database):
    web, sms = address("webchat"), address("sms")
    save(web, "triggers", "crowds")
    with unit_of_work() as session:
        set_role(session, person_for_address(session, *web), Role.service_user)
    code = make(sms)  # made by text, entered on the web
    assert enter(web, f"my code is {code.lower()}").plan is PlanOutcome.moved
    assert person_id(web) == person_id(sms) and plan_texts(sms) == ["crowds"]
    with unit_of_work() as session:
        assert person_for_address(session, *sms).role is Role.service_user


def test_two_plans_are_put_together_and_nothing_is_lost(migrated_database):
    web, sms = address("webchat"), address("sms")
    save(web, "triggers", "crowds, payday")
    save(sms, "triggers", "crowds, loud music")
    save(sms, "toolbox", "a walk")
    left_behind = person_id(sms)
    code = make(web)
    assert enter(sms, f"link {code}").plan is PlanOutcome.combined
    assert sorted(plan_texts(web)) == ["a walk", "crowds", "loud music", "payday"]  # "crowds" once
    assert history_texts(web).count("crowds") == 2  # the second copy is kept in the history
    with unit_of_work() as session:
        merge = session.execute(select(PersonMerge).where(PersonMerge.from_person_id == left_behind)).scalar_one()
        assert merge.into_person_id == person_id(web) and merge.plan_outcome == "combined"


def test_a_code_works_once(migrated_database):
    web, sms, other = address("webchat"), address("sms"), address("sms")
    code = make(web)
    assert enter(sms, f"link {code}").result is LinkResult.linked
    assert enter(sms, f"link {code}").result is LinkResult.already_linked
    assert enter(other, f"link {code}").result is LinkResult.used
    assert person_id(other) != person_id(web)


def test_a_code_runs_out(migrated_database):
    web, sms = address("webchat"), address("sms")
    code = make(web, NOW)
    later = NOW + timedelta(minutes=get_settings().link_code_minutes, seconds=1)
    assert enter(sms, f"link {code}", later).result is LinkResult.expired
    assert person_id(sms) != person_id(web)


def test_a_new_code_replaces_the_last_one(migrated_database):
    web, sms = address("webchat"), address("sms")
    first = make(web)
    second = make(web)
    assert enter(sms, f"link {first}").result is LinkResult.expired
    assert enter(sms, f"link {second}").result is LinkResult.linked


def test_wrong_code_no_code_and_the_place_it_was_made(migrated_database):
    web, sms = address("webchat"), address("sms")
    code = make(web)
    wrong = "K7P2QX" if code != "K7P2QX" else "3HW9TR"
    assert enter(sms, f"link {wrong}").result is LinkResult.wrong
    assert enter(sms, "link my phone please").result is LinkResult.no_code
    assert enter(web, f"link {code}").result is LinkResult.same_place
    assert enter(sms, f"link {code}").result is LinkResult.linked  # still good after all that


def test_too_many_wrong_tries_in_an_hour_stops_checking_for_that_identity(migrated_database):
    web, sms, someone_else = address("webchat"), address("sms"), address("sms")
    code = make(web)
    tries = get_settings().link_code_tries_per_hour
    wrong = [guess for guess in (new_code() for _ in range(tries + 1)) if guess != code][:tries]
    assert [enter(sms, f"link {guess}").result for guess in wrong] == [LinkResult.wrong] * tries
    assert enter(sms, f"link {code}").result is LinkResult.too_many_tries  # even the right code
    assert person_id(sms) != person_id(web)
    assert enter(sms, f"link {code}", NOW + timedelta(minutes=61)).result is LinkResult.expired  # an hour on
    assert enter(someone_else, f"link {wrong[0]}").result is LinkResult.wrong  # others are not held up


def test_many_throwaway_chats_from_one_place_cannot_guess_together(migrated_database):
    web = address("webchat")
    code = make(web, NOW + timedelta(hours=5))
    when = NOW + timedelta(hours=5, minutes=1)
    place = code_tries.source_key(f"203.0.113.{uuid4().int % 250}-{uuid4()}")
    for _ in range(get_settings().code_tries_per_source_per_hour):
        assert enter_from(address("webchat"), f"link {new_code()}", when, place).result is LinkResult.wrong
    assert enter_from(address("webchat"), f"link {code}", when, place).result is LinkResult.too_many_tries
    # Someone else, on SMS or from another place, is not locked out by them.
    assert enter(address("sms"), f"link {code}", when).result is LinkResult.linked
