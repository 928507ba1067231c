"""The plugin's command-line option, ini keys and marker: parsed once, in `pytest_configure`.

Light on purpose (stdlib and pytest only): pytest imports the plugin for every run of every project that has
codat-mock installed, whether or not a test asks for the emulator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn

import pytest

Mode = Literal["inprocess", "live", "external"]
MODES: tuple[Mode, ...] = ("inprocess", "live", "external")

URL_VARIABLE = "CODAT_MOCK_URL"
ADMIN_TOKEN_VARIABLE = "CODAT_MOCK_ADMIN_TOKEN"

MARKER = "codat_mock"
MARKER_HELP = (
    "codat_mock(*, auto_link=None, seed=None, redirect=None): configure this test's codat_mock tenant. "
    "auto_link: 'manual' | 'immediate' | True | False | an autoLink object such as "
    "{'mode': 'afterReads', 'reads': 2}; seed: a tenant state document (dict), a JSON file (path, relative to "
    "the test file) or a callable returning one, imported with PUT /_mock/state; redirect: Link's redirect URL."
)


@dataclass(frozen=True)
class PluginConfig:
    """Where the emulator runs, as chosen by option, environment and ini (in that order of precedence)."""

    mode: Mode
    external_url: str | None
    admin_token: str | None
    server_seed: int | None
    ready_timeout: float
    """Seconds to wait for an external server's `/_mock/ready`."""


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("codat-mock", "codat-mock: the Codat API emulator as fixtures")
    group.addoption(
        "--codat-mock",
        dest="codat_mock_mode",
        choices=MODES,
        default=None,
        metavar="MODE",
        help=f"where the emulator runs: inprocess (default), live (a codat-mock serve process) or external "
        f"(the server at ${URL_VARIABLE}); default: external when ${URL_VARIABLE} is set, else the "
        f"codat_mock_mode ini value",
    )
    group.addoption(
        "--codat-mock-server-seed",
        dest="codat_mock_server_seed",
        type=int,
        default=None,
        metavar="N",
        help="start the plugin's emulator in deterministic mode (codat-mock serve --seed N): seeded ids and a "
        "manual clock that codat_mock.advance_clock() moves",
    )
    parser.addini("codat_mock_mode", "codat-mock: inprocess, live or external (default inprocess)", default="")
    parser.addini(
        "codat_mock_ready_timeout", "codat-mock: seconds to wait for CODAT_MOCK_URL's /_mock/ready", default="30"
    )
    parser.addini("codat_mock_server_seed", "codat-mock: the plugin's emulator's deterministic seed", default="")


def read_config(config: pytest.Config, environ: Mapping[str, str] = os.environ) -> PluginConfig:
    """The plugin's configuration; a clear UsageError for a value that cannot work."""
    url = environ.get(URL_VARIABLE, "").strip() or None
    option: str | None = config.getoption("codat_mock_mode")
    ini = str(config.getini("codat_mock_mode")).strip()
    if option is not None:
        mode = option
    elif url is not None:
        mode = "external"
    else:
        mode = ini or "inprocess"
    if mode not in MODES:
        raise pytest.UsageError(f"codat_mock_mode = {mode!r} in the ini file: expected one of {', '.join(MODES)}")
    if mode == "external" and url is None:
        raise pytest.UsageError(f"--codat-mock=external needs {URL_VARIABLE}=http://host:port (the server to use)")
    if url is not None and not url.startswith(("http://", "https://")):
        raise pytest.UsageError(f"{URL_VARIABLE}={url!r}: expected an http:// or https:// URL")
    seed_option: int | None = config.getoption("codat_mock_server_seed")
    seed_ini = str(config.getini("codat_mock_server_seed")).strip()
    seed = seed_option
    if seed is None and seed_ini:
        try:
            seed = int(seed_ini)
        except ValueError:
            message = f"codat_mock_server_seed = {seed_ini!r} in the ini file: expected an integer"
            raise pytest.UsageError(message) from None
    if seed is not None and not 0 <= seed < 2**63:
        raise pytest.UsageError(f"codat-mock server seed {seed}: expected 0 <= N < 2**63")
    if seed is not None and mode == "external":
        raise pytest.UsageError("a codat-mock server seed applies to the plugin's own emulator, not an external one")
    timeout_ini = str(config.getini("codat_mock_ready_timeout")).strip()
    try:
        ready_timeout = float(timeout_ini)
    except ValueError:
        ready_timeout = -1.0
    if not 0 <= ready_timeout <= 3600:
        raise pytest.UsageError(f"codat_mock_ready_timeout = {timeout_ini!r}: expected seconds, 0 to 3600")
    return PluginConfig(
        mode=mode,  # checked against MODES above
        external_url=url.rstrip("/") if url is not None else None,
        admin_token=environ.get(ADMIN_TOKEN_VARIABLE, "").strip() or None,
        server_seed=seed,
        ready_timeout=ready_timeout,
    )


