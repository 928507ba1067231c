"""Fault and latency injection rules: which requests they match, and what they make the emulator answer.

A rule matches by operationId, by method and path pattern, or by any combination (all given must match),
for one tenant or for every tenant (a global rule). When a request arrives the first matching rule, in
the order the rules were added, decides: it may add a delay, answer with an error status instead of the
real handler, or both. `count` limits how many times a rule applies; `probability` makes it apply to a
random share of the requests it matches, drawn from a generator that deterministic mode seeds.

Path patterns are paths whose segments may be `*` or `{name}` (exactly one segment), ending optionally in
`/**` (any number of further segments, none included): `/companies/*/connections/**`.
"""

from __future__ import annotations

import http
import random
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator

from .errors import BadRequest, ValidationItem
from .json_types import JsonInt, refuse_null
from .models import STRICT_BODY_CONFIG

MAX_DELAY_MS = 60_000

# Texts in the manner of Codat's for the statuses a caller is most likely to inject (codat-behaviour.md
# §6.2); the 403 one is our own wording of what Codat's means.
_MESSAGES = {
    401: "Unauthorized",
    402: "Payment Required",
    403: "This API key is not allowed to access the requested resource.",
    404: "The requested resource was not found.",
    429: "You have made too many requests in a given amount of time; please retry later.",
    500: "There is a problem with our server. Please try again later.",
    503: "The Codat API is temporarily offline for maintenance. Please try again later.",
}
# Codat's SDKs retry 429 and 5xx honouring Retry-After; without one they back off for seconds, so these
# two statuses get a small one unless the rule sets its own.
_DEFAULT_RETRY_AFTER = {429: "1", 503: "1"}


class FaultRuleSpec(BaseModel):
    """The body of `POST /_mock/faults`: what to match and what to do."""

    model_config = STRICT_BODY_CONFIG

    operation_id: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    method: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{1,16}$")] | None = None
    path: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = None
    status: Annotated[JsonInt, Field(ge=400, le=599)] | None = None
    message: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = None
    # Header values cannot hold line breaks or other control characters (that would be header injection).
    retry_after: (
        Annotated[JsonInt, Field(ge=0, le=86_400)]
        | Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e][\x20-\x7e]{0,63}$")]
        | None
    ) = None
    delay_ms: Annotated[JsonInt, Field(ge=0, le=MAX_DELAY_MS)] = 0
    count: Annotated[JsonInt, Field(ge=1, le=1_000_000)] | None = None
    probability: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 1.0

    # None above means "not given": the document types these fields without null, so null is refused.
    _no_nulls = field_validator("*", mode="before")(refuse_null)

    def problems(self, operation_ids: Collection[str]) -> list[ValidationItem]:
        """The rules a spec must follow beyond each field's own type and range."""
        found: list[ValidationItem] = []

        def problem(item: str, message: str) -> None:
            found.append(ValidationItem(item, f"{item}: {message}", "FaultRuleValidator"))

        if self.operation_id is None and self.method is None and self.path is None:
            problem("operationId", "give operationId, method or path (or several) to say which requests match")
        if self.operation_id is not None and self.operation_id not in operation_ids:
            problem(
                "operationId", f"unknown operationId {self.operation_id!r}; one of {', '.join(sorted(operation_ids))}"
            )
        if self.path is not None:
            try:
                compile_path_pattern(self.path)
            except ValueError as exc:
                problem("path", str(exc))
        if self.status is None and self.delay_ms == 0:
            problem("status", "give status (an error to answer with), delayMs (latency to add), or both")
        if self.status is None and self.retry_after is not None:
            problem("retryAfter", "Retry-After is sent only with an error status; give status too")
        if self.status is None and self.message is not None:
            problem("message", "a message is sent only with an error status; give status too")
        return found


def compile_path_pattern(pattern: str) -> re.Pattern[str]:
    """A regex for a path pattern (see the module docstring), or ValueError saying what is wrong."""
    if not pattern.startswith("/"):
        raise ValueError(f"a path pattern starts with '/'; got {pattern!r}")
    segments = pattern.split("/")[1:]
    parts: list[str] = []
    for index, segment in enumerate(segments):
        if segment == "**":
            if index != len(segments) - 1:
                raise ValueError("'**' may only be the last segment of a path pattern")
            parts.append("(?:/.*)?")
        elif segment == "*" or re.fullmatch(r"\{[A-Za-z0-9_]+\}", segment):
            parts.append("/[^/]+")
        elif any(c in segment for c in "*{}"):
            raise ValueError(f"wildcards must be whole segments ('*', '{{name}}' or a final '**'); got {segment!r}")
        else:
            parts.append("/" + re.escape(segment))
    return re.compile("".join(parts))


