"""The care coordinators' dashboard: a small Sanic app, `python -m bot web` (make run starts it).

Pages: sign in, caseload, a person's shared plan, its printable summary; forms: sign out,
acknowledge, reply to a carer's message (bot/services/carers/replies.py). The rules live in services (bot/services/coordination/dashboard.py, acknowledgements.py,
staff.py, web_sessions.py); this module checks who is asking, parses forms strictly, renders
templates (autoescaped) and sends every response with the headers in bot/web/security.py.
No page uses a script. Errors are plain pages that say what to do, never a stack trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.request import Request

from bot.common.clock import utc_now
from bot.common.templates import render
from bot.security.client_address import client_address, trust_configured_proxies
from bot.services.carers import carers, replies
from bot.services.coordination import acknowledgements, dashboard, team_messages
from bot.services.people import enrolment
from bot.services.privacy import audit
from bot.services.staff import accounts as staff
from bot.services.staff import web_sessions
from bot.settings import Settings, get_settings
from bot.store.db import unit_of_work
from bot.web import security
from bot.web.security import BadForm

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
MAX_REQUEST_BYTES = 16 * 1024
PERSON_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PRE_SESSION_MINUTES = 30


def page(template: str, status: int = 200, **context: Any) -> response.HTTPResponse:
    context.setdefault("signed_in", None)
    return response.html(render(template, **context), status=status)


def problem_page(status: int, **context: Any) -> response.HTTPResponse:
    return page("error.html", status=status, status_code=status, **context)


class DashboardErrors(ErrorHandler):
    """Every error is one of our plain pages, with the security headers; nothing leaks."""

    def default(self, request: Request, exception: Exception) -> response.HTTPResponse:
        status = getattr(exception, "status_code", 500) if isinstance(exception, SanicException) else 500
        if status >= 500:
            logger.error("Dashboard error (%s)", type(exception).__name__)  # no request data
            status = 500
        reply = problem_page(status if status in (400, 404, 405, 413) else 500 if status >= 500 else 400)
        reply.headers.update(security.security_headers())
        reply.headers["Cache-Control"] = "no-store"
        return reply


# -- who is asking ----------------------------------------------------------------------------


# The form fields each POST handler takes (set by `accepts`), so a form can carry nothing else.
_FORM_FIELDS: dict[Callable, frozenset[str]] = {}


def signed_in(handler: Callable) -> Callable:
    """Only for a signed-in coordinator; others go to the sign-in page. POSTs need the CSRF
    token of the session, else a 400 page."""

    @wraps(handler)
    async def wrapper(request: Request, *args: Any, **kwargs: Any):
        now = utc_now()
        with unit_of_work() as session:
            who = web_sessions.current(session, security.read_cookie(request, security.SESSION_COOKIE), now)
        if who is None:
            return response.redirect("/sign-in", status=303)
        form: dict[str, str] = {}
        if request.method == "POST":
            try:
                form = security.parse_form(
                    request.content_type, request.body, set(_FORM_FIELDS.get(handler, {"csrf_token"}))
                )
            except BadForm as problem:
                return problem_page(400, signed_in=who, reason=str(problem))
            if not web_sessions.csrf_matches(who.csrf_token, form.get("csrf_token")):
                return problem_page(400, signed_in=who, reason="The form was out of date or not from this page.")
        return await handler(request, who, form, now, *args, **kwargs)

    return wrapper


def accepts(*fields: str) -> Callable:
    """The form fields a POST handler takes (the CSRF token always)."""

    def mark(handler: Callable) -> Callable:
        _FORM_FIELDS[handler] = frozenset({"csrf_token", *fields})
        return handler

    return mark


# -- the app ----------------------------------------------------------------------------------


DASHBOARD_STATIC_FILES = {"dashboard.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml"}


def create_app(name: str = "alongside_dashboard") -> Sanic:
    app = Sanic(name, error_handler=DashboardErrors(), configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.REQUEST_TIMEOUT = 30
    app.config.FALLBACK_ERROR_FORMAT = "html"
    trust_configured_proxies(app)

    @app.get("/static/<name>")
    async def static(_: Request, name: str):
        # Only the dashboard's own files, by name: no directory listing, no path, never a 500.
        content_type = DASHBOARD_STATIC_FILES.get(name)
        if content_type is None:
            return problem_page(404)
        return response.raw((WEB_DIR / "static" / name).read_bytes(), content_type=content_type)

    @app.middleware("response")
    async def headers(request: Request, reply: response.HTTPResponse) -> None:
        reply.headers.update(security.security_headers())
        if not request.path.startswith("/static/"):
            reply.headers["Cache-Control"] = "no-store"

    @app.get("/health")
    async def health(_: Request):
        return response.text("ok")

    @app.get("/favicon.ico")
    async def favicon(_: Request):
        return response.empty()  # browsers ask for it; we have none

    @app.get("/")
    async def home(_: Request):
        return response.redirect("/caseload", status=303)

    @app.get("/sign-in")
    async def sign_in_form(request: Request):
        notice = "signed_out" if request.args.get("signed_out") == "1" else None
        return _sign_in_page(request, notice=notice)

    @app.post("/sign-in")
    async def sign_in(request: Request):
        try:
            form = security.parse_form(request.content_type, request.body, {"csrf_token", "username", "password"})
        except BadForm as problem:
            return problem_page(400, reason=str(problem))
        pre = security.read_cookie(request, security.PRE_SESSION_COOKIE)
        if not security.sign_in_csrf_matches(pre, form.get("csrf_token")):
            return problem_page(400, reason="The sign-in form was out of date. Please open it again.")
        now = utc_now()
        with unit_of_work() as session:
            result = staff.sign_in(
                session, form.get("username", ""), form.get("password", ""), address=client_address(request), now=now
            )
            token = None
            if result.outcome is staff.SignIn.ok and result.account is not None:
                token = web_sessions.start(session, result.account, result.previous_visit_at, now)
        if token is None:
            return _sign_in_page(request, notice=result.outcome.value)
        reply = response.redirect("/caseload", status=303)
        security.set_cookie(reply, security.SESSION_COOKIE, token)
        security.clear_cookie(reply, security.PRE_SESSION_COOKIE)
        return reply

    @app.post("/sign-out")
    @signed_in
    @accepts()
    async def sign_out(request: Request, who, form, now):
        with unit_of_work() as session:
            staff_id = web_sessions.end(session, security.read_cookie(request, security.SESSION_COOKIE))
            if staff_id:
                audit.record(session, staff_id, "sign_out", None, "", now=now)
        reply = response.redirect("/sign-in?signed_out=1", status=303)
        security.clear_cookie(reply, security.SESSION_COOKIE)
        return reply

    @app.get("/caseload")
    @signed_in
    async def caseload(request: Request, who, form, now):
        with unit_of_work() as session:
            # "New" is per person: what this coordinator has not seen on that person's page.
            rows = dashboard.caseload_overview(session, who.staff_id, now)
            carer_unread = carers.unread_counts(session, who.staff_id)
            person_unread = team_messages.unread_counts(session, who.staff_id)
            carer_urgent = carers.people_with_urgent_unread(session, who.staff_id)
            # Carers' messages about people who have since deleted their data stay for the team.
            kept = carers.messages_about_erased(session, who.staff_id, now)
        return page(
            "caseload.html",
            signed_in=who,
            rows=rows,
            previous_visit_at=who.previous_visit_at,
            carer_unread=carer_unread,
            person_unread=person_unread,
            carer_urgent=carer_urgent,
            kept_carer_messages=kept,
        )

    @app.get("/people/<person_id>")
    @signed_in
    async def person(request: Request, who, form, now, person_id: str):
        if not PERSON_ID.match(person_id):
            return problem_page(404, signed_in=who)
        told = request.args.get("acknowledged")
        replied = request.args.get("replied")
        return _person_page(
            who,
            person_id,
            now,
            told=told if told in ("sms", "chat", "none") else None,
            replied=replied if replied in REPLY_NOTICES else None,
        )

    @app.post("/people/<person_id>/carer-messages/<message_id>/reply")
    @signed_in
    @accepts("reply")
    async def reply_to_carer(request: Request, who, form, now, person_id: str, message_id: str):
        if not PERSON_ID.match(person_id) or not PERSON_ID.match(message_id):
            return problem_page(404, signed_in=who)
        with unit_of_work() as session:
            result = replies.reply_to_message(session, who.staff_id, person_id, message_id, form.get("reply"), now)
        if result.outcome is replies.ReplyOutcome.not_found:
            return problem_page(404, signed_in=who)
        if result.outcome.sent:
            return response.redirect(
                f"/people/{person_id}?replied={result.outcome.value}#carer-message-{message_id}", status=303
            )
        # Nothing was stored or sent: the page again, saying why, with what they typed.
        problem = ReplyProblem(message_id, result.outcome.value, form.get("reply", ""), result.max_chars)
        return _person_page(who, person_id, now, reply_problem=problem, status=400)

    @app.get("/people/<person_id>/summary")
    @signed_in
    async def summary(request: Request, who, form, now, person_id: str):
        if not PERSON_ID.match(person_id):
            return problem_page(404, signed_in=who)
        with unit_of_work() as session:
            found = dashboard.printable_summary(session, who.staff_id, person_id, now)
        if found is None:
            return problem_page(404, signed_in=who)
        return page("summary.html", signed_in=who, summary=found)

    @app.post("/people/<person_id>/acknowledge")
    @signed_in
    @accepts()
    async def acknowledge(request: Request, who, form, now, person_id: str):
        if not PERSON_ID.match(person_id):
            return problem_page(404, signed_in=who)
        with unit_of_work() as session:
            on_caseload = enrolment.active_entry(session, who.staff_id, person_id) is not None
            done = acknowledgements.acknowledge(session, who.staff_id, person_id, now) if on_caseload else None
        if not on_caseload:
            return problem_page(404, signed_in=who)
        told = "none" if done is None else "sms" if done.texted else "chat"
        return response.redirect(f"/people/{person_id}?acknowledged={told}", status=303)

    return app


# What the person's page says after a reply to a carer went (the template words each).
REPLY_NOTICES = frozenset({replies.ReplyOutcome.texted.value, replies.ReplyOutcome.kept_for_chat.value})


@dataclass(frozen=True)
class ReplyProblem:
    """Why a reply to a carer was not sent, shown at that message's reply box."""

    message_id: str
    reason: str  # a replies.ReplyOutcome value: empty, too_long, link_ended, already_replied
    draft: str  # what the coordinator typed, so nothing is lost
    max_chars: int


