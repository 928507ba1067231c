"""The seed page's JavaScript, unmodified, through Codat's TypeScript SDK (`@codat/platform`) against a live emulator.

The page unlinks with `requestBody: {status: "Unlinked"}`, a field SDK 6.x no longer has: it sends the PATCH with
`Content-Type: application/json` and an empty body, which Codat's document allows. The flow must run to the end.

Needs `node` and the npm package, which `.ci/run` installs with
`npm install --prefix .cache/npm @codat/platform@6.2.1` (or set CODAT_MOCK_NPM_PREFIX to another prefix);
without either the test is skipped, saying which is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest
from api_helpers import basic

from mock_server.testing import LiveServer

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("seed_flow.cjs")
PREFIX = Path(os.environ.get("CODAT_MOCK_NPM_PREFIX", REPO / ".cache" / "npm"))
MODULES = PREFIX / "node_modules"
INSTALL = "npm install --prefix .cache/npm @codat/platform@6.2.1"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("node is not installed; the seed page's JavaScript cannot run")
    if not (MODULES / "@codat" / "platform" / "package.json").exists():
        pytest.skip(f"@codat/platform is not installed under {PREFIX}; run `{INSTALL}`")
    return found


def test_the_seed_pages_flow_runs_through_codats_typescript_sdk(node: str) -> None:
    key = f"js-{uuid.uuid4().hex}"
    with LiveServer() as server:
        environment = {**os.environ, "NODE_PATH": str(MODULES), "CODAT_BASE_URL": server.url, "CODAT_API_KEY": key}
        run = subprocess.run(
            [node, str(SCRIPT)], env=environment, capture_output=True, text=True, timeout=120, check=False
        )
        assert run.returncode == 0, f"the seed flow failed:\n{run.stderr}\n{run.stdout}"
        steps = json.loads(run.stdout)
        journal = httpx.get(f"{server.url}/_mock/journal", headers=basic(key), timeout=10).json()["entries"]

    assert steps["created"]["name"] == "Bank of Dave" and steps["created"]["tags"] == {"region": "uk"}
    assert steps["connected"]["status"] == "PendingAuth" and steps["connected"]["linkUrl"].startswith(server.url)
    assert (steps["authorized"], steps["unlinked"]) == ("Linked", "Unlinked")
    assert steps["listed"] == [steps["created"]["id"]]
    assert steps["afterDelete"]["statusCode"] == 404
    # What the SDK really sent for the page's unlink: no body at all, and the emulator unlinked.
    unlink = next(e for e in journal if e["operationId"] == "unlink-connection")
    assert (unlink["requestBody"], unlink["status"]) == ("", 200)
    assert [e["status"] for e in journal if e["operationId"] != "get-company"] == [200, 200, 200, 200, 200, 200, 204]
