"""`python -m bot admin ...` and `python -m bot audit verify`, as an administrator uses them."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import uuid

import pytest

from bot.admin import audit_main, main
from bot.common.clock import utc_now
from bot.services.people import enrolment
from bot.services.staff import accounts as staff
from bot.services.staff import web_sessions
from bot.settings import PROJECT_ROOT
from bot.store.db import unit_of_work
from bot.store.models import Person
from tests.support.coordinators import make_person

pytestmark = pytest.mark.usefixtures("migrated_database")


def admin(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), out=out)
    return code, out.getvalue()


def new_username() -> str:
    return f"cli.{uuid.uuid4().hex[:8]}"


def test_create_a_coordinator_set_a_password_and_list_them(capsys):
    username = new_username()
    code, said = admin(
        "create-coordinator", username, "--name", "Sam", "--notify", "email", "--address", "sam@example.org"
    )
    assert code == 0 and "set-password" in said
    code, said = admin("set-password", username, "--password-stdin", stdin="a perfectly good password\n")
    assert code == 0 and "can sign in" in said
    with unit_of_work() as session:
        result = staff.sign_in(session, username, "a perfectly good password")
    assert result.outcome is staff.SignIn.ok
    code, said = admin("caseloads", username)
    assert code == 0 and f"{username}: Sam, nudged by email" in said and "0 on caseload" in said


def test_a_weak_password_changes_nothing_and_says_why(capsys):
    username = new_username()
    admin("create-coordinator", username, "--name", "Sam", "--notify", "sms", "--address", "07700 900123")
    code, _ = admin("set-password", username, "--password-stdin", stdin="short\n")
    assert code == 2 and "at least 12 characters" in capsys.readouterr().err
    with unit_of_work() as session:
        assert staff.account_by_username(session, username).password_hash is None


def test_an_enrolment_code_is_printed_and_works_once(capsys):
    username = new_username()
    admin("create-coordinator", username, "--name", "Ali", "--notify", "email", "--address", "ali@example.org")
    code, said = admin("enrol-code", username, "--label", "R.T.")
    issued = re.search(r"Enrolment code: ([A-Z]{4}-[0-9]{4})", said).group(1)
    assert code == 0 and "works once" in said
    person_id = make_person()
    with unit_of_work() as session:
        result = enrolment.redeem_code(session, session.get(Person, person_id), issued)
    assert result.outcome is enrolment.Redeemed.enrolled and result.coordinator_name == "Ali"
    assert "R.T. (since" in admin("caseloads", username)[1]


def test_enrol_by_phone_reads_the_number_from_stdin_and_explains_an_unknown_one(capsys):
    username = new_username()
    admin("create-coordinator", username, "--name", "Ali", "--notify", "email", "--address", "ali@example.org")
    make_person(number="+447700900777")
    code, said = admin("enrol-phone", username, "--number-stdin", stdin="07700 900777\n")
    assert code == 0 and "on Ali's caseload" in said
    code, _ = admin("enrol-phone", username, "--number-stdin", stdin="07700 900778\n")
    assert code == 2 and "Nobody has texted Alongside from that number" in capsys.readouterr().err


def test_a_common_password_is_refused_in_plain_words(capsys):
    username = new_username()
    admin("create-coordinator", username, "--name", "Sam", "--notify", "email", "--address", "sam@example.org")
    for common in ("password1234", "Summer2024!!", f"{username}2024"):
        code, _ = admin("set-password", username, "--password-stdin", stdin=f"{common}\n")
        assert code == 2 and "too common or too easy to guess" in capsys.readouterr().err
    with unit_of_work() as session:
        assert staff.account_by_username(session, username).password_hash is None


def test_unlock_forgets_the_failed_sign_ins_that_refuse_an_address(capsys):
    username = new_username()
    admin("create-coordinator", username, "--name", "Ali", "--notify", "email", "--address", "ali@example.org")
    admin("set-password", username, "--password-stdin", stdin="a perfectly good password\n")
    for attempt in range(5):
        with unit_of_work() as session:
            staff.sign_in(session, username, f"not it {attempt}", address="198.51.100.20")
    assert "(refused from 1 address for now)" in admin("caseloads", username)[1]
    code, said = admin("unlock", username)
    assert code == 0 and "Forgot 5 failed sign-ins" in said
    assert "refused" not in admin("caseloads", username)[1]
    with unit_of_work() as session:
        result = staff.sign_in(session, username, "a perfectly good password", address="198.51.100.20")
    assert result.outcome is staff.SignIn.ok


def test_disable_user_and_enable_user(capsys):
    username = new_username()
    admin("create-coordinator", username, "--name", "Ali", "--notify", "email", "--address", "ali@example.org")
    admin("set-password", username, "--password-stdin", stdin="a perfectly good password\n")
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        web_sessions.start(session, account, None, utc_now())
    code, said = admin("disable-user", username)
    assert code == 0 and "cannot sign in" in said and "open session has ended" in said and "enable-user" in said
    assert "(disabled)" in admin("caseloads", username)[1]
    with unit_of_work() as session:
        refused = staff.sign_in(session, username, "a perfectly good password")
    assert refused.outcome is staff.SignIn.refused and refused.refusal is staff.Refusal.disabled
    code, said = admin("set-password", username, "--password-stdin", stdin="another fine pass phrase\n")
    assert code == 0 and "stays disabled until" in said
    assert "Enabled" in admin("enable-user", username)[1]
    assert "was not disabled" in admin("enable-user", username)[1]
    with unit_of_work() as session:
        assert staff.sign_in(session, username, "another fine pass phrase").outcome is staff.SignIn.ok


def test_set_password_says_how_many_sessions_it_ended(capsys):
    username = new_username()
    admin("create-coordinator", username, "--name", "Ali", "--notify", "email", "--address", "ali@example.org")
    admin("set-password", username, "--password-stdin", stdin="a perfectly good password\n")
    with unit_of_work() as session:
        account = staff.account_by_username(session, username)
        token = web_sessions.start(session, account, None, utc_now())
    code, said = admin("set-password", username, "--password-stdin", stdin="another fine pass phrase\n")
    assert code == 0 and "Their open session has ended" in said
    with unit_of_work() as session:
        assert web_sessions.current(session, token, utc_now()) is None


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["unlock", "no.such.person"], "There is no coordinator called"),
        (["disable-user", "no.such.person"], "There is no coordinator called"),
        (["enable-user", "no.such.person"], "There is no coordinator called"),
        (["enrol-code", "no.such.person"], "There is no coordinator called"),
        (["create-coordinator", "ok.name", "--name", "Sam", "--notify", "email", "--address", "nope"], "email address"),
    ],
)
def test_mistakes_get_a_kind_message_and_change_nothing(capsys, argv, problem):
    assert admin(*argv)[0] == 2
    assert "Nothing was changed." in capsys.readouterr().err


def test_unknown_commands_and_missing_arguments_say_how_to_get_help(capsys):
    with pytest.raises(SystemExit) as stopped:
        admin("make-tea")
    assert stopped.value.code == 2 and "--help" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        admin("create-coordinator", "sam.x")
    assert "--name" in capsys.readouterr().err


def test_audit_verify_reports_an_intact_log():
    out = io.StringIO()
    assert audit_main(["verify"], out=out) == 0
    assert "intact" in out.getvalue()


def test_the_commands_run_as_python_m_bot():
    username = new_username()
    run = lambda *argv, stdin="": subprocess.run(  # noqa: E731
        [sys.executable, "-m", "bot", *argv], cwd=PROJECT_ROOT, input=stdin, capture_output=True, text=True, timeout=120
    )
    created = run(
        "admin", "create-coordinator", username, "--name", "Jo", "--notify", "email", "--address", "jo@example.org"
    )
    assert created.returncode == 0, created.stderr
    assert (
        run("admin", "set-password", username, "--password-stdin", stdin="a perfectly good password\n").returncode == 0
    )
    verified = run("audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout
