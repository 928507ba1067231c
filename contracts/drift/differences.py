"""What the drift check reports: the kinds of difference, `Difference`, and the collector that turns a breaking
difference our contract excuses (`x-codat-mock-deviation`, see the package docstring) into an extension and
reports the annotations that excuse nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["breaking", "extension"]
Direction = Literal["request", "response"]
# How ours relates to upstream in what it allows: fewer values, more values, or neither.
Relation = Literal["narrower", "wider", "different"]

DEVIATION_KEY = "x-codat-mock-deviation"

#: Every kind of difference the diff reports, with what it means.
KINDS: Mapping[str, str] = {
    "operation-missing": "the operation exists on one side only",
    "method-changed": "the operation uses another HTTP method",
    "path-changed": "the operation lives at another path",
    "security-changed": "the operation is authenticated differently",
    "parameter-added": "a parameter only our contract declares",
    "parameter-removed": "a parameter only upstream declares",
    "parameter-required-changed": "a parameter is required on one side only",
    "request-body-added": "a request body only our contract declares",
    "request-body-removed": "a request body only upstream declares",
    "request-body-required-changed": "the request body is required on one side only",
    "media-type-added": "a media type only our contract declares",
    "media-type-removed": "a media type only upstream declares",
    "success-status-changed": "the 2xx statuses differ",
    "status-added": "an error status only our contract documents",
    "status-removed": "an error status only upstream documents",
    "response-body-added": "a response body only our contract declares",
    "response-body-removed": "a response body only upstream declares",
    "property-added": "an object property only our contract declares",
    "property-removed": "an object property only upstream declares",
    "required-changed": "a property is required on one side only",
    "type-changed": "the JSON types differ",
    "nullable-changed": "null is allowed on one side only",
    "format-changed": "the format differs",
    "enum-changed": "the allowed values differ",
    "constraint-changed": "a bound, pattern, default or similar keyword differs",
    "additional-properties-changed": "undeclared properties are treated differently",
    "deviation-unused": f"an {DEVIATION_KEY} annotation excuses no breaking difference",
}


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference between our contract and upstream, for one operation."""

    kind: str
    severity: Severity
    operation: str
    location: str
    detail: str
    #: The reason from our contract's `x-codat-mock-deviation`, when the difference is deliberate.
    deviation: str | None = None

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready mapping; `deviation` is left out when there is none."""
        return {key: value for key, value in asdict(self).items() if value is not None}


class UnknownOperationError(ValueError):
    """An operation was asked for that neither document declares."""


def severity_for(direction: Direction, relation: Relation) -> Severity:
    """How harmful a difference is, given which way the schema's values travel and how ours relates."""
    if relation == "different":
        return "breaking"
    harmful: Relation = "narrower" if direction == "request" else "wider"
    return "breaking" if relation == harmful else "extension"


@dataclass
class Collector:
    """The differences found for one operation, with the deviation annotations met on the way."""

    operation: str
    found: list[Difference] = field(default_factory=list)
    # (location, kind) → reason, for each annotation met where both sides were compared.
    annotations: dict[tuple[str, str], str] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)

    def visit(self, node: Mapping[str, Any], location: str) -> None:
        deviations = node.get(DEVIATION_KEY)
        if isinstance(deviations, Mapping):
            for kind, reason in deviations.items():
                self.annotations.setdefault((location, str(kind)), " ".join(str(reason).split()))

    def add(
        self,
        kind: str,
        severity: Severity,
        location: str,
        detail: str,
        node: Mapping[str, Any] | None = None,
        *,
        node_location: str | None = None,
    ) -> None:
        """Record a difference found at `location`; `node` (at `node_location`) may excuse it."""
        reason = None
        deviations = node.get(DEVIATION_KEY) if node is not None else None
        # An annotation excuses what would break; a compatible difference needs no excuse.
        if severity == "breaking" and isinstance(deviations, Mapping) and kind in deviations:
            reason = " ".join(str(deviations[kind]).split())
            self.used.add((node_location or location, kind))
            severity = "extension"
        self.found.append(Difference(kind, severity, self.operation, location, detail, reason))

    def finish(self) -> list[Difference]:
        for (location, kind), reason in self.annotations.items():
            if (location, kind) not in self.used:
                detail = f"{DEVIATION_KEY} excuses `{kind}` here, but no such breaking difference is left: {reason}"
                self.found.append(Difference("deviation-unused", "extension", self.operation, location, detail))
        return self.found
