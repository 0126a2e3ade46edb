"""What a coordinator sees, acknowledgement and reminders, straight through the services."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest
from sqlalchemy import select

from bot.common.clock import utc_now
from bot.common.readability import check_text
from bot.services.consent.ledger import active_categories
from bot.services.coordination import acknowledgements, dashboard, reminders
from bot.services.coordination.dashboard_content import load_dashboard_content
from bot.services.messaging import notices
from bot.store.audit_models import AuditEntry
from bot.store.consent_models import ShareEvent
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage
from tests.support.coordinators import consent, enrol, make_coordinator, make_person, save_plan, share

pytestmark = pytest.mark.usefixtures("migrated_database")
LONDON_MONDAY_10AM = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)  # GMT in March: UTC = UK time


def setup_person(number: str | None = "+447700900321", shared=("triggers",), at=None):
    username, coordinator_id = make_coordinator(name="Sam")
    person_id = make_person(number=number)
    enrol(username, person_id, label="J.S.")
    save_plan(
        person_id,
        {
            "triggers": "crowds, payday",
            "warning_signs": "not sleeping",
            "supporters": "my sister Ann",
        },
    )
    event_id = share(person_id, coordinator_id, list(shared), at=at) if shared else None
    return coordinator_id, person_id, event_id


def page(coordinator_id, person_id, now=None):
    with unit_of_work() as session:
        return dashboard.open_person_page(session, coordinator_id, person_id, now or utc_now())


def texts(found):
    return [item.text for section in found.sections for question in section.questions for item in question.items]


# -- consent ------------------------------------------------------------------------------------


def test_the_newest_consent_record_decides_and_a_passed_review_date_ends_it():
    coordinator_id, person_id, _ = setup_person(shared=())
    now = utc_now()
    consent(person_id, coordinator_id, "triggers", at=now - timedelta(days=3))
    consent(person_id, coordinator_id, "crisis_plan", at=now - timedelta(days=3))
    consent(person_id, coordinator_id, "crisis_plan", "withdrawn", at=now - timedelta(days=1))
    consent(
        person_id, coordinator_id, "post_crisis", at=now - timedelta(days=300), review_due_at=now - timedelta(days=1)
    )
    with unit_of_work() as session:
        assert active_categories(session, person_id, coordinator_id, now) == {"triggers"}
        assert active_categories(session, person_id, "someone-else", now) == set()


# -- the person page ----------------------------------------------------------------------------


def test_only_consented_sections_are_shown():
    coordinator_id, person_id, _ = setup_person(shared=("triggers",))
    found = page(coordinator_id, person_id)
    assert [section.id for section in found.sections] == ["triggers"]
    assert texts(found) == ["crowds", "payday"]
    assert found.label == "J.S." and found.waiting == ("triggers",)


def test_withdrawal_hides_the_content_at_once():
    coordinator_id, person_id, _ = setup_person(shared=("triggers", "crisis_plan"))
    assert "my sister Ann" in texts(page(coordinator_id, person_id))
    consent(person_id, coordinator_id, "crisis_plan", "withdrawn")
    found = page(coordinator_id, person_id)
    assert "my sister Ann" not in texts(found) and [s.id for s in found.sections] == ["triggers"]


def test_another_coordinator_gets_nothing():
    _, person_id, _ = setup_person()
    _, other_id = make_coordinator()
    with unit_of_work() as session:
        assert dashboard.open_person_page(session, other_id, person_id, utc_now()) is None
        assert dashboard.printable_summary(session, other_id, person_id, utc_now()) is None


def test_changes_since_the_last_look_are_marked():
    coordinator_id, person_id, _ = setup_person(shared=("triggers",))
    first = page(coordinator_id, person_id)
    assert first.sections[0].newly_shared and all(i.mark is None for q in first.sections[0].questions for i in q.items)
    save_plan(person_id, {"triggers": "loud music"})
    with unit_of_work() as session:
        from bot.services.wrap import plan as wrap

        plan = wrap.plan_for(session, person_id)
        crowds = [i for i in wrap.current_items(session, plan) if i.text == "crowds"][0]
        wrap.change_item(session, plan, crowds.id, "busy places", "sms")
        payday = [i for i in wrap.current_items(session, plan) if i.text == "payday"][0]
        wrap.remove_item(session, plan, payday.id)
    second = page(coordinator_id, person_id)
    marks = {item.text: item.mark for q in second.sections[0].questions for item in q.items}
    assert marks == {"busy places": "changed", "loud music": "new"}
    assert second.removed_since == 1 and not second.sections[0].newly_shared
    third = page(coordinator_id, person_id)
    assert all(item.mark is None for q in third.sections[0].questions for item in q.items)


def test_opening_the_page_marks_the_share_read_and_is_audited():
    coordinator_id, person_id, event_id = setup_person()
    page(coordinator_id, person_id)
    with unit_of_work() as session:
        assert session.get(ShareEvent, event_id).read_at is not None
        entry = session.execute(
            select(AuditEntry).where(AuditEntry.subject_person_id == person_id, AuditEntry.action == "person_viewed")
        ).scalar_one()
    assert entry.actor_id == coordinator_id and entry.detail == "shown:triggers"


def test_the_caseload_counts_what_is_new_and_what_waits():
    coordinator_id, person_id, _ = setup_person(shared=("triggers",))
    with unit_of_work() as session:
        [row] = dashboard.caseload_overview(session, coordinator_id, utc_now())
    assert (row.label, row.shared, row.new_count) == ("J.S.", ("triggers",), 2) and row.waiting_since
    assert row.seen_up_to is None
    page(coordinator_id, person_id)
    with unit_of_work() as session:
        [row] = dashboard.caseload_overview(session, coordinator_id, utc_now())
    assert row.new_count == 0 and row.waiting_since and row.seen_up_to  # still waiting until acknowledged


def caseload_row(coordinator_id, person_id, now):
    with unit_of_work() as session:
        rows = dashboard.caseload_overview(session, coordinator_id, now)
    return next(row for row in rows if row.person_id == person_id)


def test_new_stays_new_across_sign_ins_until_that_persons_page_is_opened():
    """Issue 22.7: "4 new" became "Nothing new" at the next sign-in though the page was never
    opened. "New" is per person now: only opening that person's page moves it on."""
    from bot.services.staff import accounts as staff
    from bot.services.staff import web_sessions
    from bot.store.staff_models import StaffAccount
    from tests.support.coordinators import PASSWORD

    coordinator_id, opened, _ = setup_person(shared=("triggers",))
    with unit_of_work() as session:
        username = session.get(StaffAccount, coordinator_id).username
    unopened = make_person()
    enrol(username, unopened, label="K.T.")
    save_plan(unopened, {"triggers": "the news, shouting", "warning_signs": "not eating"})
    share(unopened, coordinator_id, ["triggers", "early_warning_signs"])
    start = utc_now()
    for hours in (1, 26, 50):  # signing in again, days later, and looking at the caseload each time
        now = start + timedelta(hours=hours)
        with unit_of_work() as session:
            signed = staff.sign_in(session, username, PASSWORD, address="198.51.100.22", now=now)
            web_sessions.start(session, signed.account, signed.previous_visit_at, now)
        assert caseload_row(coordinator_id, unopened, now).new_count == 3
        assert caseload_row(coordinator_id, opened, now).new_count == 2

    page(coordinator_id, opened)  # opened at last (now: the items were saved just before)
    later = start + timedelta(hours=52)
    assert caseload_row(coordinator_id, opened, later).new_count == 0
    assert caseload_row(coordinator_id, unopened, later).new_count == 3  # another person's page is not theirs
    save_plan(opened, {"triggers": "loud music"})  # saved after the page was opened
    assert caseload_row(coordinator_id, opened, later).new_count == 1


