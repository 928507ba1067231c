"""Loading the plugin imports nothing heavy: pytest loads it in every project that has codat-mock installed."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("httpx", "starlette", "pydantic", "anyio", "sdk_stub", "mock_server.http", "mock_server.testing")

PROBE = """
import sys, pytest
before = set(sys.modules)
import mock_server.pytest_plugin
new = set(sys.modules) - before
print(sorted(m for m in new if any(m == h or m.startswith(h + ".") for h in HEAVY)))
"""


def test_importing_the_plugin_imports_only_pytest_and_the_standard_library() -> None:
    code = f"HEAVY = {HEAVY!r}\n{PROBE}"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]", result.stdout
