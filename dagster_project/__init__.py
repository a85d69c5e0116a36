"""Synthetic EMR analytics: generator, Dagster wiring, dbt and Great Expectations glue."""
