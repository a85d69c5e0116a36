"""One reference table as Parquet under <reference dir>/<table>/, written atomically (dbt's
`reference` source never reads a half-written file) and stamped with the package versions it
was built from, so a table already built from the same versions is kept as it is: building
one takes seconds, and every run materializes them all."""

import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path


def package_versions(*packages: str) -> str:
    """The packages a table is built from, with their installed versions."""
    return ", ".join(f"{package} {version(package)}" for package in packages)


def write_reference_table(reference_dir: Path, name: str, build: Callable, source: str) -> int:
    """Write build() to <reference_dir>/<name>/part-00000.parquet unless the file there was
    built from the same source; return the table's row count."""
    import pyarrow.parquet as pq

    table_dir = reference_dir / name
    target = table_dir / "part-00000.parquet"
    if target.exists() and (pq.read_schema(target).metadata or {}).get(b"source") == source.encode():
        return pq.read_metadata(target).num_rows
    table = build().replace_schema_metadata({b"source": source.encode()})
    table_dir.mkdir(parents=True, exist_ok=True)
    temporary = table_dir / "part-00000.parquet.tmp"
    pq.write_table(table, temporary)
    os.replace(temporary, target)
    return table.num_rows
