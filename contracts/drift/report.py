"""The drift report, as text for people and as JSON for machines."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .differences import DEVIATION_KEY, Difference


def render_text(
    differences: Sequence[Difference],
    *,
    upstream: str = "upstream",
    operations: Sequence[str] = (),
    verbose: bool = False,
) -> str:
    """Human-readable report.

    Breaking differences and deliberate ones (annotated in our contract) are listed; the other extensions
    are counted by kind, and listed too when `verbose`. A difference that several operations or response
    statuses share is printed once, followed by where it occurs.
    """
    breaking = [d for d in differences if d.severity == "breaking"]
    deliberate = [d for d in differences if d.severity == "extension" and d.deviation]
    other = [d for d in differences if d.severity == "extension" and not d.deviation]
    compared = f"{len(operations)} operations" if operations else "operations"
    lines = [
        f"Contract drift against {upstream}",
        f"Compared {compared}: {len(breaking)} breaking, {len(deliberate) + len(other)} extensions "
        f"({len(deliberate)} deliberate).",
        "",
    ]
    lines += _section(f"Breaking differences ({len(breaking)})", breaking, len(operations))
    lines += _section(f"Deliberate differences, from {DEVIATION_KEY} ({len(deliberate)})", deliberate, len(operations))
    if verbose:
        lines += _section(f"Other extensions ({len(other)})", other, len(operations))
    else:
        lines.append(f"Other extensions ({len(other)})" + (", by kind (--verbose lists each):" if other else ": none"))
        counts: dict[str, int] = {}
        for difference in other:
            counts[difference.kind] = counts.get(difference.kind, 0) + 1
        lines += [f"  {kind:<32}{count:>6}" for kind, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, differences: Sequence[Difference], total_operations: int) -> list[str]:
    if not differences:
        return [f"{title}: none", ""]
    lines = [f"{title}:"]
    for (kind, location, detail, deviation), operations in _grouped(differences).items():
        lines.append(f"  [{kind}] {location}: {detail}")
        if deviation:
            lines.append(f"      why: {deviation}")
        everywhere = total_operations > 1 and len(operations) == total_operations
        lines.append("      in: " + ("every operation compared" if everywhere else ", ".join(operations)))
    lines.append("")
    return lines


_STATUS_LOCATION = re.compile(r"response (\w+)(.*)")


def _grouped(differences: Sequence[Difference]) -> dict[tuple[str, str, str, str | None], list[str]]:
    """Identical differences under one key: statuses merged within an operation, then operations merged."""
    statuses: dict[tuple[str, str, str, str, str | None], list[str]] = {}
    for d in differences:
        match = _STATUS_LOCATION.fullmatch(d.location)
        status, tail = (match.group(1), match.group(2)) if match else ("", d.location)
        statuses.setdefault((d.operation, d.kind, tail, d.detail, d.deviation), []).append(status)
    grouped: dict[tuple[str, str, str, str | None], list[str]] = {}
    for (operation, kind, tail, detail, deviation), codes in statuses.items():
        location = f"response {'|'.join(codes)}{tail}" if any(codes) else tail
        grouped.setdefault((kind, location, detail, deviation), []).append(operation)
    return grouped


def render_json(
    differences: Sequence[Difference], *, upstream: str = "upstream", operations: Sequence[str] = ()
) -> str:
    """Machine-readable report: counts and both groups of differences as lists of objects."""
    breaking = [d.to_dict() for d in differences if d.severity == "breaking"]
    extensions = [d.to_dict() for d in differences if d.severity == "extension"]
    report = {
        "upstream": upstream,
        "operations": list(operations),
        "summary": {"breaking": len(breaking), "extensions": len(extensions)},
        "breaking": breaking,
        "extensions": extensions,
    }
    return json.dumps(report, indent=2) + "\n"
