"""The Great Expectations Data Docs of a real run, opened offline in headless Chromium: the index
lists every suite's validation, and pages render with their styles and scripts."""

import re

import pytest

from dagster_project.settings import EXPECTATIONS_DIR
from tests.support.browser import rendered_dom, screenshot

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_data_docs_index_lists_every_validation_offline(pipeline_run):
    index = pipeline_run["data_dir"] / "gx" / "data_docs" / "index.html"
    dom = rendered_dom(index.as_uri())
    # bootstrap-table (loaded from the site itself) has filled and paginated the table
    table = dom.split("ge-index-page-validation-results-table", 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr\b[^>]*data-index", table), "the validations table is empty"
    # every suite of the repository, each stage's (the follow-up list's under expectations/marts)
    suites = len(list(EXPECTATIONS_DIR.glob("*/*.json")))
    (shown,) = set(re.findall(r"Showing 1 to \d+ of (\d+) rows", dom))
    assert int(shown) == suites, "one row per suite: its newest validation"
    shot = screenshot(index.as_uri(), pipeline_run["data_dir"] / "screenshots" / "data_docs_index.png")
    assert shot.stat().st_size > 30_000, "a page without its styles compresses to almost nothing"
