"""What Schemathesis needs to check a deployment against our contract, in one `register()`.

- the string formats of `query`, `orderBy` and `tags` (`contracts.formats`), so generated filters are
  well formed;
- `positive_data_acceptance_in_state`, which replaces Schemathesis' `positive_data_acceptance`: the
  same check, except that an operation marked `x-codat-mock-state-refusal` in the contract may refuse
  schema-valid data with the status named there. Whether a connection can be unlinked depends on its
  status, which no request schema can express; every other refusal of valid data is still a failure.

`codat-mock contract verify` and the test suite use this; a Schemathesis run of your own can too, with
`SCHEMATHESIS_HOOKS=contracts.hooks` and `--exclude-checks positive_data_acceptance`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from .formats import register_schemathesis_formats

__all__ = [
    "REPLACED_CHECKS",
    "STATE_REFUSAL_KEY",
    "all_checks",
    "register",
    "state_refusal_status",
    "state_refusal_statuses",
]

STATE_REFUSAL_KEY = "x-codat-mock-state-refusal"

#: Built-in checks that `register()` replaces with a contract-aware version: leave them out of a run.
REPLACED_CHECKS = ("positive_data_acceptance",)


def state_refusal_status(operation: Mapping[str, Any]) -> int | None:
    """The status an operation's state may refuse valid data with, from the contract; None if it may not."""
    refusal = operation.get(STATE_REFUSAL_KEY)
    if isinstance(refusal, Mapping) and isinstance(refusal.get("status"), int):
        return int(refusal["status"])
    return None


def state_refusal_statuses(operation: Mapping[str, Any]) -> frozenset[int]:
    """Every status the operation's state may refuse valid data with: `status`, and any `alsoStatuses`.

    A reused `Idempotency-Key` is such a refusal: the earlier request, not the schema, turns the later one
    away (422), so the payables writes list it beside the 400 of their ledger's rules.
    """
    refusal = operation.get(STATE_REFUSAL_KEY)
    if not isinstance(refusal, Mapping):
        return frozenset()
    statuses = {int(refusal["status"])} if isinstance(refusal.get("status"), int) else set()
    also = refusal.get("alsoStatuses")
    if isinstance(also, list):
        statuses |= {int(code) for code in also if isinstance(code, int)}
    return frozenset(statuses)


@functools.cache
def register() -> None:
    """Teach Schemathesis the contract's formats and its state-aware acceptance check. Idempotent."""
    import schemathesis
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    register_schemathesis_formats()

    @schemathesis.check
    def positive_data_acceptance_in_state(ctx: Any, response: Any, case: Any) -> bool | None:
        """Schema-valid data is accepted, unless the contract says the resource's state may refuse it."""
        if response.status_code in state_refusal_statuses(case.operation.definition.raw):
            return None
        result: bool | None = positive_data_acceptance(ctx, response, case)
        return result


def all_checks() -> list[Any]:
    """Every check Schemathesis has, with the kit's state-aware acceptance check in place of the plain one."""
    from schemathesis.checks import CHECKS

    register()
    return [check for check in CHECKS.get_all() if check.__name__ not in REPLACED_CHECKS]
