"""Dagster definitions, one file per concern: raw extract, dbt models, quality checks."""
