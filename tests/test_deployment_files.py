"""deploy/compose.yml cannot be started here (no Docker daemon: docs/deployment.md says so), so its
shape is checked instead: the production profile's processes, settings and health checks."""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "deploy" / "compose.yml"
ALONGSIDE = ("migrate", "action", "rasa-1", "rasa-2", "web", "worker")


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_every_process_of_the_production_profile_is_there():
    services = compose()["services"]
    assert set(services) >= {*ALONGSIDE, "postgres", "redis", "proxy"}
    for name in ALONGSIDE:
        environment = services[name]["environment"]
        assert environment["ALONGSIDE_ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgresql://")
        assert environment["REDIS_URL"].startswith("redis://")
    assert services["rasa-1"]["command"] == services["rasa-2"]["command"]
    assert services["rasa-1"]["command"][:4] == ["python", "-m", "bot.rasa_server", "run"]
    assert services["action"]["command"][:3] == ["python", "-m", "bot.action_server"]


def test_health_checks_and_only_the_proxy_is_published():
    services = compose()["services"]
    for name in ("postgres", "redis", "action", "rasa-1", "rasa-2", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    assert services["rasa-1"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_proxy_pins_each_browser_to_one_rasa_server():
    caddyfile = (PROJECT_ROOT / "deploy" / "Caddyfile").read_text()
    assert "rasa-1:5005 rasa-2:5005" in caddyfile and "lb_policy cookie" in caddyfile


def test_every_setting_the_compose_file_sets_is_one_alongside_or_rasa_reads():
    known = Path(PROJECT_ROOT / ".env.example").read_text() + (PROJECT_ROOT / "bot" / "settings.py").read_text()
    rasa_own = {"SQL_POOL_SIZE", "SQL_MAX_OVERFLOW"}
    for name in compose()["services"]["web"]["environment"]:
        assert name in rasa_own or f'"{name}"' in known or f"\n{name}=" in known, name
