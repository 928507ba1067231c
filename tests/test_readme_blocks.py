"""A newcomer's first ten minutes: the README's blocks run as written, from a shell, against a live emulator.

(The first two commands and the client example: test_readme.py. The Docker files: tests/container/.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from packaging.requirements import Requirement

from mock_server.testing import LiveServer

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_DIR = str(Path(sys.executable).parent)  # where this environment's `codat-mock` is

needs_shell_tools = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("bash", "curl", "base64", "python3")),
    reason="the README's shell blocks need bash, curl, base64 and python3 on PATH",
)


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


def blocks(text: str, language: str = "bash") -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def commands(block: str) -> list[str]:
    """The block's shell commands, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def run_bash(script: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": CLI_DIR + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


# -- installing ---------------------------------------------------------------------------------------------


def test_install_lines_work_from_a_clone_and_from_git() -> None:
    contract = section("Contract checks in CI")
    assert "pip install 'codat-mock[contract]'" not in README, "not on an index: that line fails outside the clone"
    assert ".venv/bin/pip install -e '.[contract]'" in contract
    (line,) = re.findall(r'pip install "(codat-mock\[contract\] @ git\+[^"]+)"', contract)
    requirement = Requirement(line)
    assert (requirement.name, requirement.extras) == ("codat-mock", {"contract"})
    assert requirement.url is not None and requirement.url.startswith("git+https://")


def test_bare_codat_mock_runs_only_after_the_venv_is_activated() -> None:
    """`codat-mock` alone is "command not found" after the README's setup unless the venv is active."""
    for title in re.findall(r"^## (.+)$", README, flags=re.M):
        activated = False
        for block in blocks(section(title)):
            for command in commands(block):
                activated = activated or "source .venv/bin/activate" in command
                bare = re.search(r"(?:^|&&|\|\||;)\s*codat-mock\s", command)
                assert activated or not bare, f"{title}: `{command}` needs the venv activated or .venv/bin/"


def test_every_curl_is_silent_and_ends_its_output_with_a_newline() -> None:
    curls = [c for block in blocks(README) for c in commands(block) if re.search(r"\bcurl\s", c)]
    assert len(curls) >= 10
    for command in curls:
        curl = command[command.index("curl") :]
        assert re.search(r"\s-[a-zA-Z]*s[a-zA-Z]*\s", curl), f"no -s (progress meter in the output): {command}"
        captured = curl.startswith("curl") and ("$(curl" in command or re.search(r"\|\s*python3", command))
        newline = re.search(r"-w '[^']*\\n'", curl) is not None
        no_output = "-o /dev/null" in curl and "-w" not in curl
        assert captured or newline or no_output, f"output without a final newline: {command}"


# -- the seed flow and Link, from a shell ---------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with LiveServer(env={"CODAT_MOCK_PUBLIC_URL": None}) as live:
        yield live


