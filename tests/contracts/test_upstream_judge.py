"""`contracts.upstream`: the known differences excuse exactly what they describe, and nothing else."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from contracts.model import CodatModel, Refused
from contracts.upstream import UpstreamJudge, emulated_operations

UPSTREAM = Path(__file__).resolve().parents[2] / ".." / "shared" / "codat-oas" / "Codat-Platform.json"
pytestmark = pytest.mark.skipif(not UPSTREAM.exists(), reason=f"Codat's published document is not at {UPSTREAM}")


@dataclass
class Failure:
    code: str
    instance_path: list[Any] = field(default_factory=list)
    instance: Any = None


def case(operation_id: str, body: Any = None, *, positive: bool = True) -> Any:
    mode = SimpleNamespace(is_positive=positive)
    return SimpleNamespace(
        operation=SimpleNamespace(definition=SimpleNamespace(raw={"operationId": operation_id})),
        body=body,
        media_type="application/json",
        meta=SimpleNamespace(generation=SimpleNamespace(mode=mode)),
    )


def response(status: int, body: Any = None) -> Any:
    return SimpleNamespace(status_code=status, content=json.dumps(body).encode())


def error(item: str, validator: str = "RequestValidator", text: str = "Error processing request - not valid.") -> Any:
    return {"error": text, "validation": {"errors": [{"itemId": item, "validatorName": validator}], "warnings": []}}


@pytest.fixture(scope="module")
def judge() -> UpstreamJudge:
    return UpstreamJudge(json.loads(UPSTREAM.read_text(encoding="utf-8")))


def key(judge: UpstreamJudge, failure: Failure, the_case: Any, the_response: Any) -> str | None:
    found = judge.excused(failure, the_case, the_response)
    return None if found is None else found.key


def test_query_refusals_are_excused_only_on_listings(judge: UpstreamJudge) -> None:
    refused = response(400, error("orderBy", "QueryValidator", "Error parsing query - Could not resolve property x"))
    assert key(judge, Failure("ST202"), case("list-companies"), refused) == "query-language"
    assert key(judge, Failure("ST202"), case("get-company"), refused) is None
    assert key(judge, Failure("ST202"), case("list-companies"), response(400, error("page"))) is None


def test_a_400_is_excused_as_undocumented_only_where_codat_lists_none(judge: UpstreamJudge) -> None:
    assert key(judge, Failure("ST103"), case("update-company"), response(400, error("name"))) == "undocumented-400"
    assert key(judge, Failure("ST103"), case("update-company"), response(409, error("name"))) is None
    assert key(judge, Failure("ST103"), case("create-company"), response(400, error("name"))) is None


def test_refusing_a_valid_company_body_needs_a_listed_reason(judge: UpstreamJudge) -> None:
    assert key(judge, Failure("ST202"), case("create-company", None), response(400, error("name"))) == (
        "company-needs-a-name"
    )
    assert key(judge, Failure("ST202"), case("create-company", {"name": " \u3000"}), response(400, error("name"))) == (
        "blank-name"
    )
    # A real name refused, or the refusal pinned on another field: nothing excuses that.
    assert key(judge, Failure("ST202"), case("create-company", {"name": "Acme"}), response(400, error("name"))) is None
    assert key(judge, Failure("ST202"), case("create-company", {"name": "Acme"}), response(400, error("tags"))) is None


def test_accepting_invalid_data_is_excused_only_when_normalising_makes_it_valid(judge: UpstreamJudge) -> None:
    def accepted(body: Any) -> str | None:
        return key(judge, Failure("ST201"), case("create-company", body, positive=False), response(200, {}))

    assert accepted({"name": "Acme", "tags": None}) == "null-as-absent"
    assert accepted({"name": "Acme (UK)"}) == "name-stripped"
    assert accepted({"name": "Acme", "tags": {"k": 1}}) is None
    assert accepted({"name": "Acme", "description": 5}) is None
    # An error answer is not an acceptance; and a positive case is never ST201's business.
    assert (
        key(
            judge,
            Failure("ST201"),
            case("create-company", {"name": "Acme", "tags": None}, positive=False),
            response(400),
        )
        is None
    )


def test_unlink_refusals(judge: UpstreamJudge) -> None:
    state = response(400, error("status", "ConnectionStatusValidator"))
    assert key(judge, Failure("ST202"), case("unlink-connection", {"status": "Unlinked"}), state) == "state-refusal"
    assert key(judge, Failure("ST202"), case("unlink-connection", None), state) == "state-refusal"
    assert key(judge, Failure("ST202"), case("unlink-connection", {"status": "Linked"}), state) == (
        "unlink-to-another-status"
    )
    # get-connection has no state refusal in our contract.
    assert key(judge, Failure("ST202"), case("get-connection"), state) is None


def test_page_size_echo(judge: UpstreamJudge) -> None:
    def echoed(size: int) -> str | None:
        return key(judge, Failure("ST108", ["pageSize"], size), case("list-companies"), response(200, {}))

    assert echoed(2001) == echoed(5000) == "page-size-above-2000"
    assert echoed(5001) is None and echoed(2000) is None
    wrong_field = Failure("ST108", ["totalResults"], 3000)
    assert key(judge, wrong_field, case("list-companies"), response(200, {})) is None


def test_the_operations_are_ours_and_codats() -> None:
    upstream = json.loads(UPSTREAM.read_text(encoding="utf-8"))
    chosen = emulated_operations(upstream)
    assert "list-companies" in chosen and "get-company-access-token" not in chosen


def test_the_model_unlinks_for_no_status_and_refuses_others() -> None:
    model = CodatModel()
    company = model.expect_created("Acme", None, None)
    company.id = "c"
    model.add_company("t", company)
    connection = model.expect_connection("t", "c", "qhyg")
    connection.id, connection.status = "x", "Linked"
    model.add_connection("t", "c", connection)
    with pytest.raises(Refused):
        model.unlink("t", "c", "x", status="Deauthorized")
    assert model.unlink("t", "c", "x", status=None).status == "Unlinked"


# --- webhook consumers and Bill Pay ------------------------------------------------------------------------

PAYABLES = UPSTREAM.with_name("Codat-Sync-Payables.json")


@pytest.fixture(scope="module")
def payables_judge() -> UpstreamJudge:
    return UpstreamJudge(json.loads(PAYABLES.read_text(encoding="utf-8")))


def errors(*items: tuple[str, str, str]) -> Any:
    """An ErrorMessage body with (itemId, message, validatorName) items."""
    found = [{"itemId": i, "message": m, "validatorName": v} for i, m, v in items]
    return {"error": "Error processing request - not valid.", "validation": {"errors": found, "warnings": []}}


def test_bill_pay_query_and_token_refusals_are_excused_only_on_its_listings(payables_judge: UpstreamJudge) -> None:
    j = payables_judge
    bad_query = response(400, error("statusQuery", "QueryValidator", "Error parsing query - Malformed query."))
    assert key(j, Failure("ST202"), case("get-mapping-options-bills"), bad_query) == "query-language"
    assert key(j, Failure("ST202"), case("create-bill", {}), bad_query) is None
    token = response(400, error("continuationToken", "ContinuationTokenValidator"))
    assert key(j, Failure("ST202"), case("list-bills"), token) == "continuation-token"
    assert key(j, Failure("ST202"), case("list-bills"), response(400, error("continuationToken"))) is None
    assert key(j, Failure("ST202"), case("get-company-information"), token) is None


def test_bill_pay_rules_are_excused_only_when_every_item_is_one(payables_judge: UpstreamJudge) -> None:
    j = payables_judge
    rule = ("supplierRef.id", "supplierRef.id: no supplier with id 'x'", "PayablesValidator")
    assert key(j, Failure("ST202"), case("create-bill", {}), response(400, errors(rule))) == "bill-pay-rules"
    mixed = errors(rule, ("colour", "colour: Extra inputs are not permitted", "RequestValidator"))
    assert key(j, Failure("ST202"), case("create-bill", {}), response(400, mixed)) is None
    assert key(j, Failure("ST202"), case("list-bills"), response(400, errors(rule))) is None
    assert key(j, Failure("ST103"), case("create-bill", {}), response(400, errors(rule))) is None


def test_a_line_reference_without_its_id_is_excused_only_for_those_fields(payables_judge: UpstreamJudge) -> None:
    j = payables_judge
    missing = ("lineItems.0.trackingRefs.1.dataType", "lineItems.0.trackingRefs.1.dataType: Field required", "R")
    assert key(j, Failure("ST202"), case("update-bill", {}), response(400, errors(missing))) == (
        "line-reference-needs-its-id"
    )
    wrong = ("lineItems.0.accountRef.id", "lineItems.0.accountRef.id: Input should be a valid string", "R")
    assert key(j, Failure("ST202"), case("update-bill", {}), response(400, errors(wrong))) is None
    other = ("supplierRef.id", "supplierRef.id: Field required", "R")
    assert key(j, Failure("ST202"), case("create-bill", {}), response(400, errors(other))) is None


def test_an_upload_without_a_body_is_excused_but_a_refused_file_is_not(payables_judge: UpstreamJudge) -> None:
    j = payables_judge
    no_file = response(400, error("file", "MultipartValidator"))
    assert key(j, Failure("ST202"), case("upload-bill-attachment", None), no_file) == "upload-needs-a-file"
    assert key(j, Failure("ST202"), case("upload-bill-attachment", {"file": b"x"}), no_file) is None


def test_webhook_consumer_refusals_need_their_reason(judge: UpstreamJudge) -> None:
    tag = ("companyTags.0", "companyTags.0: Value error, a company tag is written `tagKey:tagValue`", "R")
    assert key(judge, Failure("ST202"), case("create-webhook-consumer", {}), response(400, errors(tag))) == (
        "company-tag-format"
    )
    long_tag = ("companyTags.0", "companyTags.0: String should have at most 128 characters", "R")
    assert key(judge, Failure("ST202"), case("create-webhook-consumer", {}), response(400, errors(long_tag))) is None
    url = (
        "url",
        "url: Value error, must be an absolute http:// or https:// URL without spaces or control characters",
        "R",
    )
    assert key(
        judge, Failure("ST202"), case("create-webhook-consumer", {"url": "http://"}), response(400, errors(url))
    ) == ("consumer-url-is-http")
    assert key(judge, Failure("ST202"), case("create-webhook-consumer", None), response(400, error("url"))) == (
        "consumer-needs-a-url"
    )
    given = {"url": "https://example.com/hook"}
    assert key(judge, Failure("ST202"), case("create-webhook-consumer", given), response(400, error("url"))) is None


def test_null_event_types_are_excused_as_absent(judge: UpstreamJudge) -> None:
    body = {"url": "https://example.com/hook", "eventTypes": None}
    made = response(201, {"id": "x", "url": body["url"], "eventTypes": [], "disabled": False})
    the_case = case("create-webhook-consumer", body, positive=False)
    assert key(judge, Failure("ST201"), the_case, made) == "null-as-absent"
    wrong = case("create-webhook-consumer", {"url": "https://example.com/hook", "eventTypes": 5}, positive=False)
    assert key(judge, Failure("ST201"), wrong, made) is None


def test_a_tag_key_is_excused_only_for_the_line_terminators_ecma_forbids(judge: UpstreamJudge) -> None:
    text = "tag keys cannot contain line breaks"
    for bad in ("a\rb", "a\u2028", "\u2029"):
        refused = response(400, errors((f"tags.{bad}", f"tags.{bad}: Value error, {text}", "R")))
        assert key(judge, Failure("ST202"), case("create-company", {"name": "A", "tags": {bad: "v"}}), refused) == (
            "tag-key-line-break"
        )
    refused = response(400, errors(("tags.ab", f"tags.ab: Value error, {text}", "R")))
    assert key(judge, Failure("ST202"), case("create-company", {"name": "A", "tags": {"ab": "v"}}), refused) is None


def test_a_refusal_naming_several_fields_is_excused_only_when_each_is(judge: UpstreamJudge) -> None:
    tag = ("companyTags.0", "companyTags.0: Value error, a company tag is written `tagKey:tagValue`", "R")
    no_url = ("url", "url: Field required", "R")
    both = response(400, errors(no_url, tag))
    assert key(judge, Failure("ST202"), case("create-webhook-consumer", {"companyTags": ["x"]}), both) is not None
    odd = ("disabled", "disabled: Input should be a valid boolean", "R")
    mixed = response(400, errors(no_url, tag, odd))
    assert key(judge, Failure("ST202"), case("create-webhook-consumer", {"companyTags": ["x"]}), mixed) is None


def test_event_type_bounds_are_excused_only_for_event_types(judge: UpstreamJudge) -> None:
    many = ("eventTypes", "eventTypes: List should have at most 100 items after validation, not 101", "R")
    long = ("eventTypes.0", "eventTypes.0: String should have at most 128 characters", "R")
    for refused in (many, long):
        assert key(judge, Failure("ST202"), case("create-webhook-consumer", {}), response(400, errors(refused))) == (
            "event-types-bounded"
        )
    typed = ("eventTypes", "eventTypes: Input should be a valid list", "R")
    assert key(judge, Failure("ST202"), case("create-webhook-consumer", {}), response(400, errors(typed))) is None
