"""A bounded schemathesis run of both APIs (the club API and the stats API), as a coach and as a club admin: no
input a client can send gives a 500, and every answer matches the OpenAPI document (status codes declared, bodies
in their declared shape).

Each operation gets ``EXAMPLES_PER_OPERATION`` generated requests (deterministic: the same inputs every run); every
failure of every operation is collected and reported together. Operations that end the caller's own session or
account are left out (they would turn the rest of the run into 401s); their own tests cover them.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_club
from tests.servers import served

pytestmark = pytest.mark.fuzz

SELF_ENDING = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/revoke-all"),
    ("DELETE", "/api/v1/users/me"),
    ("POST", "/api/v1/users/{user_id}/deactivate"),
    ("POST", "/api/v1/users/{user_id}/erase"),
    ("POST", "/api/v1/auth/me/totp/setup"),
    ("POST", "/api/v1/auth/me/totp/confirm"),
    ("POST", "/api/v1/auth/me/totp/disable"),
}
# `make test` runs a bounded pass; HUB_FUZZ_EXAMPLES=200 digs deeper by hand.
EXAMPLES_PER_OPERATION = int(os.environ.get("HUB_FUZZ_EXAMPLES", "15"))
# No 500s and no contract breaks. (Not "every schema-valid body is accepted": business rules such as "not in the
# club's future" rightly refuse some schema-valid values with 422.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def club_api(settings):
    from operational.gateway import create_app

    club = make_club(settings)
    with served(create_app(settings)) as url:
        yield schemathesis.openapi.from_url(f"{url}/openapi.json"), club


def fuzz(schema, headers: dict[str, str], skip: set[tuple[str, str]]) -> list[str]:
    """Run every operation of ``schema``; return one line per failing operation."""
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in skip:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        def run(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect, so one run shows every failing operation
            first = str(exc).strip().splitlines()[:6]
            failures.append(f"{operation.method.upper()} {operation.path}: " + " | ".join(first))
    return failures


@pytest.fixture(scope="module")
def stats_api(settings, key_dir, tmp_path_factory):
    """The stats API over a published snapshot of the marts dbt builds, with one club in it."""
    from operational.stats.app import create_app
    from operational.stats.config import StatsSettings
    from tests.operational.stats.snapshots import Warehouse, make_stats_club

    folder = tmp_path_factory.mktemp("stats-fuzz")
    stats_settings = StatsSettings(
        nats_url=settings.nats_url,
        var_dir=folder / "var",
        serving_dir=folder / "serving",
        jwt_private_key_path=key_dir / "jwt_private.pem",
        jwt_public_key_path=key_dir / "jwt_public.pem",
        log_json=False,
    )
    warehouse = Warehouse(folder / "warehouse.duckdb", stats_settings.snapshots_dir)
    club = make_stats_club(stats_settings, warehouse)
    warehouse.publish()
    try:
        with served(create_app(stats_settings)) as url:
            yield schemathesis.openapi.from_url(f"{url}/openapi.json"), club
    finally:
        warehouse.close()


@pytest.mark.parametrize("role", ["coach", "admin"])
def test_no_input_to_the_club_api_gives_a_server_error_or_breaks_the_contract(club_api, role):
    schema, club = club_api

    failures = fuzz(schema, club[role].headers, SELF_ENDING)

    assert not failures, f"{len(failures)} operations failed:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ["coach", "admin"])
def test_no_input_to_the_stats_api_gives_a_server_error_or_breaks_the_contract(stats_api, role):
    schema, club = stats_api

    failures = fuzz(schema, club[role].headers, set())

    assert not failures, f"{len(failures)} operations failed:\n" + "\n".join(failures)
