"""The Schemathesis kit: every check is in the run, and the state-aware check accepts only what it should."""

from __future__ import annotations

from contracts.kit import all_checks, state_refusal_status, state_refusal_statuses
from contracts.spec import iter_operations, load_contract

EXPECTED_CHECKS = {
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance_in_state",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
}


def test_every_check_is_run_with_the_state_aware_acceptance_in_place_of_the_plain_one() -> None:
    names = {check.__name__ for check in all_checks()}
    assert names >= EXPECTED_CHECKS, f"checks missing from this Schemathesis: {EXPECTED_CHECKS - names}"
    assert "positive_data_acceptance" not in names


# Bill Pay: every operation a ledger's state can refuse (400), and the writes a reused Idempotency-Key refuses (422).
PAYABLES_REFUSALS = {
    op: frozenset({400})
    for op in ("get-company-information", "get-mapping-options-bills", "get-mapping-options-payments", "list-bills")
    + ("list-suppliers", "upload-bill-attachment", "update-supplier")
} | {
    op: frozenset({400, 422})
    for op in ("create-bill", "update-bill", "create-bill-payment", "create-supplier", "create-bank-account")
}


def test_only_these_operations_may_refuse_valid_data_for_state() -> None:
    marked = {op_id: state_refusal_statuses(op) for op_id, _, _, op in iter_operations(load_contract())}
    assert {op_id: statuses for op_id, statuses in marked.items() if statuses} == {
        "unlink-connection": frozenset({400}),
        "update-connection-authorization": frozenset({400}),
        "create-webhook-consumer": frozenset({400}),  # the 51st consumer
    } | PAYABLES_REFUSALS
    assert state_refusal_status({"x-codat-mock-state-refusal": {"status": "400"}}) is None, "a status is a number"
    assert state_refusal_statuses({"x-codat-mock-state-refusal": {"status": 400, "alsoStatuses": [422, "409"]}}) == {
        400,
        422,
    }