@dataclass(slots=True)
class FaultRule:
    id: str
    tenant: str | None
    """The API key the rule is scoped to; None for a global rule. Never shown: adapters show a fingerprint."""
    spec: FaultRuleSpec
    path_regex: re.Pattern[str] | None
    applied: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.spec.count is None else self.spec.count - self.applied

    def matches(self, tenant: str | None, operation_id: str | None, method: str, path: str) -> bool:
        spec = self.spec
        return (
            (self.tenant is None or self.tenant == tenant)
            and (spec.operation_id is None or spec.operation_id == operation_id)
            and (spec.method is None or spec.method.upper() == method.upper())
            and (self.path_regex is None or self.path_regex.fullmatch(path) is not None)
        )


@dataclass(frozen=True, slots=True)
class FaultDecision:
    """What the matching rule makes of one request: a delay, and an error answer unless `status` is None."""

    rule_id: str
    delay_ms: int
    status: int | None
    message: str
    retry_after: str | None


def default_message(status: int) -> str:
    if status in _MESSAGES:
        return _MESSAGES[status]
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "The request failed."


class FaultBook:
    """The fault rules of one emulator, in the order they were added. Thread-safe."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()
        self._rules: dict[str, FaultRule] = {}
        self._lock = threading.Lock()
        self._next = 0

    def add(self, tenant: str | None, spec: FaultRuleSpec, operation_ids: Collection[str]) -> FaultRule:
        """A new rule for `tenant` (None: global), or BadRequest naming every problem of `spec`."""
        problems = spec.problems(operation_ids)
        if problems:
            raise BadRequest(validation=tuple(problems))
        regex = compile_path_pattern(spec.path) if spec.path is not None else None
        with self._lock:
            self._next += 1
            rule = FaultRule(f"fault-{self._next}", tenant, spec, regex)
            self._rules[rule.id] = rule
            return rule

    def rules(self, tenant: str | None) -> list[FaultRule]:
        """The tenant's own rules, or (None) every rule."""
        with self._lock:
            return [r for r in self._rules.values() if tenant is None or r.tenant == tenant]

    def delete(self, rule_id: str, tenant: str | None) -> bool:
        """Remove one rule; a tenant may remove only its own. Whether a rule was removed."""
        with self._lock:
            rule = self._rules.get(rule_id)
            if rule is None or (tenant is not None and rule.tenant != tenant):
                return False
            del self._rules[rule_id]
            return True

    def clear(self, tenant: str | None) -> int:
        """Remove the tenant's rules, or (None) every rule; how many were removed."""
        with self._lock:
            doomed = [r.id for r in self._rules.values() if tenant is None or r.tenant == tenant]
            for rule_id in doomed:
                del self._rules[rule_id]
            return len(doomed)

    def reset(self, rng: random.Random | None = None) -> None:
        """No rules, numbering from 1 again, and (if given) a new random generator."""
        with self._lock:
            self._rules.clear()
            self._next = 0
            if rng is not None:
                self._rng = rng

    @property
    def idle(self) -> bool:
        """No rule is installed: no request can be faulted. Lock-free (one length check)."""
        return not self._rules

    def decide(self, tenant: str | None, operation_id: str | None, method: str, path: str) -> FaultDecision | None:
        """What the first applicable rule does to this request (counting it as applied), or None."""
        if not self._rules:  # the common case: no rules, no lock
            return None
        with self._lock:
            for rule in self._rules.values():
                remaining = rule.remaining
                if (remaining is not None and remaining <= 0) or not rule.matches(tenant, operation_id, method, path):
                    continue
                if rule.spec.probability < 1 and self._rng.random() >= rule.spec.probability:
                    continue
                rule.applied += 1
                return self.decision_for(rule)
        return None

    @staticmethod
    def decision_for(rule: FaultRule) -> FaultDecision:
        """What `rule` does when it applies: its delay, status, message and Retry-After (defaults filled in)."""
        spec = rule.spec
        status = spec.status
        retry_after: str | None = None
        if spec.retry_after is not None:
            retry_after = str(spec.retry_after)
        elif status is not None:
            retry_after = _DEFAULT_RETRY_AFTER.get(status)
        message = spec.message or (default_message(status) if status is not None else "")
        return FaultDecision(rule.id, spec.delay_ms, status, message, retry_after)
