"""The one way this project opens a DuckDB warehouse file for reading.

Read-only, so any number of readers share a file; a file that does not exist is an error naming
it (DuckDB would otherwise create an empty database and answer "table not found").
"""

from pathlib import Path


def connect_read_only(path: Path):  # noqa: ANN201 (a duckdb.DuckDBPyConnection; duckdb imported on use)
    import duckdb

    if not path.exists():
        raise FileNotFoundError(
            f"Warehouse {path} does not exist: nothing has been built or published there yet"
        )
    return duckdb.connect(str(path), read_only=True)