def test_seen_up_to_is_for_each_coordinator_and_never_goes_back():
    coordinator_id, person_id, _ = setup_person(shared=("triggers",))
    _, other_id = make_coordinator(name="Alex")
    now = utc_now()
    page(coordinator_id, person_id, now=now + timedelta(hours=2))
    page(coordinator_id, person_id, now=now + timedelta(hours=1))  # a slower, older request finishing late
    with unit_of_work() as session:
        assert dashboard.seen_up_to(session, coordinator_id) == {person_id: now + timedelta(hours=2)}
        assert dashboard.seen_up_to(session, other_id) == {}


def test_a_carers_message_says_which_linked_carer_left_it():
    """Issue 22.6: the dashboard shows who left a carer's message, from the link it came through."""
    from bot.services.carers import carers
    from bot.services.people.lookup import identity_for_address, person_for_address

    coordinator_id, person_id, _ = setup_person(shared=())
    linked_at = utc_now()

    def carer_says(relation, text, at):
        address = ("sms", f"carer-{uuid4()}")
        with unit_of_work() as session:
            made = carers.make_code(session, person_id, relation, at)
            identity = identity_for_address(session, *address)
            assert carers.redeem(session, identity, made.code, at).result is carers.LinkResult.linked
            carers.leave_message(session, person_for_address(session, *address).id, text, channel="sms", now=at)
        return made.link_id

    brother_link = carer_says("brother", "he is not sleeping", linked_at)
    carer_says(None, "she missed her appointment", linked_at + timedelta(minutes=1))
    with unit_of_work() as session:
        assert carers.remove_link(session, person_id, brother_link, channel="sms", now=linked_at + timedelta(hours=1))
    with unit_of_work() as session:
        shown = carers.messages_for_coordinator(session, coordinator_id, person_id, linked_at + timedelta(hours=2))
    senders = {message.text: message.sender for message in shown}
    assert senders == {
        "he is not sleeping": carers.MessageSender("brother", linked_at, linked_at + timedelta(hours=1)),
        "she missed her appointment": carers.MessageSender(None, linked_at + timedelta(minutes=1), None),
    }


