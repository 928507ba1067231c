"""What `codat-mock serve` loads before its first request: only what answering needs.

Start-up time is a benchmark (bench/startup.py); this holds the behaviour behind it: the serve path does not
import the client, test or CLI-rendering libraries, which cost a tenth of a second or more each.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Loaded on demand: httpx by the webhook sender at its first delivery, the rest only by tests and tools.
# (click is not listed: uvicorn itself imports it.)
NOT_ON_THE_SERVE_PATH = ("httpx", "rich", "schemathesis", "hypothesis", "jinja2", "yaml")

PROBE = """
import json, sys
from mock_server.app import create_app
from mock_server.settings import Settings
import mock_server.cli, mock_server.serving
create_app(Settings())
print(json.dumps(sorted(set(sys.argv[1:]) & set(sys.modules))))
"""


def test_the_serve_path_leaves_heavy_libraries_unloaded() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *NOT_ON_THE_SERVE_PATH], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_the_probe_sees_a_library_once_it_is_loaded() -> None:
    # The same probe after importing one of them reports it: the check above can fail.
    done = subprocess.run(
        [sys.executable, "-c", "import httpx\n" + PROBE, *NOT_ON_THE_SERVE_PATH],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "httpx" in json.loads(done.stdout)
