"""`codat-mock`: run the emulator (`serve`) and the contract tools (`contract drift`, `contract verify`).

Flags default to the `CODAT_MOCK_*` environment (see settings.py); a flag given wins over the variable.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from . import __version__
from .preflight import exit_unless_bindable
from .settings import Settings, SettingsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="codat-mock", description="A local, stateful emulator of the Codat API.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the emulator", description="Run the emulator over HTTP.")
    serve.add_argument("--host", help="interface to bind (CODAT_MOCK_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (CODAT_MOCK_PORT, default 8000; 0 = any free)")
    serve.add_argument(
        "--public-url",
        help="base URL for Link URLs in responses (CODAT_MOCK_PUBLIC_URL; default: the URL each request used)",
    )
    serve.add_argument(
        "--log-level",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
        help="log verbosity (CODAT_MOCK_LOG_LEVEL, default info)",
    )
    serve.add_argument(
        "--seed",
        type=int,
        help="deterministic mode: seeded ids and a manual clock from 2026-01-01T00:00:00Z (CODAT_MOCK_SEED)",
    )
    serve.add_argument(
        "--seed-file",
        metavar="PATH",
        help='import tenants\' state at start-up: {"version": 1, "tenants": {KEY: STATE}} (CODAT_MOCK_SEED_FILE)',
    )
    serve.add_argument(
        "--admin-token",
        help="token the control plane's global operations need, in X-Codat-Mock-Admin "
        "(CODAT_MOCK_ADMIN_TOKEN; default: none, they are open)",
    )
    serve.add_argument(
        "--journal-size",
        type=int,
        help="requests the journal keeps, 0 = off (CODAT_MOCK_JOURNAL_SIZE, default 1000)",
    )
    serve.add_argument(
        "--shutdown-timeout",
        type=int,
        metavar="SECONDS",
        help="on SIGTERM/SIGINT, seconds in-flight requests get before they are cancelled "
        "(CODAT_MOCK_SHUTDOWN_TIMEOUT, default 3)",
    )
    serve.add_argument(
        "--request-timeout",
        type=float,
        metavar="SECONDS",
        help="seconds a client has to send a whole request once it starts one, then 408 "
        "(CODAT_MOCK_REQUEST_TIMEOUT, default 30)",
    )
    serve.add_argument(
        "--keep-alive-timeout",
        type=int,
        metavar="SECONDS",
        help="seconds an idle connection is kept open (CODAT_MOCK_KEEP_ALIVE_TIMEOUT, default 5)",
    )
    serve.add_argument(
        "--webhook-secret",
        help="signing secret (whsec_ + base64) for every webhook consumer (CODAT_MOCK_WEBHOOK_SECRET; default: "
        "a random one per consumer)",
    )
    serve.add_argument(
        "--webhook-retry-scale",
        type=float,
        help="multiply Codat's webhook retry waits by this (CODAT_MOCK_WEBHOOK_RETRY_SCALE, default 1)",
    )
    serve.add_argument(
        "--strict-bodies",
        action="store_true",
        default=None,
        help="refuse unknown request-body fields with 400 instead of ignoring them (CODAT_MOCK_STRICT_BODIES)",
    )
    serve.set_defaults(run=_serve)

    contract = commands.add_parser("contract", help="check the contract", description="Contract tools.")
    contract_commands = contract.add_subparsers(dest="contract_command", required=True, metavar="TOOL")
    # Listed here for `--help`; `main` hands their arguments to the tools themselves, which parse them.
    for tool, summary in CONTRACT_TOOLS.items():
        contract_commands.add_parser(tool, help=summary[1], add_help=False)
    return parser


#: `codat-mock contract TOOL`: the module whose `main(argv) -> int` runs it, and its one-line help.
CONTRACT_TOOLS: Mapping[str, tuple[str, str]] = {
    "drift": ("contracts.drift", "diff the contract against Codat's published OpenAPI document"),
    "verify": ("contracts.verify", "run the contract suites against a deployment (emulator, proxy or Codat)"),
}


def _serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    from . import serving
    from .app import create_app

    settings = Settings.from_env(
        environ,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        log_level=args.log_level,
        seed=args.seed,
        seed_file=args.seed_file,
        admin_token=args.admin_token,
        journal_size=args.journal_size,
        shutdown_timeout=args.shutdown_timeout,
        request_timeout=args.request_timeout,
        keep_alive_timeout=args.keep_alive_timeout,
        webhook_secret=args.webhook_secret,
        webhook_retry_scale=args.webhook_retry_scale,
        strict_bodies=args.strict_bodies,
    )
    exit_unless_bindable(settings.host, settings.port)  # one clear line and exit 2, before any start-up
    app = create_app(settings)
    return serving.run(app, settings)  # limits, timeouts, shutdown deadline; SIGTERM is a normal exit


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) >= 2 and argv[0] == "contract" and argv[1] in CONTRACT_TOOLS:
        # argparse cannot pass a subcommand's options through untouched (REMAINDER drops a leading
        # `--flag`), so the tool gets its arguments directly and prints its own usage and --help.
        tool: Callable[[Sequence[str]], int] = importlib.import_module(CONTRACT_TOOLS[argv[1]][0]).main
        return int(tool(argv[2:]))
    parser = _parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace, Mapping[str, str]], int] = args.run
    try:
        return run(args, os.environ if environ is None else environ)
    except SettingsError as exc:
        parser.exit(2, f"codat-mock: invalid setting: {exc}\n")


if __name__ == "__main__":
    sys.exit(main())
