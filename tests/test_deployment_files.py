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


PUBLIC_PATHS = {
    "/webhooks/webchat",
    "/webhooks/webchat/",
    "/webhooks/webchat/static/*",
    "/webhooks/webchat/socket.io/*",
    "/webhooks/plan/export/*",
    "/webhooks/plan/data/*",
    "/webhooks/twilio/webhook",
    "/webhooks/twilio/status",
}


def test_the_proxy_exposes_only_the_public_routes_of_the_rasa_servers():
    caddyfile = (PROJECT_ROOT / "deploy" / "Caddyfile").read_text()
    lines = [line.strip() for line in caddyfile.splitlines() if not line.strip().startswith("#")]
    (matcher,) = [line for line in lines if line.startswith("@public path ")]
    assert set(matcher.split()[2:]) == PUBLIC_PATHS
    assert not any("/webhooks/rest" in path for path in matcher.split())
    # The rasa servers are proxied only inside `handle @public`; everything else is a 404.
    rasa_proxies = [index for index, line in enumerate(lines) if line.startswith("reverse_proxy rasa-")]
    assert len(rasa_proxies) == 1 and lines[rasa_proxies[0] - 1] == "handle @public {"
    assert 'respond "Not found." 404' in lines


def test_internal_services_publish_no_port_and_the_action_server_is_not_proxied():
    services = compose()["services"]
    for name in ("postgres", "redis", "action", "rasa-1", "rasa-2", "web", "worker", "migrate"):
        assert not services[name].get("ports"), name
    caddyfile = (PROJECT_ROOT / "deploy" / "Caddyfile").read_text()
    assert "action:" not in caddyfile and "5055" not in caddyfile and "postgres" not in caddyfile
