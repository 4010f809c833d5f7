"""One settings model: the shared fields are declared once, in HubSettings; a service declares only its own."""

from __future__ import annotations

import pytest

from operational.kit.config import HubSettings, for_service
from operational.registry import SERVICES
from operational.stats.config import StatsSettings
from shared_settings import SharedSettings

SHARED = set(HubSettings.model_fields)
SETTINGS_CLASSES = sorted({service.settings for service in SERVICES} | {StatsSettings}, key=lambda c: c.__name__)


@pytest.mark.parametrize("settings_class", SETTINGS_CLASSES, ids=lambda c: c.__name__)
def test_no_settings_class_declares_a_shared_field_again(settings_class):
    for cls in settings_class.__mro__:
        if cls is HubSettings:
            break
        redeclared = SHARED & set(vars(cls).get("__annotations__", {}))
        assert not redeclared, f"{cls.__name__} declares shared fields again: {sorted(redeclared)}"


@pytest.mark.parametrize("settings_class", SETTINGS_CLASSES, ids=lambda c: c.__name__)
def test_a_services_own_fields_are_read_under_its_own_prefix(settings_class):
    if settings_class is HubSettings:
        return
    prefix = settings_class.model_config["env_prefix"]
    assert prefix.startswith("HUB_") and prefix != "HUB_"
    for name, field in settings_class.model_fields.items():
        if name not in SHARED:
            assert field.validation_alias is None, f"{settings_class.__name__}.{name} is not read under {prefix}"


def test_a_service_in_the_gateway_gets_the_shared_fields_and_its_own(monkeypatch, tmp_path):
    from operational.calendar.config import CalendarSettings
    from operational.users.config import UsersSettings

    monkeypatch.setenv("HUB_CALENDAR_DEFAULT_TIME_ZONE", "Europe/Helsinki")
    shared = UsersSettings(database_url="postgresql://gateway@db/hub", var_dir=tmp_path)
    calendar = for_service(CalendarSettings, shared)
    assert calendar.default_time_zone == "Europe/Helsinki"
    assert (calendar.database_url, calendar.var_dir) == (shared.database_url, shared.var_dir)
    assert for_service(UsersSettings, shared) is shared


def test_the_gateway_hands_each_service_its_own_settings(settings):
    from operational.gateway import create_app

    app = create_app(settings)
    for service in SERVICES:
        assert isinstance(app.state.service_settings[service.name], service.settings)
    assert app.state.service_settings["users"] is settings


def _environment_names(settings_class, names=None) -> set[str]:
    from pydantic import AliasChoices

    prefix = settings_class.model_config.get("env_prefix", "")
    found = set()
    for name, field in settings_class.model_fields.items():
        if names is not None and name not in names:
            continue
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            found |= {choice.upper() for choice in alias.choices if isinstance(choice, str)}
        else:
            found.add((alias or f"{prefix}{name}").upper())
    return found


@pytest.mark.parametrize(
    "dotted",
    [
        "dashboards.config.DashboardSettings",
        "warehouse.config.WarehouseSettings",
        "pipelines.config.PipelineSettings",
        "pipelines.config.DbtProfileSettings",
        "hub.settings.RuntimeSettings",
    ],
)
def test_settings_outside_the_services_read_no_shared_variable_of_their_own(dotted):
    """They compose SharedSettings (or need none of it) and declare none of the shared variables again."""
    import importlib

    module, _, name = dotted.rpartition(".")
    settings_class = getattr(importlib.import_module(module), name)
    own = set()
    for cls in settings_class.__mro__:
        if cls is SharedSettings:
            break
        own |= set(vars(cls).get("__annotations__", {}))
    assert not _environment_names(settings_class, own) & _environment_names(HubSettings)


def test_the_shared_variables_are_declared_once_for_services_and_the_rest():
    assert issubclass(HubSettings, SharedSettings)
    assert not set(vars(HubSettings).get("__annotations__", {})) & set(SharedSettings.model_fields)


def test_the_command_line_starts_embedded_servers_only_for_unset_urls(monkeypatch):
    from hub.settings import RuntimeSettings

    monkeypatch.delenv("HUB_DATABASE_URL", raising=False)
    monkeypatch.setenv("HUB_NATS_URL", "nats://nats.example:4222")
    settings = RuntimeSettings()
    assert settings.external_database_url is None
    assert settings.external_nats_url == "nats://nats.example:4222"
