"""`make docs` generates and serves the dbt docs site; a real browser finds the marts and
their column docs in it."""

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from tests.support.browser import rendered_dom, screenshot
from tests.support.loopback import free_port
from tests.support.paths import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def wait_for_http(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"make docs exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def docs_site(pipeline_run):
    """`make docs` on the end-to-end run's published release, on a free loopback port."""
    data_dir = pipeline_run["data_dir"]
    port = free_port()
    process = subprocess.Popen(
        ["make", "docs"],
        cwd=REPO_ROOT,
        env={**os.environ, "EMR_DATA_DIR": str(data_dir), "DOCS_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, process)
        yield {"url": url, "data_dir": data_dir}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_docs_site_lists_the_marts(docs_site):
    dom = rendered_dom(docs_site["url"] + "#!/overview")
    for model in ("fct_encounters", "fct_readmissions", "kpi_readmissions_by_diagnosis", "kpi_payer_mix"):
        assert model in dom


def test_docs_site_shows_definitions_and_column_docs(docs_site):
    dom = rendered_dom(docs_site["url"] + "#!/model/model.emr_analytics.fct_readmissions")
    assert "CMS Hospital-Wide All-Cause Unplanned Readmission measure" in dom
    assert "Eligible index stay for the 30-day measure (denominator)." in dom
    assert "is_readmitted_60d" in dom
    png = screenshot(
        docs_site["url"] + "#!/model/model.emr_analytics.fct_readmissions",
        docs_site["data_dir"] / "screenshots" / "dbt_docs_fct_readmissions.png",
    )
    assert png.stat().st_size > 10_000
