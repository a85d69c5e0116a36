"""The resources every asset and check uses.

`DataDir` says where things are: the data directory and the scenario file, each from the
environment (EMR_DATA_DIR, EMR_SCENARIO) unless configured. `Warehouse` is the run's handle on
that directory: it holds the one-writer lock for the whole run (a second writer fails at once
and changes nothing), opens this run's candidate and connects readers to the right DuckDB file.
"""

import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from dagster_project import settings
from dagster_project.settings import DataLayout
from dagster_project.warehouse import dbt_targets, snapshots
from dagster_project.warehouse.candidate import Candidate, candidate_of_run, open_candidate
from dagster_project.warehouse.connections import connect_read_only
from dagster_project.warehouse.lock import describe, writer_lock

UNFINISHED = (
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.CANCELING,
)


class DataDir(dg.ConfigurableResource):
    """The data directory and the scenario file; empty fields are read from the environment
    when the run starts (EMR_DATA_DIR, default ./data; EMR_SCENARIO, default
    scenarios/default.yaml)."""

    root: str = ""
    scenario: str = ""

    def layout(self) -> DataLayout:
        return DataLayout(Path(self.root).resolve()) if self.root else settings.layout()

    def scenario_path(self) -> Path:
        return Path(self.scenario).resolve() if self.scenario else settings.scenario_path()

    def dbt_arguments(self) -> list[str]:
        """How dbt learns the data directory: from EMR_DATA_DIR, as when `make manifest` parsed
        the project (so dbt can reuse that parse), unless the resource names another one."""
        return ["--vars", json.dumps({"data_dir": str(self.layout().root)})] if self.root else []

    def dbt_target_path(self, run_id: str) -> Path:
        """One dbt target folder per run, created here: its invocations (staging, marts, docs)
        reuse the parse of the first one, which starts from the previous run's
        (dbt_targets.prepare), and the run's artifacts and logs stay together."""
        return dbt_targets.prepare(self.layout().dbt_runs_dir / run_id, settings.DBT_PROJECT_DIR)


class Warehouse(dg.ConfigurableResource):
    """The writer's handle on the data directory, for one run."""

    data_dir: dg.ResourceDependency[DataDir]

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["Warehouse"]:
        holder = {
            "run_id": context.run_id or "",
            "pid": os.getpid(),
            "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        with writer_lock(self.layout(), holder) as died:
            if died and context.instance is not None:
                _mark_failed(context.instance, died, context.log)
            yield self

    def layout(self) -> DataLayout:
        return self.data_dir.layout()

    def candidate(self, run_id: str) -> Candidate:
        """This run's candidate, started (from the published set) if the run has none yet."""
        layout = self.layout()
        return open_candidate(layout, run_id, snapshots.accepted_record(layout))

    def reading_path(self, run_id: str) -> Path:
        """What a check of this run validates: this run's candidate, else the published set."""
        candidate = candidate_of_run(self.layout(), run_id)
        return candidate.warehouse if candidate else self.layout().published_warehouse

    def read_only(self, path: Path):  # noqa: ANN201 (a DuckDB connection, also a context manager)
        """A read-only connection to one of this data directory's warehouse files."""
        return connect_read_only(path)


def _mark_failed(instance: dg.DagsterInstance, holder: dict, log: dg.DagsterLogManager | None) -> None:
    """A run that died holding the writer lock stays STARTED in Dagster for ever: fail it."""
    run = instance.get_run_by_id(holder.get("run_id", ""))
    if run is not None and run.status in UNFINISHED:
        instance.report_run_failed(
            run, f"The process of this run died while writing the data directory ({describe(holder)})."
        )
        if log:
            log.warning(f"Marked {describe(holder)} as failed: it died while writing.")
