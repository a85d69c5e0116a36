"""Helpers the tests share: paths, real dbt and Dagster runs, a browser, a Dagster UI."""
