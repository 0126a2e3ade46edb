""" "Download my data" over real HTTP (issue 22.10): the link opens a readable page in plain
English, with the coordinator by name and UK dates, and the JSON file is one link away on the
same page; the link stays as safe as before (signed, short-lived, for this purpose only).

The pages are served by the rasa server's PlanExportChannel (credentials.yml); here that same
channel is mounted the way Rasa mounts it, on a real Sanic server on a free port."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from urllib.parse import urljoin

import aiohttp
import pytest
from rasa.core.channels.channel import register
from sanic import Sanic

from bot.channels.plan_export import PlanExportChannel
from bot.common.clock import utc_now
from bot.services.people.lookup import identity_for_address
from bot.services.privacy.personal_data_export import personal_data_content
from bot.services.wrap.content import load_wrap_content
from bot.services.wrap.export_links import DATA_EXPORT, EXPORT_LINK_MINUTES, make_export_token
from bot.store.db import unit_of_work
from tests.support.coordinators import enrol, make_coordinator, save_plan, share
from tests.support.sms import free_port

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UK_TIME = re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}:\d{2}(am|pm)\b")
JSON_LINK = re.compile(r'<a href="([^"]+)" download>')


@pytest.fixture
async def server(migrated_database):
    Sanic.test_mode = True
    app = Sanic(f"my_data_test_{uuid.uuid4().hex[:8]}", configure_logging=False)
    register([PlanExportChannel()], app, route="/webhooks/")
    port = free_port()
    running = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await running.startup()
    await running.start_serving()
    async with aiohttp.ClientSession() as http:
        yield http, f"http://127.0.0.1:{port}"
    running.close()


def a_person_on_a_caseload(marker: str) -> tuple[str, str]:
    username, coordinator_id = make_coordinator(name="Morgan")
    with unit_of_work() as session:
        person_id = identity_for_address(session, "sms", f"my-data-http-{uuid.uuid4()}").person_id
    enrol(username, person_id)
    save_plan(person_id, {"triggers": marker})
    share(person_id, coordinator_id, ["triggers"])
    return person_id, coordinator_id


async def test_the_link_opens_a_readable_page_with_the_json_beside_it(server):
    http, base = server
    marker = f"loud music {uuid.uuid4().hex[:6]}"
    person_id, coordinator_id = a_person_on_a_caseload(marker)
    token = make_export_token(person_id, utc_now(), purpose=DATA_EXPORT)
    page_url = f"{base}/webhooks/plan/data/{token}"

    async with http.get(page_url) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("text/html")
        assert answer.headers["Cache-Control"] == "no-store" and answer.headers["Referrer-Policy"] == "no-referrer"
        html = await answer.text()
    words = personal_data_content()["readable"]
    assert f"<h1>{words['title']}</h1>" in html
    assert "Morgan is your care coordinator" in html
    assert load_wrap_content().section("triggers").title in html and marker in html
    assert UK_TIME.search(html)
    shown = html.replace(token, "")  # the link to the file carries the token
    assert person_id not in shown and coordinator_id not in shown and not UUID.search(shown)
    assert "address_hash" not in shown and "_id" not in shown

    json_url = urljoin(page_url, JSON_LINK.search(html).group(1))
    assert json_url == f"{page_url}/json", "the file is on the same link"
    async with http.get(json_url) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Disposition"] == 'attachment; filename="alongside-my-data.json"'
        document = json.loads(await answer.text())
    assert document["person_id"] == person_id
    assert any(item["text"] == marker for item in document["records"]["wrap_items"])
    assert document["names"][coordinator_id] == "Morgan"


async def test_the_link_is_as_safe_as_before(server):
    http, base = server
    person_id, _ = a_person_on_a_caseload("crowds")
    expired = load_wrap_content().text("export_link_expired")
    long_ago = utc_now() - timedelta(minutes=EXPORT_LINK_MINUTES + 1)
    refused = {
        "expired": make_export_token(person_id, long_ago, purpose=DATA_EXPORT),
        "a plan link": make_export_token(person_id, utc_now()),
        "forged": make_export_token(person_id, utc_now(), purpose=DATA_EXPORT)[:-4] + "AAAA",
    }
    for why, token in refused.items():
        for path in (f"/webhooks/plan/data/{token}", f"/webhooks/plan/data/{token}/json"):
            async with http.get(base + path) as answer:
                assert (answer.status, await answer.text()) == (404, expired), why
