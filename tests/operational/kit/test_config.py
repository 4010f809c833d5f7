"""One settings model: the shared fields are declared once, in HubSettings; a service declares only its own."""

from __future__ import annotations

import pytest

from operational.kit.config import HubSettings, for_service
from operational.registry import SERVICES
from operational.stats.config import StatsSettings

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


def _environment_names(settings_class) -> set[str]:
    from pydantic import AliasChoices

    prefix = settings_class.model_config.get("env_prefix", "")
    names = set()
    for name, field in settings_class.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names |= {choice.upper() for choice in alias.choices if isinstance(choice, str)}
        else:
            names.add((alias or f"{prefix}{name}").upper())
    return names


def _outside(reason: str):
    """Not yet composed from HubSettings; strict, so the test says when one is."""
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize(
    "dotted",
    [
        "dashboards.config.DashboardSettings",
        pytest.param(
            "warehouse.config.WarehouseSettings", marks=_outside("declares HUB_VAR_DIR and the warehouse paths again")
        ),
        pytest.param("pipelines.config.PipelineSettings", marks=_outside("declares HUB_NATS_URL and HUB_LOG_* again")),
        pytest.param(
            "pipelines.config.DbtProfileSettings", marks=_outside("reads HUB_WAREHOUSE_PATH as profiles.yml does")
        ),
        pytest.param(
            "hub.settings.RuntimeSettings", marks=_outside("unset URLs mean 'start the embedded servers' there")
        ),
    ],
)
def test_settings_outside_the_services_read_no_shared_variable_of_their_own(dotted):
    import importlib

    module, _, name = dotted.rpartition(".")
    settings_class = getattr(importlib.import_module(module), name)
    assert not _environment_names(settings_class) & _environment_names(HubSettings)
