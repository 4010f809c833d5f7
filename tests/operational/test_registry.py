"""The registry is the one list of services, and what it says agrees with the contracts registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts.registry import EVENT_TYPES
from operational.kit.app import REVOCATIONS_SUBJECT
from operational.registry import SERVICES

# Every API process follows session revocations (operational/kit/app.py: follow_revocations); the stats API is one.
API_CONSUMERS_OUTSIDE_THE_REGISTRY = {"stats"}


def declared_subjects(consumer: str) -> set[str]:
    return {event_type.subject for event_type in EVENT_TYPES if consumer in event_type.consumers}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_a_services_declared_consumers_are_what_its_handlers_subscribe_to(service):
    subscribed = set(service.subjects)
    if service.routers:  # its API refuses revoked tokens at once
        subscribed.add(REVOCATIONS_SUBJECT)
    declared = declared_subjects(service.name)
    assert not declared - subscribed, f"{service.name} is declared a consumer of events it never subscribes to"
    assert not subscribed - declared, f"{service.name} subscribes to events contracts/registry.py does not name it for"


def test_the_stats_api_is_declared_for_the_revocations_it_follows():
    for name in API_CONSUMERS_OUTSIDE_THE_REGISTRY:
        assert declared_subjects(name) == {REVOCATIONS_SUBJECT}


def test_service_names_are_unique_and_the_kit_migrates_first():
    names = [service.name for service in SERVICES]
    assert len(names) == len(set(names))
    assert SERVICES[0].name == "kit" and SERVICES[0].migrations


# --- everything that runs services is built from the registry, and agrees ------------------------------------------
OPERATIONAL = Path(__file__).resolve().parents[2] / "operational"
COMPOSE_FILE = OPERATIONAL.parent / "docker-compose.yml"


def _paths(services) -> set[str]:
    from operational.kit.app import create_service_app
    from operational.kit.config import HubSettings

    app = create_service_app(HubSettings(log_json=False), services, title="probe")
    return set(app.openapi()["paths"]) - {"/healthz", "/readyz"}


def test_the_gateway_mounts_every_registered_service_and_nothing_else():
    from operational.gateway import create_app

    served = set(create_app().openapi()["paths"]) - {"/healthz", "/readyz"}
    assert served == _paths(SERVICES)
    for service in SERVICES:
        if service.routers:
            assert _paths([service]) and _paths([service]) <= served, f"the gateway does not serve {service.name}"


def test_the_worker_relays_every_outbox_and_runs_every_consumer_and_job():
    from sqlalchemy.ext.asyncio import create_async_engine

    from operational import worker
    from operational.kit.config import HubSettings

    settings = HubSettings(database_url="postgresql://nobody@127.0.0.1:1/none")
    engine = create_async_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    relays = worker.build_relays(settings, engine, js=None)
    assert {relay.table.fullname for relay in relays} == {
        service.outbox.table.fullname for service in SERVICES if service.outbox
    } | {service.private_outbox.table.fullname for service in SERVICES if service.private_outbox}
    consumers = {consumer.durable_name: consumer for consumer in worker.build_consumers(settings, engine, js=None)}
    assert set(consumers) == {service.name for service in SERVICES if service.consumers} | {
        f"{service.name}_private" for service in SERVICES if service.private_consumers
    }
    for service in SERVICES:
        if service.consumers:
            assert set(consumers[service.name].filter_subjects) == service.subjects
    assert [job.name for job in worker.periodic_jobs()] == [job.name for s in SERVICES for job in s.jobs]


def test_every_service_folder_with_a_schema_is_registered_and_migrated_in_registry_order():
    from operational.kit.migrations import migration_locations

    folders = {path.parent.parent.name for path in OPERATIONAL.glob("*/migrations/env.py")}
    assert set(migration_locations()) == folders, "a service folder with migrations is missing from the registry"
    assert list(migration_locations()) == [service.name for service in SERVICES if service.migrations]
    with_outbox = {path.parent.name for path in OPERATIONAL.glob("*/models.py") if "Outbox(" in path.read_text()}
    assert with_outbox == {service.name for service in SERVICES if service.outbox}


def test_compose_runs_what_the_registry_needs():
    import yaml

    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    commands = {name: service.get("command") for name, service in services.items()}
    # a container per registered API (hub compose writes them); one worker does every service's background work
    for service in SERVICES:
        if service.routers:
            assert commands[service.name][:3] == ["hub", "serve", service.name]
    if any(service.outbox or service.consumers or service.jobs for service in SERVICES):
        assert commands["worker"] == ["hub", "worker"]
    assert "hub migrate" in " ".join(commands["migrate"])
    for name in [*(service.name for service in SERVICES if service.routers), "worker"]:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


# what `hub up` runs in one process that compose runs otherwise: the gateway as one container per service, the
# pipeline loop as Dagster's daemon launching the same job
COMPOSE_COUNTERPARTS = {"dagster": ["dagster-webserver"], "pipeline": ["dagster-daemon"]}


def test_hub_up_runs_the_same_processes_as_compose(tmp_path):
    import yaml

    from hub.components import plan_components
    from hub.settings import RuntimeSettings

    compose = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    plan = plan_components(
        RuntimeSettings(var_dir=tmp_path, dagster_ui=True),
        database_url="postgresql://x/y",
        nats_url="nats://x",
        base_env={},
    )
    apis = [service.name for service in SERVICES if service.routers]
    for child in plan.children:
        names = {"gateway": apis}.get(child.name) or COMPOSE_COUNTERPARTS.get(child.name) or [child.name]
        for name in names:
            assert name in compose, f"hub up runs {child.name}, which docker-compose.yml does not"
        if child.argv[1:3] == ["-m", "hub"] and child.name not in COMPOSE_COUNTERPARTS:
            expected = child.argv[3:5] if child.name != "gateway" else None
            for name in names:
                assert compose[name]["command"][1:3] == (expected or ["serve", name]), name


@pytest.mark.parametrize("service", [s for s in SERVICES if s.migrations], ids=lambda s: s.name)
def test_a_services_migrations_form_one_line(service):
    """Two changes that each add a migration after the same one leave two heads, and `hub migrate` stops there."""
    from alembic.script import ScriptDirectory

    from operational.kit.migrations import alembic_config

    heads = ScriptDirectory.from_config(alembic_config(service.migrations, "postgresql://unused")).get_heads()
    assert len(heads) == 1, f"{service.name} has migration heads {sorted(heads)}: chain one after the other"
