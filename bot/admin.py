"""`python -m bot admin ...`: coordinators, passwords, disabling accounts, enrolment, caseloads.
`python -m bot audit verify`: check the audit log's hash chain.

For whoever runs the service, on the server. Passwords and phone numbers are never taken from
the command line (they would stay in the shell's history): they are asked for, or read from
standard input with --password-stdin / --number-stdin for scripts. See docs/dashboard.md.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import NoReturn, TextIO

from bot.services.people import enrolment
from bot.services.people.enrolment import EnrolmentError
from bot.services.privacy import audit
from bot.services.staff import accounts as staff
from bot.services.staff.accounts import StaffError
from bot.store.db import unit_of_work


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"That command was not quite right: {message}.\nAdd --help to see how to use it.\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m bot admin", description="Manage coordinators and caseloads.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    create = commands.add_parser("create-coordinator", help="add a care coordinator's account")
    create.add_argument("username", help="what they sign in with, for example sam.jones")
    create.add_argument("--name", required=True, help="the name service users see, for example Sam")
    create.add_argument("--notify", required=True, choices=["sms", "email"], help="how to nudge them")
    create.add_argument("--address", required=True, help="their work mobile number or email address")

    password = commands.add_parser("set-password", help="set or reset a coordinator's password")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true", help="read it from standard input")

    code = commands.add_parser("enrol-code", help="make a one-time enrolment code for a new person")
    code.add_argument("username", help="the coordinator whose caseload they join")
    code.add_argument("--label", help="what the coordinator calls them on the dashboard (initials are enough)")

    phone = commands.add_parser("enrol-phone", help="enrol someone who has texted Alongside, by their number")
    phone.add_argument("username", help="the coordinator whose caseload they join")
    phone.add_argument("--label", help="what the coordinator calls them on the dashboard (initials are enough)")
    phone.add_argument("--number-stdin", action="store_true", help="read the number from standard input")

    caseloads = commands.add_parser("caseloads", help="list coordinators and who is on their caseload")
    caseloads.add_argument("username", nargs="?", help="only this coordinator")

    unlock = commands.add_parser(
        "unlock", help="forget an account's failed sign-ins, so no address is refused for it any more"
    )
    unlock.add_argument("username")

    disable = commands.add_parser(
        "disable-user", help="stop an account signing in and end its sessions now (enable-user undoes it)"
    )
    disable.add_argument("username")

    enable = commands.add_parser("enable-user", help="let a disabled account sign in again")
    enable.add_argument("username")
    return parser


def main(argv: list[str], stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    arguments = _parser().parse_args(argv)
    stdin, out = stdin or sys.stdin, out or sys.stdout
    handler: Callable = _HANDLERS[arguments.command]
    try:
        return handler(arguments, stdin, out)
    except (StaffError, EnrolmentError) as problem:
        print(f"Nothing was changed. {problem}", file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        print("\nStopped. Nothing was changed.", file=sys.stderr)
        return 2


def _create_coordinator(arguments, _stdin, out) -> int:
    with unit_of_work() as session:
        account = staff.create_coordinator(
            session, arguments.username, arguments.name, arguments.notify, arguments.address
        )
        username = account.username
    print(
        f"Created {username}. Now set their password: python -m bot admin set-password {username}",
        file=out,
    )
    return 0


def _set_password(arguments, stdin, out) -> int:
    if arguments.password_stdin:
        password = stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("New password: ")
        if getpass.getpass("The same again: ") != password:
            raise StaffError("The two passwords were different. Please try again.")
    with unit_of_work() as session:
        account = staff.require_account(session, arguments.username)
        ended = staff.set_password(session, account, password)
        username, disabled = account.username, staff.is_disabled(account)
    signed_out = f" {_sessions_ended(ended)}" if ended else ""
    after = (
        f"It stays disabled until: python -m bot admin enable-user {username}" if disabled else "They can sign in now."
    )
    print(f"Password set for {username}.{signed_out} {after}", file=out)
    return 0


def _enrol_code(arguments, _stdin, out) -> int:
    with unit_of_work() as session:
        account = staff.require_account(session, arguments.username)
        issued = enrolment.issue_code(session, account, arguments.label)
        name = account.display_name
    print(
        f"Enrolment code: {issued.code}\n"
        f"Give it to the person (not by email). They send it to Alongside by text or web chat,\n"
        f'for example "my enrolment code is {issued.code}", to join {name}\'s caseload.\n'
        f"It works once, until {_when(issued.expires_at)} UTC. Nothing is shared until they agree.",
        file=out,
    )
    return 0


def _enrol_phone(arguments, stdin, out) -> int:
    number = stdin.readline().strip() if arguments.number_stdin else input("Their mobile number: ").strip()
    with unit_of_work() as session:
        account = staff.require_account(session, arguments.username)
        added = enrolment.enrol_by_phone(session, account, number, arguments.label)
        name = account.display_name
    if added:
        print(f"Done: they are on {name}'s caseload. Nothing is shared until they agree.", file=out)
    else:
        print(f"They were already on {name}'s caseload; nothing changed.", file=out)
    return 0


def _caseloads(arguments, _stdin, out) -> int:
    from sqlalchemy import select

    from bot.store.staff_models import StaffAccount

    with unit_of_work() as session:
        if arguments.username:
            accounts = [staff.require_account(session, arguments.username)]
        else:
            accounts = list(session.execute(select(StaffAccount).order_by(StaffAccount.username)).scalars())
        if not accounts:
            print("No coordinators yet. Add one: python -m bot admin create-coordinator --help", file=out)
            return 0
        for account in accounts:
            people = enrolment.active_caseload(session, account.person_id)
            disabled = " (disabled)" if staff.is_disabled(account) else ""
            refused = staff.refused_addresses(session, account)
            throttled = f" (refused from {refused} address{'es' if refused > 1 else ''} for now)" if refused else ""
            password = "" if account.password_hash else " (no password yet)"
            print(
                f"{account.username}: {account.display_name}, nudged by {account.notify_channel}"
                f"{disabled}{throttled}{password}, {len(people)} on caseload",
                file=out,
            )
            for person in people:
                print(f"  - {person.label} (since {_when(person.started_at, time=False)})", file=out)
            audit.record(session, None, "caseload_viewed", None, f"staff:{account.person_id}", actor_kind="admin")
    return 0


def _unlock(arguments, _stdin, out) -> int:
    with unit_of_work() as session:
        account = staff.require_account(session, arguments.username)
        cleared = staff.clear_failures(session, account)
        username = account.username
    print(
        f"Forgot {cleared} failed sign-in{'' if cleared == 1 else 's'} for {username}: "
        "no address is refused for them now.",
        file=out,
    )
    return 0


def _disable_user(arguments, _stdin, out) -> int:
    with unit_of_work() as session:
        account = staff.require_account(session, arguments.username)
        ended = staff.disable(session, account)
        username = account.username
    print(
        f"Disabled {username}: they cannot sign in. {_sessions_ended(ended)}\n"
        f"Undo it with: python -m bot admin enable-user {username}",
        file=out,
    )
    return 0


def _enable_user(arguments, _stdin, out) -> int:
    with unit_of_work() as session:
        account = staff.require_account(session, arguments.username)
        changed = staff.enable(session, account)
        username = account.username
    print(
        f"Enabled {username}. They can sign in again." if changed else f"{username} was not disabled; nothing changed.",
        file=out,
    )
    return 0


def _sessions_ended(count: int) -> str:
    if count == 0:
        return "They had no open session."
    return "Their open session has ended." if count == 1 else f"Their {count} open sessions have ended."


def _when(moment, time: bool = True) -> str:
    """ "3 December 2026 14:05", the UK way."""
    return f"{moment.day} {moment:%B %Y}" + (f" {moment:%H:%M}" if time else "")


_HANDLERS = {
    "create-coordinator": _create_coordinator,
    "set-password": _set_password,
    "enrol-code": _enrol_code,
    "enrol-phone": _enrol_phone,
    "caseloads": _caseloads,
    "unlock": _unlock,
    "disable-user": _disable_user,
    "enable-user": _enable_user,
}


def audit_main(argv: list[str], out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if argv != ["verify"]:
        print("Usage: python -m bot audit verify   (checks the audit log's hash chain)", file=sys.stderr)
        return 2
    with unit_of_work() as session:
        result = audit.verify(session)
    if result.ok:
        print(f"The audit log is intact: {result.entries} entries, each linked to the one before.", file=out)
        return 0
    when = f" ({_when(result.broken_at)} UTC)" if result.broken_at else ""
    where = f"entry {result.broken_seq}{when}" if result.broken_seq else "the chain head"
    print(
        f"The audit log has been tampered with or damaged. First problem: {where}: {result.problem}. "
        f"The {result.entries} entries before it check out.",
        file=out,
    )
    return 1
