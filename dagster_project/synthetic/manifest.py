"""The extract's control record, as EMR exports ship one: what was generated, from which history.

history_fingerprint identifies the simulated history: a hash of the scenario without its end
date. Extending the end date keeps it (the generator is prefix-stable, old records stay); any
other change gives a new one, so incremental models downstream know to start over.
planted_departures lists the realism-scorecard measures the scenario moves away from the
national figures on purpose, with the reason, so the warehouse can tell a planted departure
from an unplanned one without knowing the scenario.
"""

import hashlib
import json

import pyarrow as pa

from .scenario import Scenario

PLANTED_DEPARTURES = pa.list_(pa.struct([("measure_id", pa.string()), ("reason", pa.string())]))


def history_fingerprint(scenario: Scenario) -> str:
    settings = scenario.model_dump(mode="json", exclude={"end_date"})
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def manifest_table(scenario: Scenario) -> pa.Table:
    return pa.table(
        {
            "history_fingerprint": pa.array([history_fingerprint(scenario)], pa.string()),
            "seed": pa.array([scenario.seed], pa.int64()),
            "patients": pa.array([scenario.patients], pa.int64()),
            "start_date": pa.array([scenario.start_date], pa.date32()),
            "end_date": pa.array([scenario.end_date], pa.date32()),
            "planted_departures": pa.array(
                [[{"measure_id": m, "reason": r} for m, r in scenario.planted_departures.items()]],
                PLANTED_DEPARTURES,
            ),
        }
    )
