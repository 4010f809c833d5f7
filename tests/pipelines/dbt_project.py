"""What the dbt project declares."""

from __future__ import annotations


def project_unit_test_count() -> int:
    """How many dbt unit tests the project declares (every model yml's ``unit_tests``)."""
    import yaml

    from pipelines.dbt_build import DBT_PROJECT_DIR

    return sum(
        len(yaml.safe_load(path.read_text()).get("unit_tests") or [])
        for path in (DBT_PROJECT_DIR / "models").rglob("*.yml")
    )
