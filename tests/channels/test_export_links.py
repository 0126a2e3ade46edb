"""The plan and data export pages over real HTTP after the person asked to be erased: a clear
404 "this link has expired", never a 500, and the link's token never in a log (issue 21.9)."""

from __future__ import annotations

import logging
import uuid

import aiohttp
import pytest
from rasa.core.channels.channel import register
from sanic import Sanic

from bot.channels.plan_export import PlanExportChannel
from bot.common.clock import utc_now
from bot.services.people.lookup import person_for_address
from bot.services.privacy.erasure import carry_out, request_erasure
from bot.services.wrap import plan as wrap
from bot.services.wrap.content import load_wrap_content
from bot.services.wrap.export_links import DATA_EXPORT, make_export_token
from bot.store.db import unit_of_work
from tests.support.sms import free_port


@pytest.fixture
async def pages(migrated_database):
    Sanic.test_mode = True
    app = Sanic(f"export_test_{uuid.uuid4().hex[:8]}", configure_logging=False)
    register([PlanExportChannel()], app, route="/webhooks/")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.start_serving()
    async with aiohttp.ClientSession() as http:

        async def get(path: str) -> tuple[int, str]:
            async with http.get(f"http://127.0.0.1:{port}/webhooks/plan{path}") as answer:
                return answer.status, await answer.text()

        yield get
    server.close()


def a_person_with_a_plan() -> str:
    with unit_of_work() as session:
        person = person_for_address(session, "rest", f"export-{uuid.uuid4()}")
        plan = wrap.plan_for(session, person.id)
        wrap.save_answer(session, plan, "toolbox", "walking the dog", "rest")
        return person.id


@pytest.mark.parametrize("carried_out", [False, True], ids=["asked", "erased"])
async def test_after_delete_my_data_every_export_link_has_expired(pages, carried_out, caplog):
    person_id = a_person_with_a_plan()
    now = utc_now()
    plan_token = make_export_token(person_id, now)
    data_token = make_export_token(person_id, now, purpose=DATA_EXPORT)
    assert (await pages(f"/export/{plan_token}"))[0] == 200  # works before
    with unit_of_work() as session:
        request = request_erasure(session, person_id, now)
        request_id = request.id
    if carried_out:
        with unit_of_work() as session:
            carry_out(session, request_id, now)
    caplog.set_level(logging.DEBUG)
    expired = load_wrap_content().text("export_link_expired")
    for path in (f"/export/{plan_token}", f"/data/{data_token}", f"/data/{data_token}/json"):
        status, body = await pages(path)
        assert (status, body) == (404, expired)
    assert plan_token not in caplog.text and data_token not in caplog.text
    if not carried_out:  # leave no request waiting: other tests count the due erasures
        with unit_of_work() as session:
            carry_out(session, request_id, now)
