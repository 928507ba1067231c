"""The built distributions, installed as a user installs them: `python -m build`, then the wheel (with its
`contract` extra) into a fresh virtual environment outside the repository, then that environment's
`codat-mock serve` and `codat-mock contract verify`. An editable install reads package data from the
checkout and so hides a file missing from the wheel; this does not.

Bounded: every step has a timeout (the install, from pip's warm cache, is the long one: a minute or two).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_server import __version__
from mock_server.testing import LiveServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: Package data the emulator and the contract tools read at run time.
DATA_FILES = [
    "contracts/openapi.yaml",
    "mock_server/control/openapi.yaml",
    "mock_server/link/templates/base.html",
    "mock_server/link/templates/start.html",
    "mock_server/link/templates/company.html",
    "mock_server/link/templates/result.html",
    "mock_server/link/templates/problem.html",
    "mock_server/py.typed",
    "contracts/py.typed",
    "sdk_stub/py.typed",
]


def _run(command: list[str | Path], timeout: float, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{output}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build`: the sdist, then the wheel built from the sdist (as pip would from an index)."""
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, PROJECT_ROOT], timeout=300, cwd=out)
    return out


def _only(directory: Path, pattern: str) -> Path:
    (found,) = directory.glob(pattern)
    return found


def test_the_wheel_and_the_sdist_carry_the_package_data(dist: Path) -> None:
    wheel = _only(dist, f"codat_mock-{__version__}-py3-none-any.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(DATA_FILES) <= names, set(DATA_FILES) - names
    assert not {n for n in names if n.startswith("tests/")}, "tests are not installed"

    sdist = _only(dist, f"codat_mock-{__version__}.tar.gz")
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert set(DATA_FILES) <= members, set(DATA_FILES) - members


class _InstalledServer(LiveServer):
    """LiveServer, but the installed environment's `codat-mock` console script instead of `python -m`."""

    def __init__(self, executable: Path) -> None:
        super().__init__(env={"PYTHONPATH": None, "CODAT_MOCK_PUBLIC_URL": None}, start_timeout=60)
        self.executable = executable

    @property
    def command(self) -> list[str]:
        return [str(self.executable), "serve", "--port", "0", *self.args]


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv outside the repository with the built wheel and its `contract` extra: its bin/."""
    home = tmp_path_factory.mktemp("user")
    _run([sys.executable, "-m", "venv", home / "venv"], timeout=120, cwd=home)
    wheel = _only(dist, "*.whl")
    pip = [home / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", f"{wheel}[contract]"]
    _run(pip, timeout=900, cwd=home)
    yield home / "venv" / "bin"


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path) -> None:
    where = _run(
        [installed / "python", "-c", "import contracts, mock_server, sdk_stub; print(mock_server.__file__)"],
        timeout=60,
        cwd=installed,
    ).stdout
    assert "site-packages" in where and str(PROJECT_ROOT) not in where
    version = _run([installed / "codat-mock", "--version"], timeout=60, cwd=installed).stdout
    assert version == f"codat-mock {__version__}\n"


def test_the_installed_serve_and_verify_work(installed: Path, tmp_path: Path) -> None:
    with _InstalledServer(installed / "codat-mock") as server:
        # The Link templates and the control plane's document are package data: exercise both.
        assert httpx.get(f"{server.url}/_mock/openapi.json", timeout=10).status_code == 200
        assert httpx.get(f"{server.url}/openapi.yaml", timeout=10).status_code == 200
        link_page = httpx.get(f"{server.url}/link/company/00000000-0000-0000-0000-000000000000", timeout=10)
        assert link_page.status_code == 404 and "text/html" in link_page.headers["content-type"]

        verify = [installed / "codat-mock", "contract", "verify", "--base-url", server.url, "--api-key", "wheel"]
        result = _run([*verify, "--max-examples", "3", "--seed", "1"], timeout=600, cwd=tmp_path)
    assert "PASSED: the deployment agrees with the contract" in result.stdout
    assert "client/model agreement:  passed" in result.stdout
    assert list(tmp_path.iterdir()) == [], "verify leaves nothing in the caller's directory"
