"""The GX glue: suite files run against DataFrames, severities are kept apart, samples of
identifiers are masked and data never renders as HTML in the Data Docs."""

import datetime as dt
import json
import weakref
from pathlib import Path

import pandas as pd
import pytest

from dagster_project.quality import data_docs
from dagster_project.quality.validation import load_suite, validate_dataframe


@pytest.fixture
def suite_file(tmp_path):
    path = tmp_path / "people.json"
    path.write_text(
        json.dumps(
            {
                "name": "people",
                "expectations": [
                    {
                        "type": "expect_column_to_exist",
                        "kwargs": {"column": "person_id"},
                        "severity": "critical",
                    },
                    {
                        "type": "expect_column_values_to_not_be_null",
                        "kwargs": {"column": "person_id"},
                        "severity": "critical",
                    },
                    {
                        "type": "expect_column_values_to_match_regex",
                        "kwargs": {"column": "zip_code", "regex": "^[0-9]{5}$"},
                        "severity": "warning",
                    },
                    {
                        "type": "expect_column_values_to_be_in_set",
                        "kwargs": {"column": "status", "value_set": ["active", "inactive"], "mostly": 0.5},
                        "severity": "warning",
                    },
                ],
            }
        )
    )
    return path


def people(**overrides):
    frame = {
        "person_id": ["a", "b", "c"],
        "zip_code": ["12345", "54321", "00001"],
        "born": [dt.date(2000, 1, 1)] * 3,
        "status": ["active", "inactive", "active"],
    }
    frame.update(overrides)
    return pd.DataFrame(frame)


def test_clean_frame_passes(suite_file):
    outcome = validate_dataframe(suite_file, people())
    assert outcome.failed == []
    assert outcome.row_count == 3
    assert len(outcome.outcomes) == 4


def test_a_validated_frame_is_freed_once_its_reader_drops_it(suite_file):
    # GX's last context refers to the frame through a reference cycle; a 10M-row frame kept
    # alive that way stays resident while the next suites read theirs
    frame = people()
    still_alive = weakref.ref(frame)
    validate_dataframe(suite_file, frame)
    del frame
    assert still_alive() is None


def test_warning_failure_is_not_critical_and_samples_values(suite_file):
    outcome = validate_dataframe(suite_file, people(status=["active", "lapsed", "unknown"]))
    assert [o.expectation for o in outcome.failed] == ["expect_column_values_to_be_in_set"]
    assert outcome.critical_failures == []
    assert outcome.failed[0].unexpected_count == 2
    assert outcome.failed[0].mostly == 0.5
    assert sorted(outcome.failed[0].unexpected_sample) == ["lapsed", "unknown"]


def test_samples_of_direct_identifiers_are_masked(suite_file):
    outcome = validate_dataframe(suite_file, people(zip_code=["12345", "1234", "ABCDE"]))
    (failed,) = outcome.failed
    assert (failed.column, failed.unexpected_count) == ("zip_code", 2)
    assert failed.unexpected_sample == ["<masked>", "<masked>"]


def test_data_docs_show_data_as_text_and_keep_identifiers_masked(suite_file, tmp_path):
    attack = "<img src=x onerror=alert(1)>"
    frame = people(status=["active", attack, attack], zip_code=["12345", "1234", "02139-9999"])
    outcome = validate_dataframe(suite_file, frame, docs_dir=tmp_path / "gx")
    page = Path(outcome.docs_page).read_text()
    assert attack not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "1234" not in page and "02139-9999" not in page
    stored = "".join(path.read_text() for path in (tmp_path / "gx" / "validations").rglob("*.json"))
    assert "02139-9999" not in stored
    assert "Data asset: people" in page


def test_missing_column_and_null_keys_are_critical(suite_file):
    missing = validate_dataframe(suite_file, people().drop(columns=["person_id"]))
    assert {o.column for o in missing.critical_failures} == {"person_id"}
    nulls = validate_dataframe(suite_file, people(person_id=[None, None, None]))
    assert [o.expectation for o in nulls.critical_failures] == ["expect_column_values_to_not_be_null"]


def test_broken_suite_file_names_itself(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="broken.json"):
        load_suite(path)


