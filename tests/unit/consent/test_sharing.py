"""Sharing with a coordinator: exactly the saved items, one content-free notification per
share in the same transaction, and nothing at all without consent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.services.consent import ledger as consent
from bot.services.consent import sharing
from bot.services.consent.content import load_consent_content
from bot.services.wrap import plan as wrap
from bot.store.consent_models import ShareEvent
from bot.store.db import unit_of_work
from bot.store.outbox_models import OutboxMessage, OutboxStatus
from tests.support.caseloads import add_coordinator, add_person, enrol

WORDING = "Would you like to share your triggers with Sam, your care coordinator?"


def _plan(session, person_id: str) -> None:
    plan = wrap.plan_for(session, person_id)
    wrap.save_answer(session, plan, "triggers", "crowds, payday", "sms")
    wrap.save_answer(session, plan, "warning_signs", "not sleeping", "sms")
    wrap.save_answer(session, plan, "toolbox", "a walk by the canal", "sms")
    item = wrap.save_answer(session, plan, "triggers", "arguments with my brother Dave", "sms")[0]
    wrap.remove_item(session, plan, item.id)


@pytest.fixture
def person(migrated_database):
    with unit_of_work() as session:
        person_id = add_person(session)
        coordinator_id = add_coordinator(session, "Sam", "sms", "+447700900001")
        enrol(session, coordinator_id, person_id)
        _plan(session, person_id)
    return person_id, coordinator_id


def _count(session, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return session.execute(query).scalar_one()


def test_the_preview_is_the_live_saved_items_of_those_sections_only(person):
    person_id, _ = person
    with unit_of_work() as session:
        shown = sharing.preview(session, person_id, ["triggers", "crisis_plan"])
    assert [(s.category, s.title) for s in shown] == [("triggers", "Triggers")]
    assert [i.text for i in shown[0].items] == ["crowds", "payday"]  # the removed one is not there
    assert all(i.label for i in shown[0].items)


def test_a_share_records_consent_an_event_and_exactly_one_notification(person):
    person_id, coordinator_id = person
    with unit_of_work() as session:
        result = sharing.share_with_coordinator(session, person_id, ["triggers"], "sms", wording=WORDING)
        event_id = result.share_event.id
    with unit_of_work() as session:
        assert consent.active_categories(session, person_id, coordinator_id) == {"triggers"}
        event = session.get(ShareEvent, event_id)
        assert (event.person_id, event.coordinator_id, event.categories) == (person_id, coordinator_id, "triggers")
        [message] = (
            session.execute(select(OutboxMessage).where(OutboxMessage.person_id == coordinator_id)).scalars().all()
        )
        assert message.idempotency_key == f"share-event:{event_id}"
        assert (message.channel, message.recipient) == ("sms", "+447700900001")
        assert message.purpose == sharing.NOTIFICATION_PURPOSE


def test_the_notification_says_only_that_there_is_something_to_look_at(person):
    person_id, coordinator_id = person
    with unit_of_work() as session:
        wrap.save_answer(session, wrap.plan_for(session, person_id), "triggers", "Sam", "sms")
        result = sharing.share_with_coordinator(
            session, person_id, ["triggers", "early_warning_signs", "wellness_toolbox"], "sms", wording=WORDING
        )
        body = result.notification.body
    assert body == load_consent_content().notification_body
    for words in ("crowds", "payday", "sleeping", "canal", "trigger", "warning", "toolbox", "crisis", person_id):
        assert words.lower() not in body.lower()


def test_an_email_coordinator_gets_an_email_with_a_subject(migrated_database):
    with unit_of_work() as session:
        person_id = add_person(session)
        coordinator_id = add_coordinator(session, "Jo", "email", "jo@example.nhs.uk")
        enrol(session, coordinator_id, person_id)
        result = sharing.share_with_coordinator(session, person_id, ["triggers"], "web", wording=WORDING)
        assert (result.notification.channel, result.notification.recipient) == ("email", "jo@example.nhs.uk")
        assert result.notification.subject == load_consent_content().notification_subject


def test_without_a_notification_address_the_share_still_happens(migrated_database):
    with unit_of_work() as session:
        person_id = add_person(session)
        coordinator_id = add_coordinator(session, "Jo", "email", None)
        enrol(session, coordinator_id, person_id)
        result = sharing.share_with_coordinator(session, person_id, ["triggers"], "web", wording=WORDING)
        assert result.notification is None
        assert consent.active_categories(session, person_id, coordinator_id) == {"triggers"}
        assert _count(session, ShareEvent, person_id=person_id) == 1


def test_the_share_is_one_transaction_with_its_notification(person):
    person_id, coordinator_id = person
    with pytest.raises(RuntimeError), unit_of_work() as session:
        sharing.share_with_coordinator(session, person_id, ["triggers"], "sms", wording=WORDING)
        raise RuntimeError("the action failed after sharing")
    with unit_of_work() as session:
        assert consent.active_categories(session, person_id, coordinator_id) == set()
        assert _count(session, ShareEvent, person_id=person_id) == 0
        assert _count(session, OutboxMessage, person_id=coordinator_id) == 0


def test_without_consent_nothing_is_visible_or_queued(person):
    person_id, coordinator_id = person
    with unit_of_work() as session:
        consent.decline(session, person_id, coordinator_id, ["triggers"], wording=WORDING, channel="sms")
        assert sharing.visible_to(session, person_id, coordinator_id) == []
        assert _count(session, OutboxMessage, person_id=coordinator_id) == 0
        assert _count(session, ShareEvent, person_id=person_id) == 0


def test_visible_to_follows_consent_and_withdrawal_hides_at_once(person):
    person_id, coordinator_id = person
    with unit_of_work() as session:
        sharing.share_with_coordinator(session, person_id, ["triggers", "early_warning_signs"], "sms", wording=WORDING)
    with unit_of_work() as session:
        assert [s.category for s in sharing.visible_to(session, person_id, coordinator_id)] == [
            "triggers",
            "early_warning_signs",
        ]
        consent.withdraw(session, person_id, coordinator_id, ["triggers"], wording=WORDING, channel="sms")
    with unit_of_work() as session:
        assert [s.category for s in sharing.visible_to(session, person_id, coordinator_id)] == ["early_warning_signs"]


def test_each_share_queues_its_own_one_notification(person):
    person_id, coordinator_id = person
    with unit_of_work() as session:
        sharing.share_with_coordinator(session, person_id, ["triggers"], "sms", wording=WORDING)
    with unit_of_work() as session:
        sharing.share_with_coordinator(session, person_id, ["early_warning_signs"], "sms", wording=WORDING)
    with unit_of_work() as session:
        assert _count(session, ShareEvent, person_id=person_id) == 2
        assert _count(session, OutboxMessage, person_id=coordinator_id) == 2


def test_no_coordinator_or_no_categories_shares_nothing(migrated_database):
    with unit_of_work() as session:
        person_id = add_person(session)
        with pytest.raises(sharing.NoCoordinator):
            sharing.share_with_coordinator(session, person_id, ["triggers"], "sms", wording=WORDING)
        coordinator_id = add_coordinator(session)
        enrol(session, coordinator_id, person_id)
        with pytest.raises(ValueError):
            sharing.share_with_coordinator(session, person_id, [], "sms", wording=WORDING)
        assert _count(session, ShareEvent, person_id=person_id) == 0


def test_categories_with_items(person):
    person_id, _ = person
    with unit_of_work() as session:
        found = sharing.categories_with_items(session, person_id, ["crisis_plan", "triggers", "wellness_toolbox"])
    assert found == ["wellness_toolbox", "triggers"]


def test_a_share_withdrawn_before_its_notification_goes_sends_no_notification(person):
    """Issue 22.9: no "something new" email to sign in for and find nothing."""
    person_id, coordinator_id = person
    with unit_of_work() as session:
        first = sharing.share_with_coordinator(session, person_id, ["triggers"], "sms", wording=WORDING)
        second = sharing.share_with_coordinator(session, person_id, ["crisis_plan"], "sms", wording=WORDING)
        keys = {consent.share_notice_key(first.share_event.id), consent.share_notice_key(second.share_event.id)}
    with unit_of_work() as session:
        consent.withdraw(session, person_id, coordinator_id, ["triggers"], wording=WORDING, channel="sms")
    with unit_of_work() as session:
        status = dict(
            session.execute(
                select(OutboxMessage.idempotency_key, OutboxMessage.status).where(
                    OutboxMessage.idempotency_key.in_(keys)
                )
            ).all()
        )
    assert status[consent.share_notice_key(first.share_event.id)] == OutboxStatus.cancelled
    assert status[consent.share_notice_key(second.share_event.id)] == OutboxStatus.pending  # still something to see
    with unit_of_work() as session:
        consent.withdraw(session, person_id, coordinator_id, ["crisis_plan"], wording=WORDING, channel="sms")
    with unit_of_work() as session:
        assert (
            session.execute(
                select(OutboxMessage.status).where(
                    OutboxMessage.idempotency_key == consent.share_notice_key(second.share_event.id)
                )
            ).scalar_one()
            == OutboxStatus.cancelled
        )


def test_a_notification_email_links_to_the_persons_dashboard_page_and_a_text_does_not(migrated_database):
    """Issue 22.8: the link is the dashboard address (settings) and the person's random id: no health data."""
    from bot.settings import dashboard_url

    with unit_of_work() as session:
        person_id = add_person(session)
        coordinator_id = add_coordinator(session, "Sam", "email", "sam@example.nhs.uk")
        enrol(session, coordinator_id, person_id)
        _plan(session, person_id)
        result = sharing.share_with_coordinator(session, person_id, ["triggers"], "sms", wording=WORDING)
        email = result.notification
        assert f"{dashboard_url()}/people/{person_id}" in email.body
        assert email.body.startswith(load_consent_content().notification_body)
        assert "crowds" not in email.body.lower()
