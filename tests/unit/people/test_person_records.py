"""When a link code makes two people one, everything of the person left behind moves: goals,
recovery meanings, the stress bucket, check-ins, consent choices. Where each had a setting
only one can have (check-in rhythm, where a flow stopped), the joined person's is kept."""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import uuid4

from sqlalchemy import func, select

from bot.services.consent import ledger as consent
from bot.services.guided.flow_positions import get_position, set_position
from bot.services.people import identity_links
from bot.services.people.lookup import identity_for_address, person_for_address
from bot.services.people.records import person_columns
from bot.services.recovery import bucket, checkins, goals
from bot.services.recovery import meaning as recovery
from bot.store.db import unit_of_work
from bot.store.models import Person

NOW = datetime.now(timezone.utc)


def new_person(channel: str) -> tuple[str, str]:
    address = (channel, f"{channel}-{uuid4()}")
    with unit_of_work() as session:
        person_for_address(session, *address)
    return address


def pid(address: tuple[str, str]) -> str:
    with unit_of_work() as session:
        return person_for_address(session, *address).id


def link(asker: tuple[str, str], sender: tuple[str, str]) -> None:
    with unit_of_work() as session:
        code = identity_links.make_code(session, identity_for_address(session, *asker), NOW).code
    with unit_of_work() as session:
        outcome = identity_links.redeem(session, identity_for_address(session, *sender), f"link {code}", NOW)
    assert outcome.result is identity_links.LinkResult.linked


def test_goals_meanings_bucket_checkins_and_consent_move_with_the_person(migrated_database):
    web, sms = new_person("webchat"), new_person("sms")
    left_behind, kept = pid(sms), pid(web)
    with unit_of_work() as session:
        coordinator = Person()
        session.add(coordinator)
        session.flush()
        coordinator_id = coordinator.id
        goals.add_goal(session, left_behind, "walk to the park", "sms")
        recovery.save_meaning(session, left_behind, "feeling like myself again", "sms")
        bucket.save_items(session, left_behind, bucket.KINDS[0], "money worries", "sms")
        checkins.set_rhythm(session, left_behind, checkins.parse_rhythm("every monday at 10am"))
        consent.grant(session, left_behind, coordinator_id, ["triggers"], wording="test", channel="sms")
    link(web, sms)
    with unit_of_work() as session:
        assert pid(sms) == kept
        assert [goal.text for goal in goals.active_goals(session, kept)] == ["walk to the park"]
        assert recovery.current_meaning(session, kept).text == "feeling like myself again"
        assert bucket.texts(session, kept)[bucket.KINDS[0]] == ["money worries"]
        assert checkins.schedule_for(session, kept) is not None
        assert "triggers" in consent.active_categories(session, kept, coordinator_id)


def test_where_both_had_a_setting_the_joined_persons_own_is_kept(migrated_database):
    web, sms = new_person("webchat"), new_person("sms")
    left_behind, kept = pid(sms), pid(web)
    with unit_of_work() as session:
        checkins.set_rhythm(session, kept, checkins.parse_rhythm("every friday at 6pm"))
        checkins.set_rhythm(session, left_behind, checkins.parse_rhythm("every monday at 10am"))
        set_position(session, kept, "goals", "ask_goal")
        set_position(session, left_behind, "goals", "step:123")
        set_position(session, left_behind, "bucket", "triggers")
        kept_rhythm = checkins.describe(checkins.schedule_for(session, kept))
    link(web, sms)
    with unit_of_work() as session:
        assert checkins.describe(checkins.schedule_for(session, kept)) == kept_rhythm
        assert get_position(session, kept, "goals") == "ask_goal"
        assert get_position(session, kept, "bucket") == "triggers"  # no clash: it moved


def test_after_joining_nothing_points_at_the_person_left_behind(migrated_database):
    web, sms = new_person("webchat"), new_person("sms")
    left_behind = pid(sms)
    with unit_of_work() as session:
        goals.add_goal(session, left_behind, "cook a meal", "sms")
        set_position(session, left_behind, "goals", "ask_goal")
        checkins.set_rhythm(session, left_behind, checkins.parse_rhythm("every day at 9am"))
    link(web, sms)
    with unit_of_work() as session:
        left = {
            f"{found.table.name}.{found.column.name}": session.execute(
                select(func.count()).select_from(found.table).where(found.column == left_behind)
            ).scalar_one()
            for found in person_columns()
        }
    assert {name: count for name, count in left.items() if count} == {}
    assert "goals.person_id" in left and "checkin_schedules.person_id" in left  # found from the schema


def test_a_check_in_at_the_same_time_is_never_dropped_with_its_note(migrated_database):
    from bot.store.goals_models import CheckIn

    web, sms = new_person("webchat"), new_person("sms")
    left_behind, kept = pid(sms), pid(web)
    slot = NOW.replace(microsecond=0)
    with unit_of_work() as session:
        for person_id, note in ((kept, "slept better"), (left_behind, "saw my sister")):
            session.add(
                CheckIn(person_id=person_id, due_at=slot, channel="sms", status="answered", rating="better", note=note)
            )
    link(web, sms)
    with unit_of_work() as session:
        notes = {row.person_id: row.note for row in session.query(CheckIn).filter(CheckIn.due_at == slot)}
    assert notes == {kept: "slept better", left_behind: "saw my sister"}  # kept with the merge record