def test_parameters_fill_the_suite_and_docs_are_written_to_the_folder(tmp_path):
    path = tmp_path / "counted.json"
    path.write_text(
        json.dumps(
            {
                "name": "counted",
                "expectations": [
                    {
                        "type": "expect_table_row_count_to_be_between",
                        "kwargs": {"min_value": {"$PARAMETER": "min_rows"}},
                        "severity": "critical",
                    },
                ],
            }
        )
    )
    assert validate_dataframe(path, people(), parameters={"min_rows": 3}).failed == []
    outcome = validate_dataframe(path, people(), parameters={"min_rows": 4}, docs_dir=tmp_path / "gx")
    assert [o.observed for o in outcome.critical_failures] == ["3"]
    assert outcome.docs_page.startswith(str(tmp_path / "gx" / "data_docs" / "validations"))
    assert (tmp_path / "gx" / "data_docs" / "index.html").is_file()


def test_the_data_docs_keep_the_newest_validation_of_each_suite(suite_file, tmp_path):
    docs = tmp_path / "gx"
    first = validate_dataframe(suite_file, people(), docs_dir=docs)
    second = validate_dataframe(suite_file, people(status=["active", "lapsed", "lapsed"]), docs_dir=docs)
    assert not Path(first.docs_page).exists() and Path(second.docs_page).exists()
    assert len(list((docs / "validations").rglob("*.json"))) == 1
    index = (docs / "data_docs" / "index.html").read_text()
    assert index.count("validations/people/") == 1, "the index lists the newest validation only"


def test_data_docs_load_nothing_from_the_network_and_every_local_file_exists(suite_file, tmp_path):
    import re

    from dagster_project.quality.data_docs_views import LOADED_URL

    validate_dataframe(suite_file, people(status=["active", "lapsed", "active"]), docs_dir=tmp_path / "gx")
    pages = list((tmp_path / "gx" / "data_docs").rglob("*.html"))
    assert len(pages) >= 3, "index, suite page and validation page"
    for page in pages:
        text = page.read_text()
        assert not LOADED_URL.search(text), f"{page} loads a file from the network"
        for reference in re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"#?]+)', text):
            assert (page.parent / reference).resolve().is_file(), f"{page}: {reference} is missing"


def test_a_validation_page_opens_at_its_link_on_a_docs_server(suite_file, tmp_path, monkeypatch):
    """The link a check carries is the page's address on the docs server (EMR_DATA_DOCS_URL,
    read when the check runs): served from the site folder as `make docs` serves it, it opens."""
    import functools
    import http.server
    import threading
    import urllib.request

    docs = tmp_path / "gx"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(docs / "data_docs"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        monkeypatch.setenv("EMR_DATA_DOCS_URL", base + "/")
        outcome = validate_dataframe(suite_file, people(), docs_dir=docs)
        assert outcome.docs_url.startswith(base + "/validations/")
        with urllib.request.urlopen(outcome.docs_url, timeout=10) as page:
            assert page.status == 200 and "Data asset: people" in page.read().decode()
    finally:
        server.shutdown()
        server.server_close()


def test_the_data_docs_index_links_the_current_page_of_every_suite_after_each_validation(
    suite_file, tmp_path
):
    """The site's results store parses each stored result once per process: the index it
    rebuilds after every page must still list every suite's newest page, and no older one."""
    docs = tmp_path / "gx"
    other = tmp_path / "others.json"
    other.write_text(suite_file.read_text().replace('"people"', '"others"'))
    pages = {}
    for path, frame in [
        (suite_file, people()),
        (other, people()),
        (suite_file, people(person_id=[None] * 3)),
    ]:
        outcome = validate_dataframe(path, frame, docs_dir=docs)
        pages[outcome.suite_name] = outcome.docs_page
        index = (docs / "data_docs" / "index.html").read_text()
        linked = {str(Path(page).relative_to(docs / "data_docs")) for page in pages.values()}
        assert {link for link in linked if link in index} == linked
        assert index.count("validations/") == len(pages)
    assert len(list((docs / "validations").rglob("*.json"))) == 2
    # the site reads results through the project's store, not a default GX put in its place
    context, _ = data_docs._site(docs)
    assert type(context.validation_results_store).__module__ == data_docs.STORE_MODULE
