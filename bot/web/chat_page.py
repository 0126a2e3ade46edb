"""The web chat page and its static files, as the web chat channel serves them.

The page's words come from content/webchat.yml and the crisis contacts from content/crisis.yml
(with the local crisis line from settings), so the page says what every crisis reply says.
Static files are served only from a fixed list, never from a path the request names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.common.templates import render
from bot.services.crisis.content import load_crisis_content
from bot.services.webchat.content import MAX_MESSAGE_CHARS, load_webchat_content
from bot.settings import VAR_DIR, get_settings

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
# Built by bot/build.py from node_modules (npm ci); var/ is not in git.
VENDOR_DIR = VAR_DIR / "build" / "web"
PAGE_PATH = "/webhooks/webchat"


@dataclass(frozen=True)
class StaticFile:
    path: Path
    content_type: str


STATIC_FILES = {
    "webchat.js": StaticFile(STATIC_DIR / "webchat.js", "text/javascript; charset=utf-8"),
    "webchat.css": StaticFile(STATIC_DIR / "webchat.css", "text/css; charset=utf-8"),
    "favicon.svg": StaticFile(STATIC_DIR / "favicon.svg", "image/svg+xml"),
    "socket.io.min.js": StaticFile(VENDOR_DIR / "socket.io.min.js", "text/javascript; charset=utf-8"),
}


def chat_page_html() -> str:
    content = load_webchat_content()
    crisis = load_crisis_content(get_settings())
    return render(
        "webchat.html",
        base=PAGE_PATH,
        page=content.page,
        status=content.status,
        max_chars=MAX_MESSAGE_CHARS,
        contacts=[contact.line for contact in crisis.contacts],
    )


def static_file(name: str) -> StaticFile | None:
    """One of the page's own files, or None (unknown name, or the vendored file not built)."""
    found = STATIC_FILES.get(name)
    return found if found is not None and found.path.is_file() else None
