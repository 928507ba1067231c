"""`codat-mock contract drift`: the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import yaml

from ..spec import iter_operations, load_contract
from .compare import diff_documents
from .load import load_document
from .report import render_json, render_text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codat-mock contract drift",
        description="Compare the emulator's contract with a Codat-published OpenAPI document. "
        "Exit status: 0 no breaking difference, 1 breaking differences, 2 usage or input error.",
    )
    parser.add_argument(
        "--upstream", required=True, metavar="PATH_OR_URL", help="Codat's OpenAPI document (JSON or YAML)"
    )
    parser.add_argument(
        "--operations",
        action="append",
        metavar="OP[,OP...]",
        help="operationIds to compare (comma-separated, repeatable); default: every operation of our contract",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    parser.add_argument("--contract", metavar="PATH", help="compare this document instead of the packaged contract")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every extension, not only their counts")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`codat-mock contract drift`: print the report; 1 if anything is breaking, 2 on bad usage or input."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2): an exit status, not an exception, for callers
        return exc.code if isinstance(exc.code, int) else 2
    operations = None
    if args.operations:
        operations = [op.strip() for chunk in args.operations for op in chunk.split(",") if op.strip()]
    try:
        ours = load_document(args.contract) if args.contract else load_contract()
        upstream = load_document(args.upstream)
        differences = diff_documents(ours, upstream, operations)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        sys.stderr.write(f"codat-mock contract drift: {exc}\n")
        return 2
    compared = operations if operations is not None else [op_id for op_id, _, _, _ in iter_operations(ours)]
    if args.format == "json":
        sys.stdout.write(render_json(differences, upstream=args.upstream, operations=compared))
    else:
        sys.stdout.write(render_text(differences, upstream=args.upstream, operations=compared, verbose=args.verbose))
    return 1 if any(d.severity == "breaking" for d in differences) else 0
