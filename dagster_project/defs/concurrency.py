"""The one concurrency pool of the project.

Every asset that writes the raw extract or the DuckDB warehouse runs in this pool. DuckDB
admits one writing process per file, so two runs must not build at once: dagster.yaml limits
the pool to one slot at run granularity, and the run queue holds a second run (a manual
materialization during the scheduled refresh) until the first has finished.
"""

WAREHOUSE_POOL = "duckdb_warehouse"
