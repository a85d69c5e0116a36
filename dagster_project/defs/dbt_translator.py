"""How dbt tests show as Dagster asset checks: each with a sentence saying what it asserts.

dagster-dbt takes a check's description from the test's `meta.description`, which none of
our generic tests sets ("No description provided" in the UI). Rather than repeat a sentence on
each of some 200 tests in the yml, the sentence is written from what the manifest already says:
the generic test's name and arguments, or a singular test's leading comment. A test that does
set `meta.description` keeps it.
"""

import re
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator

REF = re.compile(r"ref\('([^']+)'\)")
LEADING_COMMENT = re.compile(r"^\s*\{#-?(.*?)-?#\}", re.S)


def check_description(test: Mapping[str, Any], model: str) -> str:
    """What a dbt test asserts, in one sentence."""
    metadata = test.get("test_metadata") or {}
    name, arguments = metadata.get("name"), metadata.get("kwargs", {})
    column = arguments.get("column_name")
    if name == "unique":
        return f"Every {column} of {model} is unique (dbt test unique)."
    if name == "not_null":
        return f"{model}.{column} is never null (dbt test not_null)."
    if name == "accepted_values":
        values = ", ".join(str(value) for value in arguments.get("values", []))
        return f"{model}.{column} is one of: {values} (dbt test accepted_values)."
    if name == "relationships":
        target = REF.search(arguments.get("to", ""))
        parent = target.group(1) if target else arguments.get("to")
        return f"Every {model}.{column} exists in {parent}.{arguments.get('field')} (dbt test relationships)."
    if name == "unique_combination":
        columns = ", ".join(arguments.get("columns", []))
        return f"Each ({columns}) of {model} is unique: the model's key (dbt test unique_combination)."
    comment = LEADING_COMMENT.match(test.get("raw_code") or "")
    if comment:
        return " ".join(comment.group(1).split())
    return f"dbt test {test['name']} on {model} ({test.get('original_file_path')})."


class DescribedTestsTranslator(DagsterDbtTranslator):
    """The default translator, with a description on every dbt test's asset check."""

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project,  # noqa: ANN001 (a DbtProject or None)
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        model = asset_spec.key.path[-1]
        return spec._replace(description=check_description(manifest["nodes"][unique_id], model))
