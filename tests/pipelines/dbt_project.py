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


def marts_data_tests(test_name: str) -> dict[str, tuple[object, str]]:
    """Every ``test_name`` data test (``unique``, ``not_null``) a pipeline pass would run but for leaving that test
    name out: test id -> (model node, column); tests a pass leaves out by their tag are not counted."""
    from pipelines.dbt_build import parsed_manifest

    manifest = parsed_manifest()
    tests = {}
    for unique_id, node in manifest.nodes.items():
        metadata = getattr(node, "test_metadata", None)
        if node.resource_type != "test" or metadata is None or metadata.name != test_name:
            continue
        if "upstream_of_marts" in node.tags or "referential_integrity" in node.tags:
            continue  # left out of a pass by its tag anyway
        tests[unique_id] = (manifest.nodes[node.attached_node], node.column_name)
    return tests


def unenforced(tests: dict[str, tuple[object, str]], constraint: str) -> list[str]:
    """The ids among ``tests`` (as :func:`marts_data_tests` gives them) whose column is not declared with
    ``constraint`` (``not_null``, ``primary_key``) in its model's enforced contract."""
    return [
        unique_id
        for unique_id, (model, column) in tests.items()
        if not model.contract.enforced
        or column not in model.columns
        or constraint not in {getattr(c.type, "value", c.type) for c in model.columns[column].constraints}
    ]
