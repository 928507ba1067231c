"""Schemathesis driven by Codat's published documents, not ours: code written against Codat works here.

Every operation of `Codat-Platform.json` and `Codat-Sync-Payables.json` whose operationId our contract also
has (computed now, so operations added to the contract later are checked too), in-process, every check,
positive and negative data, the examples, coverage and fuzzing phases. A failure fails the test unless it is
one of `contracts.upstream.KNOWN_DIFFERENCES`, each listed with its reason in docs/decisions.md.

The world is one company with a Linked and a PendingAuth connection, restored before every case, so valid
requests meet things that exist rather than only 404s.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from api_helpers import basic, one_company_world
from starlette.testclient import TestClient

from contracts.kit import all_checks, register
from contracts.upstream import KNOWN_DIFFERENCES, UpstreamJudge, emulated_operations
from mock_server.app import create_app
from mock_server.settings import Settings

REPO = Path(__file__).resolve().parents[2]
UPSTREAM_DIR = REPO / ".." / "shared" / "codat-oas"
DOCUMENTS = ("Codat-Platform.json", "Codat-Sync-Payables.json")
NOT_HERE = "Codat's published documents are not present at ../shared/codat-oas (only in the development workspace)"

API_KEY = "schemathesis-upstream"
AUTH = basic(API_KEY)
COMPANY_ID = "3b0a7f8e-2c4d-4e6f-8a1b-9c0d1e2f3a4b"
LINKED_ID = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f"
PENDING_ID = "7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b"
WORLD = one_company_world(company_id=COMPANY_ID, linked_id=LINKED_ID, pending_id=PENDING_ID, name="Upstream Ltd")

#: Small enough for about a minute or two on a loaded two-core machine; the coverage phase adds its own cases.
MAX_EXAMPLES = 15

register()
APP = create_app(Settings(seed=20261203))
CONTROL = TestClient(APP)
# Our own contract's formats and acceptance check are registered, but these documents carry neither, so every
# built-in check runs as Schemathesis ships it: the upstream documents are the only judge here.
CHECKS = [check for check in all_checks() if check.__name__ != "positive_data_acceptance_in_state"]
CHECKS += [c for c in schemathesis.checks.CHECKS.get_all() if c.__name__ == "positive_data_acceptance"]


def _load(name: str) -> dict[str, Any] | None:
    path = UPSTREAM_DIR / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _suite(raw: dict[str, Any]) -> Any:
    operations = emulated_operations(raw)
    schema = schemathesis.openapi.from_dict(raw).include(operation_id=operations)
    schema.app = APP
    schema.config.update(headers=AUTH, parameters={"path.companyId": COMPANY_ID})
    schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
    schema.config.generation.update(max_examples=MAX_EXAMPLES)
    judge = UpstreamJudge(raw)

    @schema.hook("filter_failure")
    def known_differences_only(context: Any, failure: Any, case: Any, response: Any) -> bool:
        return judge.excused(failure, case, response) is None

    return schema


def _run(case: Any) -> None:
    restore = CONTROL.put("/_mock/state", json=WORLD, headers=AUTH)
    assert restore.status_code == 200, restore.text
    if "connectionId" in (case.path_parameters or {}) and case.meta.generation.mode.is_positive:
        # Valid data meets a connection that exists: unlinking the linked one, authorizing the pending one.
        pending = case.operation.definition.raw.get("operationId") == "update-connection-authorization"
        case.path_parameters["connectionId"] = PENDING_ID if pending else LINKED_ID
    # Our key named as the explicit credential, so the auth check probes without it (rather than taking a
    # generated Authorization for the one sent, which the configured headers replace).
    case.call_and_validate(checks=CHECKS, headers=AUTH)


PLATFORM = _load(DOCUMENTS[0])
PAYABLES = _load(DOCUMENTS[1])
SETTINGS = hypothesis.settings(deadline=None, suppress_health_check=list(hypothesis.HealthCheck))

if PLATFORM is not None:

    @_suite(PLATFORM).parametrize()
    @SETTINGS
    def test_codat_platform_document(case: Any) -> None:
        _run(case)

else:

    def test_codat_platform_document() -> None:
        pytest.skip(NOT_HERE)


if PAYABLES is not None:

    @_suite(PAYABLES).parametrize()
    @SETTINGS
    def test_codat_sync_payables_document(case: Any) -> None:
        _run(case)

else:

    def test_codat_sync_payables_document() -> None:
        pytest.skip(NOT_HERE)


@pytest.mark.skipif(PLATFORM is None or PAYABLES is None, reason=NOT_HERE)
def test_the_emulated_operations_are_chosen_from_our_contract() -> None:
    assert PLATFORM is not None and PAYABLES is not None
    platform = emulated_operations(PLATFORM)
    assert {"create-company", "unlink-connection", "update-connection-authorization", "get-integration"} <= set(
        platform
    )
    assert "update-connection-authorization" not in emulated_operations(PAYABLES)


def test_every_known_difference_is_documented_with_its_reason() -> None:
    decisions = (REPO / "docs" / "decisions.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \| (ST\d{3}) \|", decisions, flags=re.MULTILINE))
    assert listed == {(d.key, d.code) for d in KNOWN_DIFFERENCES}
    assert len({d.key for d in KNOWN_DIFFERENCES}) == len(KNOWN_DIFFERENCES)
