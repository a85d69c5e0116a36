"""The repository explains itself: every file path it mentions exists in it."""

import re
import subprocess

from tests.support.paths import REPO_ROOT

TOP_FOLDERS = ("docs", "dbt", "expectations", "scenarios", "dagster_project", "benchmarks", "tests", ".ci")
PATH = re.compile(r"(?<![\w/.-])((?:" + "|".join(re.escape(f) for f in TOP_FOLDERS) + r")/[\w./-]*[\w/])")
DOCUMENT = re.compile(r"(?<![\w/.-])([A-Z][A-Z_]+\.md)\b")
GENERATED = ("dbt/target", "dbt/logs")
PLACEHOLDER = re.compile(r"[<>{}*]|NNNNN")


def tracked_text_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return [name for name in listed.stdout.splitlines() if not name.endswith((".png", ".parquet", ".duckdb"))]


def test_every_path_the_repository_mentions_exists():
    missing = []
    for name in tracked_text_files():
        try:
            text = (REPO_ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        for line_number, line in enumerate(text.splitlines(), start=1):
            for match in PATH.finditer(line):
                reference = match.group(1).rstrip("./")
                mention = line[match.start() : match.end() + 1]
                if reference.startswith(GENERATED) or PLACEHOLDER.search(mention):
                    continue
                if not (REPO_ROOT / reference).exists():
                    missing.append(f"{name}:{line_number}: {reference}")
            for match in DOCUMENT.finditer(line):
                if not any((REPO_ROOT / folder / match.group(1)).exists() for folder in ("", "docs")):
                    missing.append(f"{name}:{line_number}: {match.group(1)}")
    assert missing == []


def layout_block() -> str:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def test_the_readme_layout_names_every_module_and_only_what_exists():
    block = layout_block()
    named = set(re.findall(r"[\w-]+\.(?:py|yaml|md|toml|txt)", block))
    modules = {
        path.name
        for path in (REPO_ROOT / "dagster_project").rglob("*.py")
        if path.name != "__init__.py" and "synthetic" not in path.parts
    }
    assert modules - named == set(), "modules the README layout does not mention"
    everything = {path.name for path in REPO_ROOT.rglob("*") if ".venv" not in path.parts}
    assert named - everything == set(), "files the README layout names that do not exist"


def test_every_make_target_a_newcomer_runs_installs_what_it_needs():
    """A fresh clone has no virtual environment and no node_modules: make run, test, test-fast
    and ui must install both first (the Data Docs need the npm files on the first run)."""
    for target in ("run", "test", "test-fast", "ui"):
        planned = subprocess.run(
            ["make", "--dry-run", "--what-if=package.json", "--what-if=pyproject.toml", target],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "npm ci" in planned, target
        assert "pip install" in planned, target
