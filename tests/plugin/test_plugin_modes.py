"""The plugin's `live` and `external` modes, and pytest-xdist workers sharing one live server.

The live runs start real `codat-mock serve` processes; the xdist run is a pytest subprocess with four
workers. Every server binds 127.0.0.1 on a free port and is stopped by the run that started it.
"""

from __future__ import annotations

import os
import socket

import httpx
import pytest
from api_helpers import basic
from plugin_helpers import strict_project

from mock_server.testing import LiveServer

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODAT_MOCK_URL", raising=False)
    monkeypatch.delenv("CODAT_MOCK_ADMIN_TOKEN", raising=False)


def _refuses_connections(url: str) -> bool:
    try:
        httpx.get(url + "/_mock/health", timeout=2)
    except httpx.ConnectError:
        return True
    return False


LIVE_TESTS = """
import re
import httpx
from codat_platform import CodatPlatform

def test_live(codat_mock_server, codat_mock, codat_client, codat_sdk_kwargs, tmp_path_factory):
    assert codat_mock_server.mode == "live"
    assert re.fullmatch(r"http://127\\.0\\.0\\.1:\\d+", codat_mock_server.url)
    assert codat_mock_server.app is None and codat_mock.base_url == codat_mock_server.url
    with open("server_url.txt", "w") as out:
        out.write(codat_mock_server.url)
    company = codat_client.companies.create(name="Live Ltd")
    # A real URL: any HTTP client (a browser, another process) reaches the same tenant.
    got = httpx.get(f"{codat_mock.base_url}/companies/{company.id}", headers=codat_mock.headers)
    assert got.json()["name"] == "Live Ltd"
    assert set(codat_sdk_kwargs) == {"server_url", "security"}
    assert CodatPlatform(**codat_sdk_kwargs).companies.get(request={"company_id": company.id}).name == "Live Ltd"

async def _async_round_trip(client):
    company = await client.companies.create(name="Async Live")
    return (await client.companies.get(company.id)).name

def test_async_live(codat_async_client):
    import anyio
    assert anyio.run(_async_round_trip, codat_async_client) == "Async Live"
"""


def test_live_mode_runs_a_real_server_and_stops_it(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(LIVE_TESTS)
    result = pytester.runpytest("--codat-mock=live")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["codat-mock: live"])
    url = (pytester.path / "server_url.txt").read_text()
    assert _refuses_connections(url), f"the live server at {url} outlived the session"


