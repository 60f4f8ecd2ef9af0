import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"


def shared_missing_under_ci(environ, shared) -> str | None:
    """The error when CI runs without the shared development set (elsewhere its tests skip)."""
    if environ.get("CI", "").lower() in ("true", "1") and not (shared / "dev" / "gold").is_dir():
        return f"{shared} is absent: under CI the seed and dev tests must run, not skip"
    return None


def pytest_sessionstart(session):
    problem = shared_missing_under_ci(os.environ, SHARED)
    if problem:
        pytest.exit(problem, returncode=1)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite samples/*.expected.json")


@pytest.fixture
def update_golden(request):
    return request.config.getoption("--update-golden")


def enforce_exe() -> str:
    """The installed entry point beside the running interpreter (the real thing users run)."""
    exe = pathlib.Path(sys.executable).with_name("enforce")
    return str(exe) if exe.exists() else shutil.which("enforce")


@pytest.fixture
def run_enforce():
    def run(*args, input=None, cwd=None):
        return subprocess.run([enforce_exe(), *map(str, args)], input=input, capture_output=True,
                              cwd=cwd, env={**os.environ, "NO_COLOR": "1"})
    return run
