"""The Schemathesis kit: every check is in the run, and the state-aware check accepts only what it should."""

from __future__ import annotations

from contracts.kit import all_checks, state_refusal_status
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


def test_only_unlink_authorize_and_the_51st_consumer_may_refuse_valid_data_for_state() -> None:
    marked = {op_id: state_refusal_status(op) for op_id, _, _, op in iter_operations(load_contract())}
    assert {op_id: status for op_id, status in marked.items() if status is not None} == {
        "unlink-connection": 400,
        "update-connection-authorization": 400,
        "create-webhook-consumer": 400,
    }
    assert state_refusal_status({"x-codat-mock-state-refusal": {"status": "400"}}) is None, "a status is a number"
