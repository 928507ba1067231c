"""Schemathesis against the emulator in-process: every operation, every phase, every check.

The schema is loaded from the app's own `/openapi.json`, so what is checked is what the server serves.
The auth header is configured so positive cases reach the handlers; `ignored_auth` and the negative
cases still try requests without it. The stateful phase follows the contract's OpenAPI links, with the
emulator in deterministic mode and reset before each scenario, so a shrinking replay starts from the same
state and gets the same ids.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import schemathesis
from api_helpers import basic, one_company_world
from starlette.testclient import TestClient

from contracts.kit import all_checks, register
from mock_server.app import create_app
from mock_server.settings import Settings

API_KEY = "schemathesis-in-process"
AUTH = basic(API_KEY)

# One company with a linked and a pending connection, restored before every case: a fixed id gives the
# handlers something to find (random UUIDs would only ever meet 404), and restoring it means a case that
# deletes or unlinks leaves the next one the same world.
COMPANY_ID = "6f1c1c9e-8d52-4f5e-9a1e-2b7f6a3c9d01"
LINKED_ID = "0b5e7a4c-3d2f-4e6a-8b9c-1d2e3f4a5b6c"
PENDING_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
WORLD = one_company_world(
    company_id=COMPANY_ID,
    linked_id=LINKED_ID,
    pending_id=PENDING_ID,
    name="Schemathesis Ltd",
    pending_created="2026-01-02T00:00:00Z",
)

register()
# Deterministic mode: seeded ids and a manual clock, re-seeded by `/_mock/reset/all`.
APP = create_app(Settings(seed=20261126))
CONTROL = TestClient(APP)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.update(headers=AUTH, parameters={"path.companyId": COMPANY_ID})
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
schema.config.generation.update(max_examples=150)

#: Every check Schemathesis has, the kit's state-aware acceptance check in place of the plain one.
ALL_CHECKS = all_checks()


@schema.parametrize()
@hypothesis.settings(deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_api(case: Any) -> None:
    restore()
    if "connectionId" in (case.path_parameters or {}) and case.meta.generation.mode.is_positive:
        # Valid data meets a connection that exists: unlinking the linked one, authorizing the pending
        # (banking) one; the state refusals themselves are the stateful phase's and the HTTP tests' job.
        pending = case.operation.definition.raw.get("operationId") == "update-connection-authorization"
        case.path_parameters["connectionId"] = PENDING_ID if pending else LINKED_ID
    case.call_and_validate(checks=ALL_CHECKS, headers=AUTH)


def restore() -> None:
    answer = CONTROL.put("/_mock/state", json=WORLD, headers=AUTH)
    assert answer.status_code == 200, answer.text


# A schema of its own: the one above has the stateful phase switched off (pytest runs it here instead).
stateful_schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
stateful_schema.config.update(headers=AUTH)


class _Stateful(stateful_schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        # Each scenario starts from an empty, re-seeded emulator: a replay while shrinking sees the same state
        # and is handed the same ids as the run it replays.
        reset = CONTROL.post("/_mock/reset/all")
        assert reset.status_code == 200, reset.text

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": AUTH}

    def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
        case.validate_response(response, checks=ALL_CHECKS, headers=AUTH)


TestStateful = _Stateful.TestCase
TestStateful.settings = hypothesis.settings(
    max_examples=60,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
