"""The client's IP address of a request, for the limits that count by where tries come from.

Sanic reads X-Forwarded-For only when the app's PROXIES_COUNT says how many trusted proxies add
to it (TRUSTED_PROXY_COUNT); otherwise the header is ignored and the socket's address counts,
so a client cannot choose its own address.
"""

from __future__ import annotations

from typing import Any

from bot.settings import get_settings


def trust_configured_proxies(app: Any) -> None:
    """Tell a Sanic app how many proxies in front of it may be believed (none by default)."""
    trusted_proxies = get_settings().trusted_proxy_count
    if trusted_proxies:
        app.config.PROXIES_COUNT = trusted_proxies


def client_address(request: Any) -> str:
    """The client's IP: from the trusted proxies' X-Forwarded-For entry, else the socket's."""
    return request.remote_addr or request.ip
