"""Where the tests find the repository and its scenarios."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SMALL_SCENARIO = REPO_ROOT / "scenarios" / "small.yaml"
DEFAULT_SCENARIO = REPO_ROOT / "scenarios" / "default.yaml"
