"""The audit log: append-only, hash-chained, never forked by concurrent writers, and
`verify()` names the first entry that was changed or removed."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.services.privacy import audit
from tests.support.databases import own_sqlite_database


@pytest.fixture
def database(tmp_path):
    own = own_sqlite_database(tmp_path)
    yield own
    own.dispose()


def write_entries(database, count: int, actor: str = "staff-1") -> None:
    for number in range(count):
        with database.unit_of_work() as session:
            audit.record(session, actor, "person_viewed", f"person-{number}", "triggers")


def test_entries_chain_and_verify(database):
    write_entries(database, 5)
    with database.unit_of_work() as session:
        result = audit.verify(session)
        entries = audit.entries_about(session, "person-2")
    assert result.ok and result.entries == 5
    assert [entry.seq for entry in entries] == [3]
    assert entries[0].prev_hash != entries[0].entry_hash


def test_an_empty_log_verifies(database):
    with database.unit_of_work() as session:
        assert audit.verify(session).ok


def test_the_database_refuses_to_change_or_delete_an_entry(database):
    write_entries(database, 2)
    for statement in ("UPDATE audit_entries SET detail = 'x'", "DELETE FROM audit_entries"):
        with pytest.raises(DBAPIError, match="append-only"), database.unit_of_work() as session:
            session.execute(text(statement))


def tamper(database, statement: str) -> audit.Verification:
    """What someone with the database owner's rights could do: drop the guard and edit."""
    with database.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_update"))
        connection.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_delete"))
        connection.execute(text(statement))
    with database.unit_of_work() as session:
        return audit.verify(session)


def test_a_changed_entry_is_found(database):
    write_entries(database, 6)
    result = tamper(database, "UPDATE audit_entries SET subject_person_id = 'someone-else' WHERE seq = 4")
    assert not result.ok and result.broken_seq == 4 and "changed" in result.problem


def test_a_rehashed_entry_still_breaks_the_next_link(database):
    write_entries(database, 6)
    # Always a different first character (a hash that already began with "f" was once left as it was).
    result = tamper(
        database,
        "UPDATE audit_entries SET entry_hash = "
        "(CASE WHEN substr(entry_hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END) || substr(entry_hash, 2) WHERE seq = 2",
    )
    assert not result.ok and result.broken_seq == 2


def test_a_removed_entry_is_found(database):
    write_entries(database, 6)
    result = tamper(database, "DELETE FROM audit_entries WHERE seq = 3")
    assert not result.ok and result.broken_seq == 4 and "missing" in result.problem


def test_removing_the_newest_entries_is_found(database):
    write_entries(database, 6)
    result = tamper(database, "DELETE FROM audit_entries WHERE seq >= 5")
    assert not result.ok and result.broken_seq == 5 and "removed" in result.problem


def test_a_different_secret_key_does_not_verify(database, monkeypatch):
    from bot.settings import get_settings

    write_entries(database, 2)
    monkeypatch.setenv("SECRET_KEY", "another-secret-that-is-long-enough-0123456789")
    get_settings.cache_clear()
    try:
        with database.unit_of_work() as session:
            assert audit.verify(session).broken_seq == 1
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_unknown_actions_and_long_details_are_refused(database):
    with database.unit_of_work() as session:
        with pytest.raises(audit.AuditError):
            audit.record(session, "x", "looked_around")
        with pytest.raises(audit.AuditError):
            audit.record(session, "x", "person_viewed", detail="x" * 201)
        with pytest.raises(audit.AuditError):
            audit.record(session, "x", "person_viewed", actor_kind="robot")


def test_an_entry_rolls_back_with_the_work_it_records(database):
    with pytest.raises(RuntimeError), database.unit_of_work() as session:
        audit.record(session, "staff-1", "person_viewed", "p")
        raise RuntimeError("the page failed")
    write_entries(database, 1)
    with database.unit_of_work() as session:
        result = audit.verify(session)
    assert result.ok and result.entries == 1


def concurrent_writers(database, writers: int = 4, each: int = 15) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def writer(number: int) -> None:
        try:
            start.wait()
            for index in range(each):
                with database.unit_of_work() as session:
                    # a read first, like a page does before it records the view
                    session.execute(text("SELECT count(*) FROM audit_entries")).scalar()
                    audit.record(session, f"staff-{number}", "person_viewed", f"p-{index}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with database.unit_of_work() as session:
        result = audit.verify(session)
    assert result.ok and result.entries == writers * each


def test_concurrent_writers_do_not_fork_the_chain_on_sqlite(database):
    concurrent_writers(database)
