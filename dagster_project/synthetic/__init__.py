"""Synthetic EMR extract generator: scenario file in, Parquet extract out. Imports no Dagster.

Public API (import from the submodules; nothing heavy is imported here):
    scenario.load_scenario, scenario.Scenario, scenario.ScenarioError
    extract.generate_extract
    tables.FEED_TABLES, tables.ANSWER_KEY_TABLES
"""