# -- acknowledgement ----------------------------------------------------------------------------


def outbox_for(person_id):
    with unit_of_work() as session:
        return list(session.execute(select(OutboxMessage).where(OutboxMessage.person_id == person_id)).scalars())


def test_acknowledging_texts_the_person_once_naming_the_categories():
    coordinator_id, person_id, event_id = setup_person(shared=("early_warning_signs", "triggers"))
    now = utc_now()
    with unit_of_work() as session:
        result = acknowledgements.acknowledge(session, coordinator_id, person_id, now)
    assert result == acknowledgements.Acknowledgement(("triggers", "early_warning_signs"), True)
    with unit_of_work() as session:
        assert acknowledgements.acknowledge(session, coordinator_id, person_id, now) is None  # nothing left
        event = session.get(ShareEvent, event_id)
        assert event.acknowledged_at is not None and event.read_at is not None
    [message] = outbox_for(person_id)
    assert message.body == "Sam has read your triggers and early warning signs. Thank you for sharing."
    assert message.channel == "sms" and message.recipient == "+447700900321" and message.purpose == "acknowledgement"


def test_the_thanks_fits_one_part_as_well_as_many():
    coordinator_id, person_id, _ = setup_person(shared=("crisis_plan",))
    with unit_of_work() as session:
        acknowledgements.acknowledge(session, coordinator_id, person_id, utc_now())
    [message] = outbox_for(person_id)
    assert message.body == "Sam has read your crisis plan. Thank you for sharing."


def test_someone_we_cannot_text_hears_at_their_next_chat():
    coordinator_id, person_id, _ = setup_person(number=None)
    with unit_of_work() as session:
        assert not acknowledgements.acknowledge(session, coordinator_id, person_id, utc_now()).texted
    assert outbox_for(person_id) == []
    with unit_of_work() as session:
        assert notices.take_unseen(session, person_id) == ["Sam has read your triggers. Thank you for sharing."]
    with unit_of_work() as session:
        assert notices.take_unseen(session, person_id) == []


def test_a_withdrawn_share_cannot_be_acknowledged():
    coordinator_id, person_id, _ = setup_person(shared=("triggers",))
    consent(person_id, coordinator_id, "triggers", "withdrawn")
    with unit_of_work() as session:
        assert acknowledgements.acknowledge(session, coordinator_id, person_id, utc_now()) is None
    assert outbox_for(person_id) == []


# -- reminders ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime(2026, 3, 2, 10), datetime(2026, 3, 4, 10)),  # Monday -> Wednesday
        (datetime(2026, 3, 6, 10), datetime(2026, 3, 10, 10)),  # Friday -> Tuesday
        (datetime(2026, 3, 7, 10), datetime(2026, 3, 11, 0)),  # Saturday -> Wednesday 00:00
        (datetime(2026, 3, 5, 23), datetime(2026, 3, 9, 23)),  # Thursday 23:00 -> Monday 23:00
    ],
)
def test_working_days_skip_weekends(start, expected):
    start, expected = start.replace(tzinfo=timezone.utc), expected.replace(tzinfo=timezone.utc)
    assert reminders.add_working_days(start, 2) == expected


