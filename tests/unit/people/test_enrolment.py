"""Enrolment: one-time codes (hashed, single use, expiring, rate-limited), by phone number,
and caseload labels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot.common.clock import utc_now
from bot.services.people import enrolment
from bot.services.people.enrolment import EnrolmentError, Redeemed
from bot.services.staff import accounts as staff
from bot.store.db import unit_of_work
from bot.store.models import Person, Role
from tests.support.coordinators import make_coordinator, make_person

pytestmark = pytest.mark.usefixtures("migrated_database")


def issue(username, label=None, now=None):
    with unit_of_work() as session:
        return enrolment.issue_code(session, staff.account_by_username(session, username), label, now=now)


def redeem(person_id, message, now=None):
    with unit_of_work() as session:
        return enrolment.redeem_code(session, session.get(Person, person_id), message, now=now)


def caseload(coordinator_id):
    with unit_of_work() as session:
        return enrolment.active_caseload(session, coordinator_id)


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("KMTR-4829", "KMTR-4829"),
        ("kmtr4829", "KMTR-4829"),
        ("my enrolment code is Kmtr 4829.", "KMTR-4829"),
        ("code: abcd-0001 thanks", "ABCD-0001"),
        ("hello", None),
        ("year 20245", None),
        ("xkmtr-4829", None),
    ],
)
def test_codes_are_found_in_what_people_type(message, code):
    assert enrolment.code_in_text(message) == code


def test_a_code_enrols_once_and_is_stored_only_as_a_hash():
    username, coordinator_id = make_coordinator(name="Sam")
    issued = issue(username, label="J.S.")
    person_id = make_person()
    with unit_of_work() as session:
        stored = " ".join(str(row) for row in session.execute(text("SELECT * FROM enrolments")).all())
    assert issued.code not in stored and issued.code.replace("-", "") not in stored and "J.S." not in stored
    result = redeem(person_id, f"my code is {issued.code.lower()}")
    assert result == enrolment.RedeemResult(Redeemed.enrolled, "Sam")
    assert [(p.person_id, p.label) for p in caseload(coordinator_id)] == [(person_id, "J.S.")]
    assert redeem(make_person(), issued.code).outcome is Redeemed.not_valid  # used already


def test_an_expired_code_does_not_work():
    username, _ = make_coordinator()
    issued = issue(username, now=utc_now() - timedelta(days=8))
    assert redeem(make_person(), issued.code).outcome is Redeemed.not_valid


def test_wrong_codes_are_rate_limited_per_person():
    username, _ = make_coordinator()
    issued = issue(username)
    person_id = make_person()
    outcomes = [redeem(person_id, f"AAAA-{n:04d}").outcome for n in range(5)]
    assert outcomes == [Redeemed.not_valid] * 5
    assert redeem(person_id, issued.code).outcome is Redeemed.too_many_tries
    assert redeem(person_id, issued.code, now=utc_now() + timedelta(minutes=61)).outcome is Redeemed.enrolled


def test_a_message_without_a_code_is_not_an_attempt():
    person_id = make_person()
    for _ in range(10):
        assert redeem(person_id, "I have a code from my coordinator").outcome is Redeemed.no_code


def test_enrolling_twice_says_already_and_makes_one_entry():
    username, coordinator_id = make_coordinator()
    person_id = make_person()
    assert redeem(person_id, issue(username).code).outcome is Redeemed.enrolled
    assert redeem(person_id, issue(username).code).outcome is Redeemed.already
    assert len(caseload(coordinator_id)) == 1


def test_the_person_becomes_a_service_user():
    username, _ = make_coordinator()
    with unit_of_work() as session:
        person = Person(role=Role.unknown)
        session.add(person)
        session.flush()
        person_id = person.id
    redeem(person_id, issue(username).code)
    with unit_of_work() as session:
        assert session.get(Person, person_id).role is Role.service_user


def test_enrol_by_phone_finds_the_person_by_the_hash_of_their_number():
    username, coordinator_id = make_coordinator()
    person_id = make_person(number="+447700900555")
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        assert enrolment.enrol_by_phone(session, account, "07700 900555", "Kim")
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        assert not enrolment.enrol_by_phone(session, account, "+44 7700 900555")
    assert [(p.person_id, p.label) for p in caseload(coordinator_id)] == [(person_id, "Kim")]


# A number no other test registers (they share one database), so "nobody has texted" is true.
@pytest.mark.parametrize(
    ("number", "problem"), [("07700 900987", "Nobody has texted"), ("call me", "does not look like")]
)
def test_enrol_by_phone_explains_an_unknown_or_bad_number(number, problem):
    username, _ = make_coordinator()
    with pytest.raises(EnrolmentError, match=problem), unit_of_work() as session:
        enrolment.enrol_by_phone(session, staff.account_by_username(session, username), number)


def test_without_a_label_a_person_gets_a_stable_pseudonymous_one():
    username, coordinator_id = make_coordinator()
    person_id = make_person()
    redeem(person_id, issue(username).code)
    label = caseload(coordinator_id)[0].label
    assert label.startswith("Person ") and len(label) == 11
    assert label == enrolment.pseudonymous_label(person_id)


def test_caseloads_are_separate():
    first, first_id = make_coordinator()
    _, second_id = make_coordinator()
    redeem(make_person(), issue(first).code)
    assert len(caseload(first_id)) == 1 and caseload(second_id) == []
    with unit_of_work() as session:
        ids = session.execute(select(Person.id)).scalars().all()
    assert first_id in ids
