"""The data directory as the pipeline writes it: write, audit, publish.

Pure Python (no Dagster): the one-writer lock, raw delivery snapshots and the accepted one, the
candidate a run builds, the published releases readers open, and retention of old artifacts.
"""
