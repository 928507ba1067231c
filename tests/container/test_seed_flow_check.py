"""The container check's own command (`seed_flow_check.py`) passes on a good emulator and fails on a deviation,
so a green container step in `.ci/run` means the flow really ran."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from seed_flow_check import main

from mock_server.testing import LiveServer


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(env={"CODAT_MOCK_PUBLIC_URL": None}) as live:
        yield live


def test_passes_against_the_emulator(server: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([], {"CODAT_MOCK_URL": server.url}) == 0
    out = capsys.readouterr().out
    for step in ("created company", "Authorize on the Link page: 303", "unlinked", "linked again", "deleted"):
        assert step in out
    assert out.endswith(f"seed flow passed against {server.url}\n")


def test_fails_when_link_urls_do_not_point_at_the_host_url(
    server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--link-base", "http://127.0.0.1:1"], {"CODAT_MOCK_URL": server.url}) == 1
    assert "linkUrl is" in capsys.readouterr().err


def test_fails_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--url", "http://127.0.0.1:1"], {}) == 1
    assert "seed flow FAILED against http://127.0.0.1:1" in capsys.readouterr().err
