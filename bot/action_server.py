"""The action server: rasa-sdk's app, closed to everyone but our rasa server.

rasa-sdk on its own listens on every interface, allows any web origin, takes calls from anyone,
and answers an error with the whole request (the person's conversation) in the reply. Here it
listens on localhost (ACTION_HOST), allows no cross-origin calls, refuses any call without the
shared key the rasa server sends (ACTION_SERVER_SECRET, see endpoints.yml), and answers errors
with a short message that holds nothing of the request.

Run: `python -m bot.action_server [--port N] [--host H]` (the launcher does this, with ACTION_PORT).
"""

from __future__ import annotations

import argparse
import hmac
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from bot.settings import get_settings

KEY_HEADER = "X-Alongside-Action-Key"
OPEN_PATHS = {"/health"}
MAX_REQUEST_BYTES = 2_000_000  # a long conversation's tracker, with room to spare

logger = logging.getLogger(__name__)


def build_app(secret: str) -> Sanic:
    app = create_app("bot.actions", cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES

    @app.middleware("request")
    async def require_key(request: Request):
        if request.path in OPEN_PATHS:
            return None
        offered = request.headers.get(KEY_HEADER, "")
        if not hmac.compare_digest(offered.encode(), secret.encode()):
            logger.warning("Refused an action server call without the right key (path %s).", request.path)
            return response.json({"error": "Not allowed."}, status=403)
        return None

    @app.exception(Exception)
    async def fail_quietly(request: Request, exception: Exception):
        # The request holds the person's conversation: log the kind of error only.
        logger.error("Action server error %s on %s.", type(exception).__name__, request.path)
        status = getattr(exception, "status_code", 500)
        return response.json({"error": "The action could not be run."}, status=status)

    return app


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot.action_server", description="Alongside's action server.")
    parser.add_argument(
        "--port",
        type=int,
        default=settings.action_port,
        help=f"port to listen on (default ACTION_PORT, {settings.action_port})",
    )
    parser.add_argument(
        "--host",
        default=settings.action_host,
        help=f"interface to listen on (default ACTION_HOST, {settings.action_host})",
    )
    arguments = parser.parse_args(argv)
    if not 0 < arguments.port < 65536:
        parser.error(f"--port must be between 1 and 65535, not {arguments.port}")
    return arguments


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    settings = get_settings()
    logging.basicConfig(level=logging.INFO)
    app = build_app(settings.action_server_secret)
    app.run(arguments.host, arguments.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
