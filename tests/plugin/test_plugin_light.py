"""Loading the plugin imports nothing heavy: pytest loads it in every project that has codat-mock installed."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("httpx", "starlette", "pydantic", "anyio", "sdk_stub", "mock_server.http", "mock_server.testing")


def test_importing_the_plugin_imports_only_pytest_and_the_standard_library() -> None:
    code = (
        "import sys, pytest\n"
        "before = set(sys.modules)\n"
        "import mock_server.pytest_plugin\n"
        f"heavy = sorted(m for m in set(sys.modules) - before if any(m == h or m.startswith(h + '.') for h in {HEAVY!r}))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]", result.stdout
