"""Great Expectations suites as Dagster asset checks.

Every suite file under expectations/<stage>/<table>.json becomes one check on the asset of
that table: raw suites on ["emr", <table>], staging and mart suites on the dbt model
[<stage>, <model>] (dagster-dbt keys models by schema and name; the schema is the stage). Failed "critical" expectations make an ERROR-severity failure, which blocks the
downstream assets; failed "warning" expectations only warn.
"""

from pathlib import Path

import dagster as dg

from dagster_project import settings
from dagster_project.defs.raw import raw_asset_key

STAGES = ("raw", "staging", "marts")


def suite_files() -> list[tuple[str, Path]]:
    """(stage, suite file) for every suite in the repository, in a stable order."""
    return [
        (stage, path)
        for stage in STAGES
        for path in sorted((settings.EXPECTATIONS_DIR / stage).glob("*.json"))
    ]


def _asset_key(stage: str, table: str) -> dg.AssetKey:
    return raw_asset_key(table) if stage == "raw" else dg.AssetKey([stage, table])


def _read_table(stage: str, table: str):
    from dagster_project.table_readers import read_raw_table, read_warehouse_table

    if stage == "raw":
        return read_raw_table(settings.raw_dir(), table)
    return read_warehouse_table(settings.warehouse_path(), stage, table)


def _check_result(outcome) -> dg.AssetCheckResult:
    failed = outcome.failed
    severity = dg.AssetCheckSeverity.ERROR if outcome.critical_failures else dg.AssetCheckSeverity.WARN
    rows = [
        f"| {'pass' if o.success else 'FAIL'} | {o.severity} | {o.expectation} | {o.column or ''} "
        f"| {'' if o.unexpected_count is None else o.unexpected_count} | {', '.join(o.unexpected_sample)} |"
        for o in outcome.outcomes
    ]
    table = "\n".join(
        ["| result | severity | expectation | column | unexpected | sample |", "|---|---|---|---|---|---|", *rows]
    )
    return dg.AssetCheckResult(
        passed=not failed,
        severity=severity,
        metadata={
            "suite": outcome.suite_name,
            "rows_validated": outcome.row_count,
            "expectations": len(outcome.outcomes),
            "failed_expectations": len(failed),
            "failed_critical": len(outcome.critical_failures),
            "results": dg.MetadataValue.md(table),
        },
    )


def build_suite_check(stage: str, suite_path: Path) -> dg.AssetChecksDefinition:
    table = suite_path.stem

    @dg.asset_check(
        asset=_asset_key(stage, table),
        name=f"gx_{stage}_{table}",
        description=f"Great Expectations suite expectations/{stage}/{suite_path.name}",
        blocking=True,
    )
    def _suite_check() -> dg.AssetCheckResult:
        from dagster_project.gx_validation import validate_dataframe

        return _check_result(validate_dataframe(suite_path, _read_table(stage, table)))

    return _suite_check


def build_suite_checks() -> list[dg.AssetChecksDefinition]:
    return [build_suite_check(stage, path) for stage, path in suite_files()]
