"""Carers as plain services, on the real database: codes (reused, expired, guessed, rate
limited), access by consent (nothing by default, withdrawal at once), carers' messages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest
from sqlalchemy import select

from bot.services.carers import carers
from bot.services.carers.carers import LinkResult, MessageOutcome
from bot.services.consent import ledger as consent
from bot.services.people.lookup import identity_for_address, person_for_address
from bot.settings import get_settings
from bot.store.audit_models import AuditEntry
from bot.store.carer_models import CarerLink, CarerMessage
from bot.store.consent_models import ConsentRecord, RecipientKind
from bot.store.db import unit_of_work
from bot.store.models import Person, Role
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import enrol, make_coordinator, make_person, save_plan

NOW = datetime.now(timezone.utc)
PLAN = {"triggers": "payday marker-trig", "crisis_contacts": "call Ann marker-crisis", "toolbox": "walks marker-tool"}


@pytest.fixture
def person(migrated_database) -> str:
    person_id = make_person()
    save_plan(person_id, PLAN)
    return person_id


def carer_address() -> tuple[str, str]:
    return "sms", f"carer-{uuid4()}"


def make_code(person_id: str, relation: str | None = "mum", now: datetime = NOW) -> carers.MadeCode:
    with unit_of_work() as session:
        return carers.make_code(session, person_id, relation, now)


def enter(who: tuple[str, str], text: str, now: datetime = NOW) -> carers.Redeemed:
    with unit_of_work() as session:
        return carers.redeem(session, identity_for_address(session, *who), text, now)


def carer_id(who: tuple[str, str]) -> str:
    with unit_of_work() as session:
        return person_for_address(session, *who).id


def set_access(person_id: str, link_id: str, categories, now: datetime = NOW) -> tuple[str, ...]:
    with unit_of_work() as session:
        return carers.set_access(session, person_id, link_id, categories, channel="sms", now=now)


def shared_texts(who: tuple[str, str], now: datetime = NOW) -> list[str]:
    with unit_of_work() as session:
        return [item.text for each in carers.shared_with_carer(session, carer_id(who), now) for item in each.items]


# -- codes ------------------------------------------------------------------------------------


def test_a_code_is_eight_digits_and_found_however_it_is_copied():
    assert carers.find_code("my code is 4829-7316") == "48297316"
    assert carers.find_code("4829 7316") == "48297316"
    assert carers.find_code("48297316") == "48297316"
    assert carers.find_code("call 07700 900123") is None
    assert carers.find_code("K7P2QX") is None and carers.find_code("KMTR-4829") is None
    assert carers.is_code_message("here is the code my son gave me: 4829 7316")
    assert not carers.is_code_message("1234")


def test_a_good_code_links_the_carer_once_and_shares_nothing_by_itself(person):
    made = make_code(person)
    assert len(made.code) == 9 and made.code[4] == "-"
    who = carer_address()
    assert enter(who, f"my code is {made.code}").result is LinkResult.linked
    with unit_of_work() as session:
        link = session.get(CarerLink, made.link_id)
        assert (
            link.carer_person_id == carer_id(who)
            and link.code_hash
            and made.code.replace("-", "") not in link.code_hash
        )
        assert session.get(Person, carer_id(who)).role is Role.carer
        assert consent.active_categories(session, person, carer_id(who)) == set()
    assert shared_texts(who) == []


def test_a_code_used_once_is_refused_the_second_time(person):
    made = make_code(person)
    assert enter(carer_address(), made.code).result is LinkResult.linked
    assert enter(carer_address(), made.code).result is LinkResult.used


def test_an_expired_code_is_refused(person):
    made = make_code(person, now=NOW - timedelta(hours=carers.CODE_HOURS, minutes=1))
    assert enter(carer_address(), made.code).result is LinkResult.expired


def test_a_guessed_code_is_refused_and_tries_are_limited_per_sender(person):
    made = make_code(person)
    guesser = carer_address()
    wrong = "1111-2222" if made.code != "1111-2222" else "3333-4444"
    for _ in range(get_settings().carer_code_tries_per_hour):
        assert enter(guesser, wrong).result is LinkResult.wrong
    # Even the right code is not checked now, for this sender ...
    assert enter(guesser, made.code).result is LinkResult.too_many_tries
    assert enter(guesser, made.code, NOW + timedelta(minutes=61)).result is LinkResult.linked
    # ... while someone else is not held up by them.
    other = make_code(person)
    assert enter(carer_address(), other.code).result is LinkResult.linked


def test_the_person_cannot_use_their_own_code(person):
    made = make_code(person)
    with unit_of_work() as session:
        person_row = session.get(Person, person)
        identity = identity_for_address(session, "sms", f"own-{uuid4()}")
        identity.person_id = person_row.id
        session.flush()
        outcome = carers.redeem(session, identity, made.code, NOW)
    assert outcome.result is LinkResult.own


def test_a_code_for_a_link_that_was_removed_no_longer_works(person):
    made = make_code(person)
    with unit_of_work() as session:
        assert carers.remove_link(session, person, made.link_id, channel="sms", now=NOW)
    assert enter(carer_address(), made.code).result is LinkResult.wrong


# -- access -----------------------------------------------------------------------------------


def test_parts_chosen_before_linking_are_granted_when_the_carer_links(person):
    made = make_code(person)
    assert set_access(person, made.link_id, ["crisis_plan"]) == ("crisis_plan",)
    who = carer_address()
    enter(who, made.code)
    with unit_of_work() as session:
        records = (
            session.execute(
                select(ConsentRecord).where(
                    ConsentRecord.person_id == person, ConsentRecord.recipient_id == carer_id(who)
                )
            )
            .scalars()
            .all()
        )
        assert [(r.category, r.recipient_kind, r.decision.value) for r in records] == [
            ("crisis_plan", RecipientKind.carer, "granted")
        ]
        assert "{" not in records[0].wording and "mum" not in records[0].wording
    assert shared_texts(who) == ["call Ann marker-crisis"]


def test_changes_and_withdrawal_apply_on_the_next_request(person):
    made = make_code(person)
    who = carer_address()
    enter(who, made.code)
    set_access(person, made.link_id, ["crisis_plan", "triggers"])
    assert sorted(shared_texts(who)) == ["call Ann marker-crisis", "payday marker-trig"]
    set_access(person, made.link_id, ["triggers"], now=NOW + timedelta(seconds=1))
    assert shared_texts(who, NOW + timedelta(seconds=2)) == ["payday marker-trig"]
    with unit_of_work() as session:
        carers.remove_link(session, person, made.link_id, channel="sms", now=NOW + timedelta(seconds=3))
    assert shared_texts(who, NOW + timedelta(seconds=4)) == []
    with unit_of_work() as session:
        assert carers.links_of(session, person, NOW + timedelta(seconds=4)) == []


def test_withdrawing_through_the_consent_ledger_hides_it_from_the_carer_at_once(person):
    made = make_code(person)
    who = carer_address()
    enter(who, made.code)
    set_access(person, made.link_id, ["crisis_plan"])
    with unit_of_work() as session:
        consent.withdraw(
            session,
            person,
            carer_id(who),
            ["crisis_plan"],
            wording="stop",
            channel="sms",
            recipient_kind=RecipientKind.carer,
            now=NOW + timedelta(seconds=1),
        )
    assert shared_texts(who, NOW + timedelta(seconds=2)) == []


def test_each_view_by_a_carer_is_audited_with_ids_only(person):
    made = make_code(person)
    who = carer_address()
    enter(who, made.code)
    set_access(person, made.link_id, ["crisis_plan"])
    shared_texts(who)
    with unit_of_work() as session:
        entries = (
            session.execute(
                select(AuditEntry).where(
                    AuditEntry.action == "carer_viewed_shared", AuditEntry.subject_person_id == person
                )
            )
            .scalars()
            .all()
        )
    assert entries and entries[-1].actor_id == carer_id(who) and "crisis_plan" in entries[-1].detail
    assert "marker" not in entries[-1].detail


def test_links_are_listed_and_chosen_by_the_word_the_person_used(person):
    mum, dad = make_code(person, "mum"), make_code(person, "dad")
    set_access(person, dad.link_id, ["triggers"])
    with unit_of_work() as session:
        views = carers.links_of(session, person, NOW)
    assert [(v.relation, v.linked, v.categories) for v in views] == [("mum", False, ()), ("dad", False, ("triggers",))]
    assert carers.choose_link(views, "stop sharing with my dad").link_id == dad.link_id
    assert carers.choose_link(views, "change what my carer can see") is None
    assert carers.choose_link(views[:1], "change it").link_id == mum.link_id


@pytest.mark.parametrize(
    "text, reply, categories",
    [
        ("just my crisis plan", "parts", ("crisis_plan",)),
        ("triggers and crisis plan", "parts", ("triggers", "crisis_plan")),
        ("nothing", "nothing", ()),
        ("no", "nothing", ()),
        ("yes", "unclear", ()),
        ("I took my medication", "unclear", ()),
        ("stop", "stop", ()),
    ],
)
def test_the_answer_to_which_parts_is_read_strictly(text, reply, categories):
    answer = carers.read_access_answer(text)
    assert (answer.reply.value, answer.categories) == (reply, categories)


# -- messages ---------------------------------------------------------------------------------


def test_a_carers_message_reaches_the_coordinator_with_a_content_free_notification(person):
    username, coordinator_id = make_coordinator(name="Sam", notify="sms")
    enrol(username, person)
    made = make_code(person)
    who = carer_address()
    enter(who, made.code)  # no parts shared: listening needs no consent
    now = datetime.now(timezone.utc)  # after the enrolment
    with unit_of_work() as session:
        result = carers.leave_message(session, carer_id(who), "he has stopped his tablets", channel="sms", now=now)
    assert result.outcome is MessageOutcome.sent and result.coordinator_name == "Sam"
    with unit_of_work() as session:
        message = session.get(CarerMessage, result.message_ids[0])
        assert message.about_person_id == person and message.coordinator_id == coordinator_id
        note = session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"carer-message:{message.id}")
        ).scalar_one()
        assert "tablets" not in note.body and "Sam" not in note.body and note.person_id == coordinator_id
        shown = carers.messages_for_coordinator(session, coordinator_id, person, now)
        assert [m.text for m in shown] == ["he has stopped his tablets"] and shown[0].new
        assert carers.unread_counts(session, coordinator_id) == {}


def test_a_carer_who_is_not_linked_is_told_how_to_reach_the_team(migrated_database):
    who = carer_address()
    with unit_of_work() as session:
        result = carers.leave_message(
            session, person_for_address(session, *who).id, "he is unwell", channel="sms", now=NOW
        )
    assert result.outcome is MessageOutcome.not_linked and result.message_ids == ()


def test_a_message_for_a_person_without_a_coordinator_is_kept_and_the_carer_told(person):
    made = make_code(person)
    who = carer_address()
    enter(who, made.code)
    with unit_of_work() as session:
        result = carers.leave_message(session, carer_id(who), "worried", channel="sms", now=NOW)
    assert result.outcome is MessageOutcome.no_coordinator and len(result.message_ids) == 1


def test_asking_to_leave_a_message_is_told_apart_from_the_message_itself():
    assert carers.is_only_a_request("I want to leave a message for the care team")
    assert carers.is_only_a_request("can I tell his coordinator something")
    assert not carers.is_only_a_request("he has stopped his tablets")


def test_the_content_is_checked_and_every_support_topic_names_a_source():
    content = carers.carers_content()
    assert content.topics and all(topic.source for topic in content.topics)
    assert carers.support_topic_in("can I get a carer's assessment").id == "assessment"
    assert "{" not in content.texts["access_ask"]


@pytest.mark.parametrize(
    "text, heard",
    [
        ("my daughter won't talk to me", "won't talk to you"),
        ("My daughter won’t talk to me about her illness", "won't talk to you"),
        ("my son wont talk to me", "won't talk to you"),
        ("my partner is unwell and I'm not coping", "how you feel matters too"),
        ("I'm worried sick about my son", "is not well"),
        ("I'm a carer", None),
        ("I look after my son", None),
        ("/for_someone_else", None),
    ],
)
def test_a_worry_a_carer_starts_with_is_said_back_in_one_kind_sentence(text, heard):
    said = carers.worry_heard(text)
    if heard is None:
        assert said is None
    else:
        assert said and said.startswith("That sounds hard.") and heard in said and said.count(".") == 2


def test_a_carer_linked_with_two_people_is_asked_to_contact_the_team_and_nothing_is_passed_on(person):
    other = make_person()
    who = carer_address()
    enter(who, make_code(person).code)
    enter(who, make_code(other, "dad").code)
    with unit_of_work() as session:
        result = carers.leave_message(session, carer_id(who), "he is unwell", channel="sms", now=NOW)
        assert result.outcome is MessageOutcome.several and result.message_ids == ()
        assert (
            session.execute(select(CarerMessage).where(CarerMessage.carer_person_id == carer_id(who))).first() is None
        )


def test_a_new_coordinator_sees_carers_messages_left_before_they_took_over(person):
    first, first_id = make_coordinator(name="Sam")
    enrol(first, person)
    who = carer_address()
    enter(who, make_code(person).code)
    with unit_of_work() as session:
        carers.leave_message(session, carer_id(who), "not sleeping", channel="sms", now=datetime.now(timezone.utc))
    _, second_id = make_coordinator(name="Alex")
    with unit_of_work() as session:  # the caller has checked the caseload
        assert [m.text for m in carers.messages_for_coordinator(session, second_id, person)] == ["not sleeping"]


def test_a_carer_who_links_their_web_chat_to_their_phone_keeps_what_is_shared_with_them(person):
    from bot.services.people import identity_links

    made = make_code(person)
    set_access(person, made.link_id, ["crisis_plan"])
    phone = carer_address()
    enter(phone, made.code)
    web = ("webchat", f"carer-web-{uuid4()}")
    with unit_of_work() as session:
        link_code = identity_links.make_code(session, identity_for_address(session, *web), NOW).code
    with unit_of_work() as session:  # the phone joins the web chat's person
        assert (
            identity_links.redeem(session, identity_for_address(session, *phone), f"link {link_code}", NOW).result
            is identity_links.LinkResult.linked
        )
    assert carer_id(phone) == carer_id(web)
    assert shared_texts(web) == ["call Ann marker-crisis"]


def test_stop_sharing_with_mum_ends_the_linked_mum_even_after_a_second_code_was_made(person):
    first = make_code(person, "mum")
    who = carer_address()
    enter(who, first.code)
    set_access(person, first.link_id, ["crisis_plan"])
    second = make_code(person, "mum", NOW + timedelta(seconds=1))  # asked again, not yet used
    later = NOW + timedelta(seconds=2)
    with unit_of_work() as session:
        views = carers.links_of(session, person, later)
        chosen = carers.choose_link(views, "stop sharing with my mum")
        assert chosen.link_id == first.link_id  # the mum who can see something now
        carers.remove_chosen(session, person, views, chosen, channel="sms", now=later)
    assert shared_texts(who, later + timedelta(seconds=1)) == []
    with unit_of_work() as session:
        assert carers.links_of(session, person, later + timedelta(seconds=1)) == []  # the unused code ended too
    assert enter(carer_address(), second.code, later + timedelta(seconds=1)).result is not LinkResult.linked


def test_two_linked_carers_with_the_same_name_are_not_guessed_between(person):
    for _ in range(2):
        made = make_code(person, "friend")
        enter(carer_address(), made.code)
    with unit_of_work() as session:
        views = carers.links_of(session, person, NOW + timedelta(seconds=1))
    assert carers.choose_link(views, "stop sharing with my friend") is None


def test_a_message_left_before_a_coordinator_took_over_shows_as_new_for_them(person):
    made = make_code(person)
    who = carer_address()
    enter(who, made.code)
    with unit_of_work() as session:  # no coordinator yet: the message waits for one
        carers.leave_message(session, carer_id(who), "she is not sleeping", channel="sms")
    username, coordinator_id = make_coordinator(name="Priya")
    enrol(username, person)
    with unit_of_work() as session:
        assert carers.unread_counts(session, coordinator_id) == {person: 1}


def test_a_second_code_used_by_the_same_carer_brings_the_parts_chosen_for_it(person):
    first = make_code(person, "mum")
    who = carer_address()
    enter(who, first.code)
    set_access(person, first.link_id, ["crisis_plan"])
    second = make_code(person, "mum", NOW + timedelta(seconds=1))
    set_access(person, second.link_id, ["triggers"], now=NOW + timedelta(seconds=1))
    assert enter(who, second.code, NOW + timedelta(seconds=2)).result is LinkResult.already
    assert shared_texts(who, NOW + timedelta(seconds=3)) == ["payday marker-trig"]  # the newest choice, exactly


@pytest.mark.parametrize("relation", ["mum", "grandad", "partner", None])
def test_a_carers_name_at_the_start_of_a_sentence_has_a_capital(relation):
    content = carers.carers_content()
    names = carers.name_phrases(relation)
    removed = content.text("removed", **names)
    assert removed.startswith("Done. Your ") or removed.startswith("Done. The person you chose ")
    for text_id in ("access_nothing", "access_set", "list_sees", "list_sees_nothing", "list_waiting"):
        filled = content.text(text_id, categories="crisis plan", **names)
        assert f". {names['name']}" not in filled and not filled.startswith(names["name"]), filled
    assert f'"stop sharing with {names["my_name"]}"' in content.text("access_set", categories="crisis plan", **names)
