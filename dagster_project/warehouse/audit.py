"""Whether a candidate may be published: the rules, from its record and the dbt graph alone.

A candidate is the published set with some models rebuilt in this run. It may be published when:
- every dbt node this run ran succeeded (models and seeds built; tests passed or only warned);
- every dbt test whose models were all rebuilt ran (the structural checks of a model, unique,
  not null, accepted values, are its dbt tests only, so a run that leaves them out, say with
  the asset checks deselected, must not publish);
- every model downstream of a rebuilt model was rebuilt too (no mart left from the old data);
- every rebuilt model that has a Great Expectations suite passed it without a critical failure;
- the reports were rendered and the readmission risk model trained in this run whenever a mart
  was rebuilt;
- every model built from a trained model's scores (the follow-up list, downstream of the dbt
  source the model writes) was rebuilt in the same run, so a release never lacks it nor holds
  scores of another model;
- something was rebuilt at all.
"""

from collections.abc import Iterable

FAILED_STATUSES = {"error", "fail", "runtime error", "skipped"}
REPORTS = ("executive_summary", "dashboard")
# Each model defs/prediction.py writes into the candidate's models/, and the dbt source
# (source name, table) its scores are read through
MODELS = {"readmission_risk": ("readmission_model", "followup_scores")}


def _descendants(node: str, children: dict[str, list[str]]) -> set[str]:
    seen, stack = set(), list(children.get(node, []))
    while stack:
        child = stack.pop()
        if child not in seen:
            seen.add(child)
            stack.extend(children.get(child, []))
    return seen


def _source_node(children: dict[str, list[str]], source: str, table: str) -> str | None:
    """The unique id of a dbt source table (source.<project>.<source>.<table>), if the graph has it."""
    suffix = f".{source}.{table}"
    return next((node for node in children if node.startswith("source.") and node.endswith(suffix)), None)


def problems(
    record: dict,
    children: dict[str, list[str]],
    models: Iterable[str],
    marts: Iterable[str],
    suites: dict[str, str],
) -> list[str]:
    """Why the candidate must not be published (empty: it may be).

    record: the candidate record; children: the dbt manifest's child map; models: unique ids of
    every model and seed of the project, marts: those the reports read from; suites: the check
    name of each model (unique id) with a Great Expectations suite.
    """
    nodes = record.get("dbt_nodes", {})
    models = set(models)
    reasons = [
        f"dbt {node} ended with status '{status}'"
        for node, status in sorted(nodes.items())
        if status in FAILED_STATUSES
    ]
    rebuilt = {node for node, status in nodes.items() if node in models and status == "success"}
    for node in sorted(rebuilt):
        stale = sorted((_descendants(node, children) & models) - rebuilt)
        if stale:
            reasons.append(
                f"{node} was rebuilt but these models downstream of it were not: {', '.join(stale)}"
            )
            break  # one is enough to say the candidate mixes old and new data
    tested: dict[str, set[str]] = {}  # each dbt test and the nodes it tests
    for node, kids in children.items():
        for kid in kids:
            if kid.startswith("test."):
                tested.setdefault(kid, set()).add(node)
    unrun = sorted(test for test, parents in tested.items() if parents <= rebuilt and test not in nodes)
    if unrun:
        named = ", ".join(unrun[:5]) + (", ..." if len(unrun) > 5 else "")
        reasons.append(f"{len(unrun)} dbt tests of models rebuilt in this run did not run: {named}")
    checks = record.get("checks", {})
    for node in sorted(rebuilt & suites.keys()):
        check = checks.get(suites[node])
        if check is None:
            reasons.append(f"{node} was rebuilt but its check {suites[node]} did not run in this run")
        elif check["failed_critical"]:
            reasons.append(f"check {suites[node]} failed ({check['failed_critical']} critical expectations)")
    marts_rebuilt = bool(rebuilt & set(marts))
    missing_reports = [name for name in REPORTS if name not in record.get("reports", {})]
    if (marts_rebuilt or not rebuilt) and missing_reports:
        reasons.append(f"reports not rendered in this run: {', '.join(missing_reports)}")
    missing_models = [name for name in MODELS if name not in record.get("models", {})]
    if (marts_rebuilt or not rebuilt) and missing_models:
        reasons.append(f"models not trained in this run: {', '.join(missing_models)}")
    for name in sorted(record.get("models", {}).keys() & MODELS.keys()):
        source_id = _source_node(children, *MODELS[name])
        if source_id is None:
            source = ".".join(MODELS[name])
            reasons.append(f"the dbt project has no source {source} for the {name} model's scores")
            continue
        unbuilt = sorted((_descendants(source_id, children) & models) - rebuilt)
        if unbuilt:
            reasons.append(
                f"the {name} model was trained in this run but these models of its scores were not "
                f"built from them: {', '.join(unbuilt)}"
            )
    if not rebuilt and not record.get("reports"):
        reasons.append("nothing was built in this run")
    return reasons
