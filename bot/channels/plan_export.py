"""Serves a person's plan export at /webhooks/plan/export/<token> on the rasa server.

Not a chat channel: Rasa mounts every InputChannel's blueprint, which is the simplest way to
serve one page from the same process and port without another server. The page is built from
the database when it is opened, so it always shows the plan as it is now. Bad or expired links
get a plain 404 page that says how to get a new one.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.services import bucket, wrap
from bot.services.export_links import person_for_export_token
from bot.services.wrap_content import load_wrap_content
from bot.services.wrap_export import plan_html
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
            now = datetime.now(timezone.utc)
            person_id = person_for_export_token(token, now)
            if person_id is None:
                text = load_wrap_content().text("export_link_expired")
                return response.text(text, status=404, headers=SECURITY_HEADERS)
            with unit_of_work() as session:
                plan = wrap.plan_for(session, person_id)
                items = wrap.current_items(session, plan)
                html = plan_html(items, generated_at=now, bucket=bucket.texts(session, person_id))
            return response.html(html, headers=SECURITY_HEADERS)

        return pages
