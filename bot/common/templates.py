"""The one Jinja environment: every HTML page Alongside renders (web chat, dashboard, exports).

One place decides escaping (always on: the pages carry people's own words), undefined names
(an error, so a missing field is caught by tests rather than shown blank) and the UK date
filters. Templates live in bot/web/templates; the dashboard's in its own folder, searched too.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.common.clock import uk_readable
from bot.settings import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "bot" / "web" / "templates"


@lru_cache(maxsize=1)
def templates() -> Environment:
    environment = Environment(
        loader=FileSystemLoader([TEMPLATES_DIR, TEMPLATES_DIR / "dashboard"]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = uk_readable
    environment.filters["day"] = lambda moment: uk_readable(moment, with_time=False)
    return environment


def render(template: str, **context: object) -> str:
    return templates().get_template(template).render(**context)