# -- the marker -----------------------------------------------------------------------------------------------

Seed = Mapping[str, Any] | str | Path | Callable[[], Mapping[str, Any]]

_MARKER_ARGS = ("auto_link", "seed", "redirect")


@dataclass(frozen=True)
class MarkerOptions:
    """What `@pytest.mark.codat_mock(...)` asks of the test's tenant; None = leave the emulator's default."""

    auto_link: dict[str, Any] | None = None
    seed: Seed | None = None
    redirect: str | None = None
    base_dir: Path | None = None
    """The test file's directory, against which a relative seed path is read."""

    def seed_document(self) -> dict[str, Any] | None:
        """The seed as an import document (`version` filled in when missing)."""
        import json

        seed = self.seed
        if seed is None:
            return None
        if callable(seed):
            seed = seed()
        if isinstance(seed, str | Path):
            path = Path(seed)
            if not path.is_absolute() and self.base_dir is not None:
                path = self.base_dir / path
            seed = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(seed, Mapping):
            raise TypeError(f"codat_mock seed: expected a state document (a mapping), got {type(seed).__name__}")
        return {"version": 1, **seed}


def marker_options(node: pytest.Item) -> MarkerOptions:
    """The test's `codat_mock` markers merged, the closest (function over class over module) winning."""
    merged: dict[str, Any] = {}
    for marker in node.iter_markers(MARKER):  # closest first
        if marker.args:
            _bad(f"{node.nodeid}: @pytest.mark.codat_mock takes keyword arguments only")
        unknown = sorted(set(marker.kwargs) - set(_MARKER_ARGS))
        if unknown:
            _bad(f"{node.nodeid}: @pytest.mark.codat_mock got {', '.join(unknown)}; it takes {', '.join(_MARKER_ARGS)}")
        merged = {**marker.kwargs, **merged}
    redirect = merged.get("redirect")
    if redirect is not None and not isinstance(redirect, str):
        _bad(f"{node.nodeid}: codat_mock redirect must be a URL string, got {redirect!r}")
    path = getattr(node, "path", None)
    return MarkerOptions(
        auto_link=_auto_link(node, merged.get("auto_link")),
        seed=merged.get("seed"),
        redirect=redirect,
        base_dir=path.parent if isinstance(path, Path) else None,
    )


def _bad(message: str) -> NoReturn:
    # Reported as this test's setup error, without a traceback into the plugin.
    pytest.fail(message, pytrace=False)


def _auto_link(node: pytest.Item, value: object) -> dict[str, Any] | None:
    if value is None:
        return None
    if value is True:
        return {"mode": "immediate"}
    if value is False:
        return {"mode": "manual"}
    if isinstance(value, str):
        return {"mode": value}
    if isinstance(value, Mapping):
        return dict(value)
    _bad(
        f"{node.nodeid}: codat_mock auto_link must be 'manual', 'immediate', True, False or an autoLink "
        f"object such as {{'mode': 'afterReads', 'reads': 2}}; got {value!r}"
    )
