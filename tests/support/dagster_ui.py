"""A real `dagster dev` (webserver + daemon) on a free loopback port, and the few GraphQL calls
the UI makes, for tests that drive the pipeline as a person does."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.loopback import free_port
from tests.support.paths import REPO_ROOT

TERMINAL_STATUSES = {"SUCCESS", "FAILURE", "CANCELED"}
INSTANCE_CONFIG = REPO_ROOT / "dagster_project" / "instance" / "dagster.yaml"


class DagsterDev:
    """`dagster dev -w workspace.yaml` with its own DAGSTER_HOME and data directory."""

    def __init__(self, data_dir: Path, env: dict[str, str]):
        self.port = free_port()
        self.dagster_home = data_dir / "dagster_home"
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        shutil.copy(INSTANCE_CONFIG, self.dagster_home / "dagster.yaml")
        self.log = open(data_dir / "dagster_dev.log", "w")  # noqa: SIM115 (open while the server runs)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dagster",
                "dev",
                "-w",
                "workspace.yaml",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
            ],
            cwd=REPO_ROOT,
            env={
                **os.environ,
                **env,
                "EMR_DATA_DIR": str(data_dir),
                "DAGSTER_HOME": str(self.dagster_home),
                # `.venv/bin/dagster dev` with no virtualenv on PATH must load the code location
                "PATH": os.pathsep.join(
                    entry
                    for entry in os.environ["PATH"].split(os.pathsep)
                    if Path(entry) != Path(sys.executable).parent
                ),
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}/graphql"

    def wait_until_loaded(self, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "dagster dev exited; see dagster_dev.log"
            try:
                nodes = self.graphql("{ assetNodes { id } }")["assetNodes"]
                if nodes:
                    return
            except OSError:  # not listening yet
                pass
            time.sleep(1)
        raise TimeoutError("dagster dev did not load the code location")

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(
            self.url,
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = json.loads(response.read())
        assert "errors" not in payload, payload["errors"]
        return payload["data"]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()

    # -- the calls the UI makes -------------------------------------------------------------

    def asset_keys(self) -> list[list[str]]:
        nodes = self.graphql("{ assetNodes { assetKey { path } } }")["assetNodes"]
        return [node["assetKey"]["path"] for node in nodes]

    def materialize_all(self) -> str:
        """Launch a run of every asset, as the UI's "Materialize all" button does."""
        data = self.graphql(
            """
            mutation Launch($params: ExecutionParams!) {
              launchPipelineExecution(executionParams: $params) {
                __typename
                ... on LaunchRunSuccess { run { runId } }
                ... on PythonError { message }
                ... on RunConfigValidationInvalid { errors { message } }
              }
            }
            """,
            {
                "params": {
                    "selector": {
                        "repositoryLocationName": "emr_analytics",
                        "repositoryName": "__repository__",
                        "pipelineName": "__ASSET_JOB",
                        "assetSelection": [{"path": path} for path in self.asset_keys()],
                    },
                    "mode": "default",
                    "executionMetadata": {"tags": [{"key": "dagster/from_ui", "value": "true"}]},
                }
            },
        )["launchPipelineExecution"]
        assert data["__typename"] == "LaunchRunSuccess", data
        return data["run"]["runId"]

    def run(self, run_id: str) -> dict:
        """Status, start and end time (epoch seconds) of a run."""
        return self.graphql(
            "query Run($id: ID!) { runOrError(runId: $id) { ... on Run { status startTime endTime } } }",
            {"id": run_id},
        )["runOrError"]

    def run_status(self, run_id: str) -> str:
        return self.run(run_id)["status"]

    def wait_for_run(self, run_id: str, seconds: float = 600) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = self.run_status(run_id)
            if status in TERMINAL_STATUSES:
                return status
            time.sleep(2)
        raise TimeoutError(f"run {run_id} still not finished after {seconds} s")

    def check_results(self) -> dict[tuple[str, str], dict]:
        """Latest evaluation of every asset check: (asset key, check name) -> evaluation."""
        nodes = self.graphql(
            """
            {
              assetNodes {
                assetKey { path }
                assetChecksOrError {
                  ... on AssetChecks {
                    checks {
                      name
                      executionForLatestMaterialization {
                        status
                        evaluation { success severity }
                      }
                    }
                  }
                }
              }
            }
            """
        )["assetNodes"]
        results = {}
        for node in nodes:
            for check in node["assetChecksOrError"].get("checks", []):
                key = ("/".join(node["assetKey"]["path"]), check["name"])
                results[key] = check["executionForLatestMaterialization"]
        return results
