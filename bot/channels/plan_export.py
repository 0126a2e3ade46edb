"""Serves a person's plan export at /webhooks/plan/export/<token> on the rasa server, and the
copy of everything held about them at /webhooks/plan/data/<token> (readable) and
/webhooks/plan/data/<token>/json (a file to download).

Not a chat channel: Rasa mounts every InputChannel's blueprint, which is the simplest way to
serve one page from the same process and port without another server. The page is built from
the database when it is opened, so it always shows the plan as it is now. Bad or expired links
get a plain 404 page that says how to get a new one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.common.clock import utc_now
from bot.services.privacy import audit
from bot.services.privacy.erasure import is_gone_or_going
from bot.services.privacy.personal_data import as_json, collect
from bot.services.privacy.personal_data_export import personal_data_html
from bot.services.recovery import bucket
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.services.wrap.export import plan_html
from bot.services.wrap.export_links import DATA_EXPORT, person_for_export_token
from bot.store.db import unit_of_work

logger = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


class PlanExportChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "plan"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        pages = Blueprint("alongside_plan_export", __name__)

        @pages.route("/export/<token>", methods=["GET"])
        async def export(_: Request, token: str):
            now = utc_now()
            person_id = person_for_export_token(token, now)
            if person_id is None:
                return _expired()
            with unit_of_work() as session:
                if is_gone_or_going(session, person_id):
                    return _expired()
                plan = wrap.plan_for(session, person_id)
                items = wrap.current_items(session, plan)
                html = plan_html(items, generated_at=now, bucket=bucket.texts(session, person_id))
                audit.record(
                    session, person_id, "data_exported", person_id, "plan:printable", actor_kind="person", now=now
                )
            return response.html(html, headers=SECURITY_HEADERS)

        @pages.route("/data/<token>", methods=["GET"])
        async def my_data(_: Request, token: str):
            now = utc_now()
            person_id = person_for_export_token(token, now, purpose=DATA_EXPORT)
            if person_id is None:
                return _expired()
            with unit_of_work() as session:
                if is_gone_or_going(session, person_id):
                    return _expired()
                html = personal_data_html(collect(session, person_id), now, json_url=f"{token}/json")
                audit.record(
                    session, person_id, "data_exported", person_id, "everything:readable", actor_kind="person", now=now
                )
            return response.html(html, headers=SECURITY_HEADERS)

        @pages.route("/data/<token>/json", methods=["GET"])
        async def my_data_json(_: Request, token: str):
            now = utc_now()
            person_id = person_for_export_token(token, now, purpose=DATA_EXPORT)
            if person_id is None:
                return _expired()
            with unit_of_work() as session:
                if is_gone_or_going(session, person_id):
                    return _expired()
                body = as_json(collect(session, person_id), now)
                audit.record(
                    session, person_id, "data_exported", person_id, "everything:json", actor_kind="person", now=now
                )
            headers = {**SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="alongside-my-data.json"'}
            return response.text(body, headers=headers, content_type="application/json; charset=utf-8")

        return pages


def _expired():
    return response.text(load_wrap_content().text("export_link_expired"), status=404, headers=SECURITY_HEADERS)