def test_the_ini_chooses_live_mode(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ncodat_mock_mode = live\nfilterwarnings = error\n")
    pytester.makepyfile("def test_mode(codat_mock_server):\n    assert codat_mock_server.mode == 'live'\n")
    pytester.runpytest().assert_outcomes(passed=1)


def test_external_mode_uses_the_server_at_codat_mock_url(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    strict_project(pytester)
    token = "plugin-test-admin"
    with LiveServer(["--seed", "11", "--admin-token", token], env={"CODAT_MOCK_ADMIN_TOKEN": None}) as server:
        monkeypatch.setenv("CODAT_MOCK_URL", server.url + "/")
        monkeypatch.setenv("CODAT_MOCK_ADMIN_TOKEN", token)
        pytester.makepyfile(
            f"""
            def test_external(codat_mock_server, codat_mock, codat_client):
                assert codat_mock_server.mode == "external"
                assert codat_mock_server.url == {server.url!r}
                codat_client.companies.create(name="External Ltd")
                assert [c.name for c in codat_client.companies.list().results] == ["External Ltd"]
                # The clock is an admin operation on this server: the plugin sends CODAT_MOCK_ADMIN_TOKEN.
                assert codat_mock.advance_clock(3600).startswith("2026-01-01T01:00:00")
            """
        )
        result = pytester.runpytest()
        result.assert_outcomes(passed=1)
        result.stdout.fnmatch_lines([f"codat-mock: external at {server.url}"])
        # Teardown reset the test's tenant on the external server: no tenant holds anything.
        tenants = httpx.get(server.url + "/_mock/tenants", headers={"X-Codat-Mock-Admin": token}, timeout=10)
        assert tenants.json()["tenants"] == []


def test_an_unreachable_external_server_is_a_clear_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:  # a port nothing listens on (bound, never listening)
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        monkeypatch.setenv("CODAT_MOCK_URL", url)
        pytester.makeini("[pytest]\ncodat_mock_ready_timeout = 0.5\n")
        pytester.makepyfile("def test_x(codat_mock):\n    pass\n")
        result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*codat-mock: {url}/_mock/ready did not answer 200 within 0.5 s*"])


XDIST_TESTS = """
import os
import pytest

@pytest.mark.parametrize("n", range(24))
def test_tenant_isolation(n, codat_mock, codat_client, codat_mock_server):
    with open(os.path.join(os.environ["CODAT_MOCK_PLUGIN_OUT"], f"{n}.txt"), "w") as out:
        out.write(f"{os.environ['PYTEST_XDIST_WORKER']} {codat_mock_server.url}")
    names = {f"Company {n}-{i}" for i in range(3)}
    for name in names:
        codat_client.companies.create(name=name)
    # A tenant-scoped fault: only this test's next list-integrations call fails.
    codat_mock.fault("list-integrations", 500, count=1)
    assert codat_mock.http.get("/integrations").status_code == 500
    assert codat_mock.http.get("/integrations").status_code == 200
    assert {c.name for c in codat_client.companies.list().results} == names
    assert len(codat_mock.journal("create-company")) == 3
    assert [r["applied"] for r in codat_mock.faults()] == [1]
"""


def test_xdist_workers_share_one_live_server_without_interference(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(XDIST_TESTS)
    out = pytester.path / "out"
    out.mkdir()
    # Only the plugins this run needs (the others, Hypothesis above all, take seconds to import per worker).
    env = {"CODAT_MOCK_PLUGIN_OUT": str(out), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        result = pytester.runpytest_subprocess(
            "-p", "xdist", "-p", "codat_mock", "-n", "4", "--codat-mock=live", timeout=180
        )
    result.assert_outcomes(passed=24)
    seen = [line.split() for line in (path.read_text() for path in out.iterdir())]
    workers = {worker for worker, _ in seen}
    urls = {url for _, url in seen}
    assert len(seen) == 24 and len(workers) == 4, seen
    assert len(urls) == 1, f"the workers used more than one server: {urls}"
    (url,) = urls
    assert _refuses_connections(url), f"the shared live server at {url} outlived the run"


def test_each_xdist_worker_gets_its_own_in_process_emulator(pytester: pytest.Pytester) -> None:
    strict_project(pytester)
    pytester.makepyfile(XDIST_TESTS.replace("codat_mock_server.url", "id(codat_mock_server.app)"))
    out = pytester.path / "out"
    out.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODAT_MOCK_PLUGIN_OUT", str(out))
        patch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        result = pytester.runpytest_subprocess("-p", "xdist", "-p", "codat_mock", "-n", "2", timeout=180)
    result.assert_outcomes(passed=24)
    assert len({line.split()[0] for line in (p.read_text() for p in out.iterdir())}) == 2


def test_a_project_outside_the_repository_only_installs_the_package(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The issue's acceptance test: a fresh directory, one test file, no conftest, `python -m pytest -n 2`
    with this environment's interpreter (where codat-mock is installed), every plugin autoloaded."""
    import subprocess
    import sys

    project = tmp_path_factory.mktemp("throwaway-project")
    (project / "test_codat.py").write_text(
        "def test_x(codat_client):\n"
        '    codat_client.companies.create(name="x")\n'
        "\n"
        "def test_y(codat_client):\n"
        "    assert codat_client.companies.list().results == []\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CODAT_MOCK_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"rootdir: {project}" in result.stdout
    assert "2 passed" in result.stdout
    assert not list(project.rglob("conftest.py"))


def test_basic_auth_helper_matches_the_plugin() -> None:
    # The repository's own helper and the plugin build the same header (tests here mix the two).
    from mock_server.pytest_plugin.server import CodatMockServer
    from mock_server.pytest_plugin.tenant import CodatMock

    server = CodatMockServer.in_process()
    try:
        assert CodatMock(server, "some-key").headers == basic("some-key")
    finally:
        server.close()