def _person_page(
    who: web_sessions.SignedIn,
    person_id: str,
    now: datetime,
    *,
    told: str | None = None,
    replied: str | None = None,
    reply_problem: ReplyProblem | None = None,
    status: int = 200,
) -> response.HTTPResponse:
    with unit_of_work() as session:
        shown = dashboard.open_person_page(session, who.staff_id, person_id, now)
        # Listening to carers needs no consent: their messages show on the caseload
        # member's page (read, marked read and audited here), each with its reply box.
        from_carers = carers.messages_for_coordinator(session, who.staff_id, person_id, now) if shown else []
        # The person's own messages: they said yes to sending each one to their coordinator.
        from_person = team_messages.messages_for_coordinator(session, who.staff_id, person_id, now) if shown else []
    if shown is None:
        return problem_page(404, signed_in=who)
    return page(
        "person.html",
        status=status,
        signed_in=who,
        person=shown,
        carer_messages=from_carers,
        team_messages=from_person,
        told=told,
        replied=replied,
        reply_problem=reply_problem,
        max_reply_chars=replies.max_reply_chars(who.display_name),
        reply_opening=replies.carer_reply_body(who.display_name, "").strip(),
    )


def _sign_in_page(request: Request, notice: str | None = None, status: int = 200) -> response.HTTPResponse:
    """The sign-in form, with a fresh signed CSRF token tied to a short-lived cookie."""
    pre = security.new_pre_session_value()
    settings = get_settings()
    reply = page(
        "sign_in.html",
        status=status,
        csrf_token=security.sign_in_csrf_token(pre),
        notice=notice,
        lockout_minutes=settings.sign_in_lockout_minutes,
    )
    security.set_cookie(reply, security.PRE_SESSION_COOKIE, pre, max_age=PRE_SESSION_MINUTES * 60)
    return reply


def serve(settings: Settings) -> int:
    """Run the dashboard on WEB_HOST:WEB_PORT (127.0.0.1:8000) until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app()
    app.run(host=settings.web_host, port=settings.web_port, workers=1, access_log=False, debug=False, motd=False)
    return 0
