"""Which Great Expectations expectations repeat a blocking dbt test on the same model and column.

The rule (docs/design.md, "Which tool checks what"): structural checks of a dbt model (unique,
not null, accepted values, a unique combination of columns) are dbt tests, which run in DuckDB
inside `dbt build` and fail the dbt op; a model suite keeps only what dbt does not check.
Raw suites validate the delivered Parquet, before dbt, and keep theirs.

An expectation repeats a dbt test when the test is blocking (enabled, severity ERROR, failing
on any row: `error_if != 0` of `count(*)`, no `where`) and at least as strict: the same model
and column(s), no row condition on the expectation, and for accepted values a dbt list inside
the expectation's set. A `mostly` on the expectation only makes it weaker than the test.

    .venv/bin/python -m dagster_project.quality.dbt_overlap   # lists them; exit 1 if any
"""

import json
import sys
from pathlib import Path

from dagster_project import settings
from dagster_project.quality.suites import MODEL_STAGES, suite_files
from dagster_project.quality.validation import load_suite


def blocking_dbt_tests(manifest: dict) -> set[tuple]:
    """The structural dbt tests that fail `dbt build`, as (model, test, columns, values) keys."""
    keys = set()
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata") or {}
        config = node["config"]
        blocking = (
            config.get("enabled", True)
            and str(config.get("severity", "")).upper() == "ERROR"
            and not config.get("where")
            and str(config.get("error_if", "!= 0")).replace(" ", "") == "!=0"
            and str(config.get("fail_calc", "count(*)")).replace(" ", "") == "count(*)"
        )
        if (
            node["resource_type"] != "test"
            or not blocking
            or not str(node.get("attached_node")).startswith("model.")
        ):
            continue
        model = manifest["nodes"][node["attached_node"]]["name"]
        kwargs = metadata.get("kwargs", {})
        name = metadata.get("name")
        if name in ("unique", "not_null"):
            keys.add((model, name, (kwargs["column_name"],), None))
        elif name == "accepted_values":
            keys.add((model, name, (kwargs["column_name"],), frozenset(map(str, kwargs["values"]))))
        elif name == "unique_combination":
            keys.add((model, name, tuple(sorted(kwargs["columns"])), None))
    return keys


def _dbt_equivalent(model: str, expectation: dict) -> tuple | None:
    """The dbt test key that would check this expectation at least as strictly, if any."""
    kwargs = expectation.get("kwargs", {})
    if "row_condition" in kwargs:
        return None
    kind = expectation["type"]
    if kind == "expect_column_values_to_be_unique":
        return (model, "unique", (kwargs["column"],), None)
    if kind == "expect_column_values_to_not_be_null":
        return (model, "not_null", (kwargs["column"],), None)
    if kind == "expect_compound_columns_to_be_unique":
        return (model, "unique_combination", tuple(sorted(kwargs["column_list"])), None)
    if kind == "expect_column_values_to_be_in_set" and isinstance(kwargs.get("value_set"), list):
        return (model, "accepted_values", (kwargs["column"],), frozenset(map(str, kwargs["value_set"])))
    return None


def covered(key: tuple, tests: set[tuple]) -> bool:
    """Whether a blocking dbt test checks what the key describes at least as strictly."""
    if key[1] != "accepted_values":
        return key in tests
    # a dbt list inside the expectation's set is at least as strict
    return any(test[:3] == key[:3] and test[3] <= key[3] for test in tests if test[1] == "accepted_values")


def repeated_expectations(manifest: dict, suites: dict[str, list[Path]]) -> list[tuple[Path, dict]]:
    """(suite file, expectation) for every model-suite expectation a blocking dbt test repeats."""
    tests = blocking_dbt_tests(manifest)
    repeated = []
    for stage, paths in suites.items():
        if stage not in MODEL_STAGES:
            continue
        for path in paths:
            for expectation in load_suite(path)["expectations"]:
                key = _dbt_equivalent(path.stem, expectation)
                if key and covered(key, tests):
                    repeated.append((path, expectation))
    return repeated


def main() -> int:
    manifest_path = settings.REPO_ROOT / "dbt" / "target" / "manifest.json"
    if not manifest_path.is_file():
        print(f"{manifest_path} is missing: run `make manifest`", file=sys.stderr)
        return 2
    manifest = json.loads(manifest_path.read_text())
    repeated = repeated_expectations(manifest, {stage: suite_files(stage) for stage in MODEL_STAGES})
    for path, expectation in repeated:
        kwargs = expectation["kwargs"]
        columns = kwargs.get("column") or ", ".join(kwargs.get("column_list", []))
        print(f"{path.relative_to(settings.REPO_ROOT)}\t{expectation['type']}\t{columns}")
    print(f"{len(repeated)} expectations repeat a blocking dbt test", file=sys.stderr)
    return 1 if repeated else 0


if __name__ == "__main__":
    sys.exit(main())