@needs_shell_tools
def test_the_seed_flow_and_link_blocks_run_as_written(server: LiveServer, tmp_path: Path) -> None:
    (seed,) = blocks(section("The seed flow with curl"))
    (link,) = blocks(section("Linking a connection"))
    assert "BASE, AUTH, COMPANY, CONNECTION" in link, "the Link block says which shell it continues"
    script = (seed + link).replace("http://localhost:8000", server.url)
    script = script.replace("/tmp/connection.json", str(tmp_path / "connection.json"))
    result = run_bash("set -u\n" + script, tmp_path, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr

    lines = result.stdout.splitlines()  # every output ends with a newline: one per line
    created, link_url, linked, unlinked, found, settings, redirected, authorized, auto_link = lines
    connection = json.loads(created)
    company_id = connection["linkUrl"].split("/")[5]
    assert connection["status"] == "PendingAuth" and link_url == connection["linkUrl"]
    assert link_url.startswith(server.url + "/link/companies/")
    assert json.loads(linked)["status"] == "Linked"
    assert json.loads(unlinked)["status"] == "Unlinked"
    assert [c["name"] for c in json.loads(found)["results"]] == ["Bank of Dave"]
    assert json.loads(settings)["redirectUrl"].startswith("https://my-app.example/codat/")
    assert redirected == f"https://my-app.example/codat/{company_id}?status=200"
    assert json.loads(authorized)["connection"]["status"] == "Linked"
    assert json.loads(auto_link)["autoLink"]["mode"] == "immediate"


@needs_shell_tools
def test_the_verify_block_runs_as_written(server: LiveServer, tmp_path: Path) -> None:
    (verify,) = [b for b in blocks(section("Contract checks in CI")) if "contract verify" in b]
    port = _free_port()
    script = verify.replace("8000", str(port)).replace(
        "--junit-xml contract.xml", "--junit-xml contract.xml --max-examples 2"
    )
    result = run_bash(script, tmp_path, timeout=300)
    assert "codat-mock contract verify: PASSED" in result.stdout, result.stdout[-3000:] + result.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contract.xml"]


@needs_shell_tools
def test_the_verify_block_stops_at_once_when_serve_cannot_start(tmp_path: Path) -> None:
    (verify,) = [b for b in blocks(section("Contract checks in CI")) if "contract verify" in b]
    with socket.socket() as holder:  # something else holds the port and never answers HTTP
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = run_bash(verify.replace("8000", str(port)), tmp_path, timeout=60)  # not forever
    assert f"codat-mock: port {port} on 127.0.0.1 is in use" in result.stderr
    assert "contract verify" not in result.stdout and not (tmp_path / "contract.xml").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the official SDK and the operations table ----------------------------------------------------------------


def test_the_official_sdk_example_installs_and_prints(server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    text = section("Using the official Codat SDKs")
    assert any("pip install codat-platform" in c for b in blocks(text) for c in commands(b))
    (example,) = blocks(text, "python")
    exec(compile(example.replace("http://localhost:8000", server.url), "README.md: official SDK", "exec"), {})
    printed = capsys.readouterr().out
    match = re.fullmatch(r"Bank of Dave (\S+) PendingAuth (\S+)\n", printed)
    assert match is not None, printed
    assert match[2] == f"{server.url}/link/companies/{match[1]}/connections/{match[2].split('/')[-2]}/start"


def test_the_authorization_body_is_what_the_table_says(server: LiveServer) -> None:
    (row,) = [line for line in README.splitlines() if line.startswith("| update-connection-authorization |")]
    assert "{key: string}" not in row and "every value a string" in row and '"accessToken"' in row
    auth = {"Authorization": "Basic dGFibGUta2V5"}
    with httpx.Client(base_url=server.url, headers=auth, timeout=10) as api:
        company = api.post("/companies", json={"name": "Table"}).json()["id"]
        connection = api.post(f"/companies/{company}/connections", json={"platformKey": "qhyg"}).json()["id"]
        path = f"/companies/{company}/connections/{connection}/authorization"
        refused = api.put(path, json={"accessToken": 1})
        assert refused.status_code == 400 and refused.json()["statusCode"] == 400
        assert api.get(f"/companies/{company}/connections/{connection}").json()["status"] == "PendingAuth"
        # Any names, string values: the platform's own credentials.
        linked = api.put(path, json={"accessToken": "0000-0000", "realmId": "123"})
        assert linked.status_code == 200 and linked.json()["status"] == "Linked"
        assert "0000-0000" not in api.get(f"/companies/{company}/connections/{connection}").text  # not stored


# -- Docker -------------------------------------------------------------------------------------------------


def test_the_compose_file_is_the_readme_example_and_gates_the_app_on_health() -> None:
    shipped = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    (example,) = blocks(section("Run it in Docker").split("**In CI**")[0], "yaml")
    assert yaml.safe_load(shipped) == yaml.safe_load(example)
    services = yaml.safe_load(shipped)["services"]
    assert services["app"]["depends_on"] == {"codat-mock": {"condition": "service_healthy"}}
    emulator = services["codat-mock"]
    assert emulator["build"] == "."
    assert emulator["healthcheck"]["test"] == ["CMD", "python", "-m", "mock_server.healthcheck"]
    assert emulator["environment"]["CODAT_MOCK_PUBLIC_URL"] == "http://localhost:8000"


def test_the_ci_example_uses_the_plugins_external_mode() -> None:
    (ci,) = blocks(section("Run it in Docker").split("**In CI**")[1], "yaml")
    job = yaml.safe_load(ci)["jobs"]["test"]
    assert job["env"]["CODAT_MOCK_URL"] == "http://localhost:8000"
    assert "8000:8000" in job["services"]["codat-mock"]["ports"]
    assert any("pytest --codat-mock=external" in step.get("run", "") for step in job["steps"])
