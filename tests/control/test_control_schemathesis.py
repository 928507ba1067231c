"""Schemathesis over the control plane in-process: every `/_mock` operation, every phase but stateful, every check.

The schema is the app's own `/_mock/openapi.json`, so what is checked is what the emulator serves. The app
runs without an admin token (every caller is an admin, so the global operations answer) and in
deterministic mode (a manual clock, so `POST /_mock/clock` really moves it rather than answering 409).
The tenant's `Authorization` header is configured so positive cases reach the handlers; `ignored_auth`,
`missing_required_header` and the negative cases still send requests without it.

Every case starts from the same world, rebuilt through the control plane itself: reset everything, import a
company with a Linked and a PendingAuth connection, make two API calls for the journal, add a fault rule.
Operations that reset or move the clock change global state; the next case resets it again.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import schemathesis
from api_helpers import basic, one_company_world
from schemathesis.core.result import Ok
from starlette.testclient import TestClient

from contracts.kit import all_checks, register
from contracts.spec import iter_operations
from mock_server.app import create_app
from mock_server.control.service import load_openapi
from mock_server.settings import Settings

API_KEY = "control-schemathesis"
AUTH = basic(API_KEY)

# Fixed ids give the Link actions and rule deletion something to find (random UUIDs would only meet 404).
COMPANY_ID = "3d7e1c52-9b4a-4f0e-8c6d-2a1b0c9d8e7f"
LINKED_ID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"  # accounting (QuickBooks Online), Linked
PENDING_ID = "7c6d5e4f-3a2b-4c1d-9e0f-8a7b6c5d4e3f"  # banking (Plaid), so authorizing it conflicts with nothing
RULE_ID = "fault-1"  # rule numbering restarts at 1 after a reset of everything
WORLD = one_company_world(
    company_id=COMPANY_ID,
    linked_id=LINKED_ID,
    pending_id=PENDING_ID,
    name="Control Plane Ltd",
    pending_errors=[
        {
            "statusCode": "403",
            "statusText": "User cancelled linking",
            "errorMessage": "User cancelled",
            "erroredOnUtc": "2026-01-01T00:01:00Z",
        }
    ],
    settings={
        "autoLink": {"mode": "manual"},
        "redirectUrl": "https://app.example/{companyId}?status={statusCode}&ref={ref}",
    },
)
LINK_ACTIONS = {
    "mock-authorize-connection",
    "mock-cancel-connection",
    "mock-fail-connection",
    "mock-deauthorize-connection",
}

# The kit's `positive_data_acceptance_in_state` honours the document's `x-codat-mock-state-refusal` (only
# deauthorizing a connection that is not Linked uses it); it replaces Schemathesis' plain check.
register()
APP = create_app(Settings(seed=20260101))
CONTROL = TestClient(APP)
schema = schemathesis.openapi.from_asgi("/_mock/openapi.json", APP)
schema.config.update(headers=AUTH, parameters={"path.companyId": COMPANY_ID, "path.ruleId": RULE_ID})
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
schema.config.generation.update(max_examples=50)

#: Every check Schemathesis has, the kit's state-aware acceptance check in place of the plain one.
ALL_CHECKS = all_checks()


def test_every_control_operation_is_covered() -> None:
    # The parametrized test below runs whatever the served document lists: every /_mock operation, loadable.
    labels = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        labels.append(result.ok().label)
    documented = {f"{method} {path}" for _, method, path, _ in iter_operations(load_openapi())}
    # Schemathesis leaves out the operation that served it the document (test_control_service.py checks it).
    assert sorted(labels) == sorted(documented - {"GET /_mock/openapi.json"})


@schema.parametrize()
@hypothesis.settings(deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_control_plane(case: Any) -> None:
    restore()
    if case.operation.definition.raw.get("operationId") in LINK_ACTIONS and case.meta.generation.mode.is_positive:
        # Valid data meets a connection that exists, Linked or PendingAuth as the drawn UUID's last digit
        # says (so a replay while shrinking picks the same one): every action succeeds on both, except
        # deauthorizing the PendingAuth one, the document's `x-codat-mock-state-refusal` (a 400).
        drawn = case.path_parameters["connectionId"]
        case.path_parameters["connectionId"] = LINKED_ID if drawn[-1] in "02468aceACE" else PENDING_ID
    case.call_and_validate(checks=ALL_CHECKS)


def restore() -> None:
    """The same world before every case: nothing else, then the tenant's state, journal and one rule."""
    steps = [
        CONTROL.post("/_mock/reset/all"),
        CONTROL.put("/_mock/state", json=WORLD, headers=AUTH),
        CONTROL.get("/companies", headers=AUTH),
        CONTROL.get(f"/companies/{COMPANY_ID}/connections/{LINKED_ID}", headers=AUTH),
        CONTROL.post("/_mock/faults", json={"operationId": "delete-company", "status": 503}, headers=AUTH),
    ]
    assert [step.status_code for step in steps] == [200, 200, 200, 200, 201], [step.text for step in steps]
    assert steps[-1].json()["id"] == RULE_ID
