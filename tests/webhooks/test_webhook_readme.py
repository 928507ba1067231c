"""The README's webhook receiver example, run as written against a live emulator (only the URLs and the
receiver's port are changed, and it serves in a thread instead of forever)."""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.testing import LiveServer

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_readme_receiver_verifies_a_connection_connected(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Webhooks") :]
    example = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert example is not None, "the Webhooks section lost its example"
    port = free_port()
    code = example.group(1).replace("127.0.0.1:9000", f"127.0.0.1:{port}").replace("9000)", f"{port})")
    assert "server.serve_forever()" in code
    code = code.replace("server.serve_forever()", "")
    with LiveServer(["--webhook-retry-scale", "0.001"]) as live:
        namespace: dict[str, Any] = {}
        exec(compile(code.replace("http://localhost:8000", live.url), "README.md: Webhooks", "exec"), namespace)
        server = namespace["server"]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            auth = {"Authorization": "Basic bXktYXBpLWtleQ=="}
            with httpx.Client(base_url=live.url, headers=auth, timeout=10) as http:
                company = http.post("/companies", json={"name": "Bank of Dave"}).json()
                base = f"/companies/{company['id']}/connections"
                connection = http.post(base, json={"platformKey": "qhyg"}).json()
                http.put(f"{base}/{connection['id']}/authorization", json={"accessToken": "x"})
                assert http.post("/_mock/webhooks/flush", params={"timeout": 20}).json()["drained"]
                [delivery] = http.get("/_mock/webhooks/deliveries").json()["deliveries"]
            assert delivery["attempts"][-1]["statusCode"] == 204
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
    deadline = time.monotonic() + 5
    out = ""
    while time.monotonic() < deadline and "connection.connected" not in out:
        out += capsys.readouterr().out
    assert "connection.connected Linked" in out
