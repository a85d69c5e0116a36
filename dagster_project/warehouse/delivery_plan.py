"""What the next delivery covers: the scenario's history, never shorter than what was accepted.

The extract's end date is part of the published state. A plain materialization regenerates the
accepted history up to the later of the scenario's end date and the accepted end date (the
generator is prefix-stable: older records stay identical), and `extend_to` moves it later. A new
history starts when the scenario file describes another one (another fingerprint: seed, size,
rates, effects) or when asked for on purpose (`new_history`); its history id is new, so the
candidate starts empty and every incremental model is rebuilt whole.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from dagster_project.synthetic.manifest import history_fingerprint
from dagster_project.synthetic.scenario import Scenario, load_scenario


@dataclass(frozen=True)
class DeliveryPlan:
    scenario: Scenario  # with the end date this delivery reaches
    history_fingerprint: str
    history_id: str
    note: str  # one sentence for the log: what this delivery is


def plan_delivery(
    scenario_file: Path,
    accepted: dict | None,
    snapshot_id: str,
    *,
    extend_to: dt.date | None = None,
    new_history: bool = False,
) -> DeliveryPlan:
    """The scenario and history of the delivery `snapshot_id`, given the accepted one."""
    scenario = load_scenario(scenario_file)
    fingerprint = history_fingerprint(scenario)
    continues = accepted is not None and accepted["history_fingerprint"] == fingerprint and not new_history
    end_date = scenario.end_date
    if continues:
        end_date = max(end_date, dt.date.fromisoformat(accepted["end_date"]))
    if extend_to is not None:
        end_date = max(end_date, extend_to)
    if end_date != scenario.end_date:
        scenario = load_scenario(scenario_file, overrides={"end_date": end_date})
    if continues:
        history_id = accepted["history_id"]
        note = f"continues history {history_id} from {accepted['end_date']} to {end_date}"
    else:
        history_id = f"{fingerprint}-{snapshot_id}"
        reason = "on request" if new_history and accepted else "the scenario describes another history"
        note = f"starts history {history_id} ({reason if accepted else 'the first delivery'}), to {end_date}"
    return DeliveryPlan(scenario=scenario, history_fingerprint=fingerprint, history_id=history_id, note=note)
