"""`make docs` serves the dbt docs site and the Great Expectations Data Docs; a real browser
finds the front page, the marts and their column docs, and each check's Data Docs link opens."""

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from dagster_project.settings import data_docs_url
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
    port, data_docs_port = free_port(), free_port()
    process = subprocess.Popen(
        ["make", "docs"],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "EMR_DATA_DIR": str(data_dir),
            "DOCS_PORT": str(port),
            "DATA_DOCS_PORT": str(data_docs_port),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    data_docs = f"http://127.0.0.1:{data_docs_port}"
    try:
        wait_for_http(url, process)
        wait_for_http(data_docs + "/index.html", process)
        yield {"url": url, "data_docs": data_docs, "data_dir": data_dir}
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


def test_docs_front_page_is_the_projects_overview(docs_site):
    dom = rendered_dom(docs_site["url"] + "#!/overview")
    assert "EMR analytics: synthetic hospital data, measured back" in dom
    assert "How to read the marts" in dom and "Welcome!" not in dom
    assert "hospital_kpi_dashboard" in dom, "the exposures are listed beside the models"


def test_every_checks_data_docs_link_opens_on_the_docs_server(docs_site, pipeline_run):
    """The links on the Dagster checks are http addresses on `make docs` (DATA_DOCS_PORT), where
    a file:// link is refused by the browser; each answers with its suite's validation page."""
    evaluations = [
        evaluation
        for evaluation in pipeline_run["result"].get_asset_check_evaluations()
        if evaluation.check_name.startswith("gx_")
    ]
    assert evaluations
    default = data_docs_url()  # the run read the default address (no DATA_DOCS_PORT set)
    for evaluation in evaluations:
        link = evaluation.metadata["data_docs_page"].value
        assert link.startswith(default + "/validations/"), link
        with urllib.request.urlopen(docs_site["data_docs"] + link.removeprefix(default), timeout=10) as page:
            assert page.status == 200
            assert evaluation.metadata["suite"].value in page.read().decode()