def test_working_days_follow_the_uk_clock_in_summer():
    start = datetime(2026, 7, 3, 22, 30, tzinfo=timezone.utc)  # Friday 23:30 in London (BST)
    assert reminders.add_working_days(start, 2) == datetime(2026, 7, 7, 22, 30, tzinfo=timezone.utc)


def reminders_for(coordinator_id):
    with unit_of_work() as session:
        return list(
            session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.person_id == coordinator_id, OutboxMessage.purpose == "share_reminder"
                )
            ).scalars()
        )


def run_reminders(now):
    with unit_of_work() as session:
        return reminders.queue_due_reminders(session, now)


def test_a_reminder_after_two_working_days_unread_and_not_before():
    coordinator_id, person_id, event_id = setup_person(at=LONDON_MONDAY_10AM)
    run_reminders(LONDON_MONDAY_10AM + timedelta(days=2) - timedelta(minutes=1))
    assert reminders_for(coordinator_id) == []
    run_reminders(LONDON_MONDAY_10AM + timedelta(days=2))
    run_reminders(LONDON_MONDAY_10AM + timedelta(days=3))  # once only
    [message] = reminders_for(coordinator_id)
    assert message.channel == "email" and message.subject and "J.S." not in message.body
    assert "crowds" not in message.body and "triggers" not in message.body.lower()


def test_no_reminder_once_read_or_after_withdrawal():
    coordinator_id, person_id, _ = setup_person(at=LONDON_MONDAY_10AM)
    page(coordinator_id, person_id, now=LONDON_MONDAY_10AM + timedelta(hours=1))
    run_reminders(LONDON_MONDAY_10AM + timedelta(days=5))
    assert reminders_for(coordinator_id) == []
    other_coordinator, other_person, _ = setup_person(at=LONDON_MONDAY_10AM)
    consent(other_person, other_coordinator, "triggers", "withdrawn", at=LONDON_MONDAY_10AM + timedelta(hours=1))
    run_reminders(LONDON_MONDAY_10AM + timedelta(days=5))
    assert reminders_for(other_coordinator) == []


def test_one_reminder_per_coordinator_for_several_shares():
    coordinator_id, first, _ = setup_person(at=LONDON_MONDAY_10AM)
    second = make_person()
    from tests.support.coordinators import enrol as enrol_person

    with unit_of_work() as session:
        from bot.store.staff_models import StaffAccount

        username = session.get(StaffAccount, coordinator_id).username
    enrol_person(username, second)
    share(second, coordinator_id, ["crisis_plan"], at=LONDON_MONDAY_10AM)
    assert run_reminders(LONDON_MONDAY_10AM + timedelta(days=2)) >= 1
    assert len(reminders_for(coordinator_id)) == 1


# -- content ------------------------------------------------------------------------------------


def test_what_people_read_is_plain_english():
    content = load_dashboard_content()
    phrase = content.categories_phrase(["triggers", "early_warning_signs"])
    for text in (content.text("acknowledged", coordinator="Sam", categories=phrase), content.text("reminder_sms")):
        assert check_text(text) <= 7.0, text


def test_someone_no_longer_on_the_caseload_is_not_shown():
    from bot.store.models import CaseloadEntry

    coordinator_id, person_id, _ = setup_person()
    with unit_of_work() as session:
        entry = session.execute(select(CaseloadEntry).where(CaseloadEntry.service_user_id == person_id)).scalar_one()
        entry.ended_at = utc_now()
    assert page(coordinator_id, person_id) is None
    with unit_of_work() as session:
        assert dashboard.caseload_overview(session, coordinator_id, utc_now()) == []
        assert acknowledgements.acknowledge(session, coordinator_id, person_id, utc_now()) is None


def test_review_suggested_shows_on_the_caseload_only_while_consent_holds():
    from bot.services.coordination import review_flags

    coordinator_id, person_id, _ = setup_person(shared=("triggers",))
    with unit_of_work() as session:
        assert review_flags.flag_review(session, person_id, "said_stuck") is None, "no consent, no flag"
        review_flags.record_consent(session, person_id, "May Sam be told?", "sms")
        assert review_flags.flag_review(session, person_id, "said_stuck") is not None

    def row():
        with unit_of_work() as session:
            rows = dashboard.caseload_overview(session, coordinator_id, utc_now())
        return next(r for r in rows if r.person_id == person_id)

    assert row().review_suggested
    consent(person_id, coordinator_id, "goals_checkins", "withdrawn")
    assert not row().review_suggested
