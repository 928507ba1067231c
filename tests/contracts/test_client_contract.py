"""Client ↔ contract agreement, as properties over every operation of `contracts/openapi.yaml`.

1. Every request `sdk_stub` builds from inputs the contract calls valid is one the contract allows: the right
   operation, a body its requestBody schema accepts, only declared query parameters with valid values, and the
   `Authorization` header its security scheme describes.
2. Every response body the contract allows is read by `sdk_stub` into its typed model (or, for an error status,
   into the typed exception's `ErrorMessage`) with every value intact and every unknown field kept.

The client talks to an `httpx.MockTransport`, so nothing here involves the emulator: the contract is the only
oracle. Both properties run for the sync and the async client.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, get_args, get_origin
from urllib.parse import parse_qsl, unquote

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisWarning
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator, FormatChecker
from multipart_body import parse_multipart
from payables_calls import CALLS as PAYABLES_CALLS
from pydantic import AliasChoices, BaseModel

from contracts.formats import FORMATS
from contracts.spec import iter_operations, load_contract, resolve_refs
from sdk_stub import (
    AsyncCodatClient,
    Attachment,
    BadRequestError,
    BankAccount,
    Bill,
    BillMappingOptions,
    BillPayment,
    CodatAPIError,
    CodatClient,
    Company,
    CompanyInformation,
    Connection,
    ContinuationPage,
    ErrorMessage,
    Integration,
    NotFoundError,
    Page,
    PaymentMappingOptions,
    RateLimitError,
    ServiceUnavailableError,
    Supplier,
    UnauthorizedError,
    WebhookConsumer,
    WebhookConsumers,
)

BASE_URL = "https://codat.test"

# No explain phase: on a failure it re-runs the test under a line tracer, which here (through httpx and pydantic)
# ran for minutes, grew to gigabytes and crashed the interpreter instead of reporting the falsifying example.
PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow],
)

# --- the contract, ref-resolved once ----------------------------------------------------------------------

DOCUMENT = resolve_refs(load_contract())


@dataclass(frozen=True)
class ContractOperation:
    operation_id: str
    method: str
    path: str
    operation: Mapping[str, Any]
    #: (name, in) → the parameter, path-level ones overridden by the operation's own (OpenAPI's rule).
    parameters: Mapping[tuple[str, str], Mapping[str, Any]]


def _contract_operations() -> dict[str, ContractOperation]:
    found = {}
    for operation_id, method, path, operation in iter_operations(DOCUMENT):
        parameters = {
            (parameter["name"], parameter["in"]): parameter
            for parameter in [*DOCUMENT["paths"][path].get("parameters", []), *operation.get("parameters", [])]
        }
        found[operation_id] = ContractOperation(operation_id, method, path, operation, parameters)
    return found


CONTRACT = _contract_operations()

# The Draft 2020-12 format checks, plus the OpenAPI integer formats the query parameters use: a page number the
# client sends must also fit the declared `int32`.
FORMAT_CHECKER = FormatChecker(Draft202012Validator.FORMAT_CHECKER.checkers)


@FORMAT_CHECKER.checks("int32")
def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or -(2**31) <= value < 2**31


@FORMAT_CHECKER.checks("int64")
def _is_int64(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or -(2**63) <= value < 2**63


_VALIDATORS: dict[int, tuple[Mapping[str, Any], Draft202012Validator]] = {}


def validator_for(schema: Mapping[str, Any]) -> Draft202012Validator:
    # Keyed by identity: the resolved document shares sub-schemas, and the cache holds each one alive.
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = (schema, Draft202012Validator(schema, format_checker=FORMAT_CHECKER))
        _VALIDATORS[id(schema)] = cached
    return cached[1]


def json_schema(message: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The `application/json` schema of a requestBody or response, or None when it has no JSON content."""
    media = message.get("content", {}).get("application/json")
    return None if media is None else media["schema"]


def other_media_types(message: Mapping[str, Any]) -> list[str]:
    """The media types of a response other than JSON (a download's `application/octet-stream`)."""
    return [media_type for media_type in message.get("content", {}) if media_type != "application/json"]


# --- which client method calls which operation ------------------------------------------------------------


@dataclass(frozen=True)
class ClientMethod:
    group: str
    name: str
    #: A class, a parametrised list (`list[Attachment]`: a bare-array answer), or None for no answer body.
    returns: Any


def is_returned(result: object, returns: Any) -> bool:
    """Whether `result` is exactly what a method declared to return `returns` should give back."""
    if get_origin(returns) is list:
        [item] = get_args(returns)
        return type(result) is list and all(type(each) is item for each in result)
    return returns is not None and type(result) is returns


#: operationId → the client method meant to call it. It must name exactly the contract's operations.
CLIENT_METHODS: dict[str, ClientMethod] = {
    "list-companies": ClientMethod("companies", "list", Page[Company]),
    "create-company": ClientMethod("companies", "create", Company),
    "get-company": ClientMethod("companies", "get", Company),
    "replace-company": ClientMethod("companies", "replace", Company),
    "update-company": ClientMethod("companies", "update", Company),
    "delete-company": ClientMethod("companies", "delete", None),
    "list-connections": ClientMethod("connections", "list", Page[Connection]),
    "create-connection": ClientMethod("connections", "create", Connection),
    "get-connection": ClientMethod("connections", "get", Connection),
    "unlink-connection": ClientMethod("connections", "unlink", Connection),
    "delete-connection": ClientMethod("connections", "delete", None),
    "update-connection-authorization": ClientMethod("connections", "update_authorization", Connection),
    "list-integrations": ClientMethod("integrations", "list", Page[Integration]),
    "get-integration": ClientMethod("integrations", "get", Integration),
    "list-webhook-consumers": ClientMethod("webhooks", "list", WebhookConsumers),
    "create-webhook-consumer": ClientMethod("webhooks", "create", WebhookConsumer),
    "delete-webhook-consumer": ClientMethod("webhooks", "delete", None),
    "get-company-information": ClientMethod("company_information", "get", CompanyInformation),
    "get-mapping-options-bills": ClientMethod("bills", "get_mapping_options", BillMappingOptions),
    "get-mapping-options-payments": ClientMethod("bill_payments", "get_mapping_options", PaymentMappingOptions),
    "list-bills": ClientMethod("bills", "list", ContinuationPage[Bill]),
    "create-bill": ClientMethod("bills", "create", Bill),
    "update-bill": ClientMethod("bills", "update", Bill),
    "upload-bill-attachment": ClientMethod("bills", "upload_attachment", Attachment),
    "list-bill-attachments": ClientMethod("bills", "list_attachments", list[Attachment]),
    "download-bill-attachment": ClientMethod("bills", "download_attachment", bytes),
    "create-bill-payment": ClientMethod("bill_payments", "create", BillPayment),
    "list-suppliers": ClientMethod("suppliers", "list", ContinuationPage[Supplier]),
    "create-supplier": ClientMethod("suppliers", "create", Supplier),
    "update-supplier": ClientMethod("suppliers", "update", Supplier),
    "create-bank-account": ClientMethod("bank_accounts", "create", BankAccount),
}

#: The client's resource groups.
GROUPS = ("companies", "connections", "integrations", "webhooks", "company_information", "suppliers", "bills")
GROUPS += ("bill_payments", "bank_accounts")

#: (group, walker) → the listing it walks. A walker calls no operation of its own: it follows the pages of the
#: listing (by page number, or by continuation token for Bill Pay), and property 1 drives it too.
WALKERS: dict[tuple[str, str], str] = {
    ("companies", "iter"): "list-companies",
    ("connections", "iter"): "list-connections",
    ("integrations", "iter"): "list-integrations",
    ("suppliers", "iter"): "list-suppliers",
    ("bills", "iter"): "list-bills",
    ("bills", "iter_mapping_options"): "get-mapping-options-bills",
    ("bill_payments", "iter_mapping_options"): "get-mapping-options-payments",
}


def test_every_contract_operation_is_reachable_from_a_client_method() -> None:
    assert sorted(set(CONTRACT) - set(CLIENT_METHODS)) == [], "contract operations no client method calls"
    assert sorted(set(CLIENT_METHODS) - set(CONTRACT)) == [], "the table names operations the contract lacks"
    # ... and the other way round: a public client method the table does not know would go unchecked here.
    sync, async_ = CodatClient("key"), AsyncCodatClient("key")
    try:
        for group in GROUPS:
            for client in (sync, async_):
                public = {name for name in dir(getattr(client, group)) if not name.startswith("_")}
                tabled = {method.name for method in CLIENT_METHODS.values() if method.group == group}
                walkers = {name for walker_group, name in WALKERS if walker_group == group}
                assert public == tabled | walkers, f"{type(client).__name__}.{group}"
        for operation_id, method in CLIENT_METHODS.items():
            assert asyncio.iscoroutinefunction(getattr(getattr(async_, method.group), method.name)), operation_id
        for (group, name), listing in WALKERS.items():
            assert CLIENT_METHODS[listing].group == group, (group, name)
    finally:
        sync.close()
        asyncio.run(async_.aclose())


# --- driving the client through a MockTransport -----------------------------------------------------------


@dataclass
class Exchange:
    """The MockTransport handler: records every request and answers with what the test set up."""

    status: int = 200
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def answer(
        self, status: int, body: object = None, *, headers: Mapping[str, str] | None = None, ascii_only: bool = True
    ) -> None:
        self.status = status
        self.content = b"" if body is None else json.dumps(body, ensure_ascii=ascii_only).encode("utf-8")
        self.headers = dict(headers or {})
        if body is not None:
            self.headers["Content-Type"] = "application/json"
        self.requests.clear()

    def answer_bytes(self, status: int, content: bytes, media_type: str) -> None:
        """Answer with `content` as it is, in `media_type` (a download's file)."""
        self.status, self.content, self.headers = status, content, {"Content-Type": media_type}
        self.requests.clear()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, content=self.content, headers=self.headers)


@dataclass(frozen=True)
class Call:
    """One client call, and what the contract-level request for it must carry."""

    operation_id: str
    method: str  # the client method: CLIENT_METHODS' name, or a walker of WALKERS
    kwargs: Mapping[str, Any]
    path_args: Mapping[str, str]
    params: Mapping[str, str]
    body: object = None  # None: no body is sent; a multipart upload: part name → (file name, bytes)
    headers: Mapping[str, str] = field(default_factory=dict)  # the operation's own header parameters

    @property
    def group(self) -> str:
        return CLIENT_METHODS[self.operation_id].group

    @property
    def walks(self) -> bool:
        return (self.group, self.method) in WALKERS


class Driver(Protocol):
    exchange: Exchange
    examples: int  # Hypothesis examples per property

    def call(self, api_key: str, call: Call) -> object: ...


class SyncDriver:
    examples = 50

    def __init__(self) -> None:
        self.exchange = Exchange()
        self.http = httpx.Client(transport=httpx.MockTransport(self.exchange))

    def call(self, api_key: str, call: Call) -> object:
        # retry=None: a 429 or 503 must reach the caller as its exception, not be retried away.
        client = CodatClient(api_key, base_url=BASE_URL, http_client=self.http, retry=None)
        bound = getattr(getattr(client, call.group), call.method)
        result = bound(**call.kwargs)
        return list(result) if call.walks else result


class AsyncDriver:
    # Fewer than the sync run: everything but sending (building requests, reading bodies) is the code the
    # sync client shares (sdk_stub._base), which the sync run already drives 50 times per operation.
    examples = 25

    def __init__(self, runner: asyncio.Runner) -> None:
        self.exchange = Exchange()
        self.runner = runner
        self.http = httpx.AsyncClient(transport=httpx.MockTransport(self.exchange))

    def call(self, api_key: str, call: Call) -> object:
        async def go() -> object:
            client = AsyncCodatClient(api_key, base_url=BASE_URL, http_client=self.http, retry=None)
            bound = getattr(getattr(client, call.group), call.method)
            if call.walks:
                return [item async for item in bound(**call.kwargs)]
            return await bound(**call.kwargs)

        return self.runner.run(go())


@pytest.fixture(params=["sync", "async"])
def driver(request: pytest.FixtureRequest) -> Iterator[Driver]:
    if request.param == "sync":
        sync = SyncDriver()
        with sync.http:
            yield sync
        return
    # One event loop for the whole test rather than one per example.
    with asyncio.Runner() as runner:
        async_ = AsyncDriver(runner)
        yield async_
        runner.run(async_.http.aclose())


# --- client inputs the contract calls valid ---------------------------------------------------------------

TEXT = st.characters(codec="utf-8")
API_KEYS = st.text(TEXT, min_size=1, max_size=40)
IDS = st.uuids().map(str) | st.uuids().map(lambda value: str(value).upper())
FILTERS = st.text(TEXT, max_size=40)  # query, orderBy and the tags filter are free text to the contract
PAGES = st.integers(1, 2**31 - 1)  # `page`: minimum 1, format int32
PAGE_SIZES = st.integers(1, 5000)
# The contract's CompanyName: any text with at least one character of Codat's name alphabet.
NAME_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-',&@.?!"
NAMES = st.builds(
    lambda before, kept, after: before + kept + after,
    st.text(TEXT, max_size=10),
    st.sampled_from(NAME_ALPHABET),
    st.text(TEXT, max_size=10),
)
DESCRIPTIONS = st.text(TEXT, max_size=60)
# Tags: at most 10; keys of 1–27 characters without line terminators (JSON Schema's ECMA-262 `.`), values ≤ 100.
TAG_KEYS = st.text(st.characters(codec="utf-8", exclude_characters="\n\r\u2028\u2029"), min_size=1, max_size=27)
TAGS = st.dictionaries(TAG_KEYS, st.text(TEXT, max_size=100), max_size=10)
CREDENTIALS = st.dictionaries(st.text(TEXT, max_size=20), st.text(TEXT, max_size=40), max_size=5)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _given(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


@st.composite
def _list_call(draw: st.DrawFn, operation_id: str, *, company: bool, tags: bool, walk: bool) -> Call:
    kwargs: dict[str, Any] = {}
    path_args = {}
    if company:
        kwargs["company_id"] = path_args["companyId"] = draw(IDS)
    filters = _given(query=draw(_optional(FILTERS)), order_by=draw(_optional(FILTERS)))
    if tags:
        filters |= _given(tags=draw(_optional(FILTERS)))
    page_size = draw(_optional(PAGE_SIZES))
    iterate = walk and draw(st.booleans())
    page = 1 if iterate else draw(_optional(PAGES))  # iter always starts at page 1
    kwargs |= filters | _given(page_size=page_size)
    if not iterate:
        kwargs |= _given(page=page)
    wire_names = {"query": "query", "order_by": "orderBy", "tags": "tags"}
    params = {wire_names[key]: value for key, value in filters.items()}
    params |= {key: str(value) for key, value in _given(page=page, pageSize=page_size).items()}
    method = "iter" if iterate else CLIENT_METHODS[operation_id].name
    return Call(operation_id, method, kwargs, path_args, params)


@st.composite
def _company_body_call(draw: st.DrawFn, operation_id: str, *, company: bool, name_required: bool) -> Call:
    kwargs: dict[str, Any] = {}
    path_args = {}
    if company:
        kwargs["company_id"] = path_args["companyId"] = draw(IDS)
    fields = _given(
        name=draw(NAMES if name_required else _optional(NAMES)),
        description=draw(_optional(DESCRIPTIONS)),
        tags=draw(_optional(TAGS)),
    )
    # Only the arguments given are sent (docs/client.md), so the body is exactly the given fields.
    return Call(operation_id, CLIENT_METHODS[operation_id].name, kwargs | fields, path_args, {}, dict(fields))


def _ids_call(operation_id: str, *names: str, body: object = None) -> st.SearchStrategy[Call]:
    wire = {"company_id": "companyId", "connection_id": "connectionId", "webhook_id": "webhookId"}

    def build(ids: tuple[str, ...]) -> Call:
        kwargs = dict(zip(names, ids, strict=True))
        path_args = {wire[name]: value for name, value in kwargs.items()}
        return Call(operation_id, CLIENT_METHODS[operation_id].name, kwargs, path_args, {}, body)

    return st.tuples(*(IDS for _ in names)).map(build)


def _consumer_call(operation_id: str, body: Mapping[str, Any]) -> Call:
    # The client sends only the arguments given; a null in a drawn body stands for "not given".
    # Fields the (open) schema allows beyond these are ones the client has no argument for, so it never sends them.
    names = {"url": "url", "eventTypes": "event_types", "companyTags": "company_tags", "disabled": "disabled"}
    given = {key: value for key, value in body.items() if value is not None and key in names}
    kwargs = {names[key]: value for key, value in given.items()}
    return Call(operation_id, CLIENT_METHODS[operation_id].name, kwargs, {}, {}, given)


#: Bill Pay: the client's keyword → the contract's path and query parameter names.
PAYABLES_PATH_ARGS = {
    "company_id": "companyId",
    "connection_id": "connectionId",
    "bill_id": "billId",
    "supplier_id": "supplierId",
    "attachment_id": "attachmentId",
}
PAYABLES_QUERY = {"continuation_token": "continuationToken", "query": "query", "status_query": "statusQuery"}
#: The keyword that carries a prototype, and the defaults its model sends when the caller leaves them out.
PAYABLES_BODIES: dict[str, dict[str, str]] = {
    "bill": {"status": "Open"},
    "supplier": {"status": "Active"},
    "payment": {},
    "bank_account": {},
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def wire_fields(value: object) -> object:
    """A prototype given as snake_case keyword mappings, as the JSON it stands for: camelCase keys, no nulls.

    Amounts stay `Decimal` and dates `date`/`datetime`: `same_wire` compares them with what was sent by value.
    """
    if isinstance(value, Mapping):
        return {_camel(key): wire_fields(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [wire_fields(item) for item in value]
    return value


def same_wire(sent: object, expected: object) -> bool:
    """Whether the JSON `sent` carries `expected` (from `wire_fields`): amounts by decimal value, dates by instant."""
    if isinstance(expected, Decimal):
        return isinstance(sent, int | float) and not isinstance(sent, bool) and Decimal(str(sent)) == expected
    if isinstance(expected, date):
        # A date without a time is sent as midnight, without a zone (docs/payables.md).
        moment = expected if isinstance(expected, datetime) else datetime(expected.year, expected.month, expected.day)
        return isinstance(sent, str) and datetime.fromisoformat(sent) == moment
    if isinstance(expected, dict):
        return (
            isinstance(sent, dict)
            and sent.keys() == expected.keys()
            and all(same_wire(sent[key], expected[key]) for key in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(sent, list)
            and len(sent) == len(expected)
            and all(same_wire(a, b) for a, b in zip(sent, expected, strict=True))
        )
    return _same_json(sent, expected)


@st.composite
def _payables_call(draw: st.DrawFn, operation_id: str, *, walk: bool) -> Call:
    # The inputs are tests/payables_calls.py's, shared with the check against Codat's own document.
    group, method, kwargs = draw(PAYABLES_CALLS[operation_id]())
    assert (group, method) == (CLIENT_METHODS[operation_id].group, CLIENT_METHODS[operation_id].name)
    walkers = [name for (owner, name), listing in WALKERS.items() if listing == operation_id]
    if walk and walkers and draw(st.booleans()):
        # A walker starts without a token (and follows the ones the pages hand out).
        method = walkers[0]
        kwargs = {key: value for key, value in kwargs.items() if key != "continuation_token"}
    path_args = {wire: kwargs[name] for name, wire in PAYABLES_PATH_ARGS.items() if name in kwargs}
    params = {wire: kwargs[name] for name, wire in PAYABLES_QUERY.items() if name in kwargs}
    headers = {"Idempotency-Key": kwargs["idempotency_key"]} if "idempotency_key" in kwargs else {}
    body: object = None
    for name, defaults in PAYABLES_BODIES.items():
        if name in kwargs:
            given = wire_fields(kwargs[name])
            assert isinstance(given, dict)
            body = {**defaults, **given}
    if "content" in kwargs:
        body = {"file": (kwargs["file_name"], kwargs["content"])}
    return Call(operation_id, method, kwargs, path_args, params, body, headers)


def _body_schema(operation_id: str) -> Mapping[str, Any]:
    schema = json_schema(CONTRACT[operation_id].operation["requestBody"])
    assert schema is not None
    return schema


def calls_for(operation_id: str, *, walk: bool) -> st.SearchStrategy[Call]:
    """Calls of the client method that reaches `operation_id`, with inputs the contract calls valid.

    `walk` lets list operations be reached through `iter` as well (it must not be used where the response could
    claim a next page forever).
    """
    if operation_id in PAYABLES_CALLS:
        return _payables_call(operation_id, walk=walk)
    method = CLIENT_METHODS[operation_id].name
    builders: dict[str, Callable[[], st.SearchStrategy[Call]]] = {
        "list-companies": lambda: _list_call(operation_id, company=False, tags=True, walk=walk),
        "list-connections": lambda: _list_call(operation_id, company=True, tags=False, walk=walk),
        "list-integrations": lambda: _list_call(operation_id, company=False, tags=False, walk=walk),
        "create-company": lambda: _company_body_call(operation_id, company=False, name_required=True),
        "replace-company": lambda: _company_body_call(operation_id, company=True, name_required=True),
        "update-company": lambda: _company_body_call(operation_id, company=True, name_required=False),
        "get-company": lambda: _ids_call(operation_id, "company_id"),
        "delete-company": lambda: _ids_call(operation_id, "company_id"),
        "get-connection": lambda: _ids_call(operation_id, "company_id", "connection_id"),
        "delete-connection": lambda: _ids_call(operation_id, "company_id", "connection_id"),
        "unlink-connection": lambda: _ids_call(
            operation_id, "company_id", "connection_id", body={"status": "Unlinked"}
        ),
        "create-connection": lambda: st.builds(
            lambda company_id, key: Call(
                operation_id,
                method,
                {"company_id": company_id, "platform_key": key},
                {"companyId": company_id},
                {},
                {"platformKey": key},
            ),
            IDS,
            # Which keys are valid is the contract's to say (a pattern, or the emulator's catalogue as an enum).
            _leaf(_body_schema("create-connection")["properties"]["platformKey"]),
        ),
        "update-connection-authorization": lambda: st.builds(
            lambda company_id, connection_id, credentials: Call(
                operation_id,
                method,
                {"company_id": company_id, "connection_id": connection_id, "authorization": credentials},
                {"companyId": company_id, "connectionId": connection_id},
                {},
                None if credentials is None else dict(credentials),
            ),
            IDS,
            IDS,
            # None: no credentials, so no body (the contract, like Codat's document, makes it optional).
            _optional(CREDENTIALS),
        ),
        "get-integration": lambda: _leaf(CONTRACT[operation_id].parameters[("platformKey", "path")]["schema"]).map(
            lambda key: Call(operation_id, method, {"platform_key": key}, {"platformKey": key}, {})
        ),
        "list-webhook-consumers": lambda: st.just(Call(operation_id, method, {}, {}, {})),
        "create-webhook-consumer": lambda: strategy_for(_body_schema(operation_id)).map(
            lambda body: _consumer_call(operation_id, body)
        ),
        "delete-webhook-consumer": lambda: _ids_call(operation_id, "webhook_id"),
    }
    return builders[operation_id]()


# --- property 1: every request the client builds is allowed by the contract -------------------------------


def match_template(template: str, raw_path: str) -> dict[str, str] | None:
    """The path parameters if `raw_path` (percent-encoded, no query) is an instance of `template`, else None."""
    wanted, got = template.split("/"), raw_path.split("/")
    if len(wanted) != len(got):
        return None
    captured = {}
    for pattern, segment in zip(wanted, got, strict=True):
        if pattern.startswith("{") and pattern.endswith("}"):
            if not segment:
                return None
            captured[pattern[1:-1]] = unquote(segment)
        elif pattern != segment:
            return None
    return captured


def _query_value(raw: str, schema: Mapping[str, Any]) -> object:
    # Query values are text on the wire; one the schema types as integer is read as the server would read it.
    # A value that is not a canonical integer stays a string, so the schema check refuses it.
    if schema.get("type") == "integer" and re.fullmatch(r"-?[0-9]+", raw):
        return int(raw)
    return raw


def assert_request_allowed(request: httpx.Request, call: Call, api_key: str) -> None:
    raw_path, _, query = request.url.raw_path.decode("ascii").partition("?")

    # The method and path reach exactly the operation the client method is meant to call.
    matches = {
        op.operation_id: captured
        for op in CONTRACT.values()
        if op.method == request.method and (captured := match_template(op.path, raw_path)) is not None
    }
    assert list(matches) == [call.operation_id], f"{request.method} {raw_path} reaches {sorted(matches)}"
    operation = CONTRACT[call.operation_id]

    path_args = matches[call.operation_id]
    assert path_args == call.path_args, "the path does not carry the ids the caller gave"
    for name, value in path_args.items():
        validator_for(operation.parameters[(name, "path")]["schema"]).validate(value)

    sent = parse_qsl(query, keep_blank_values=True)
    names = [name for name, _ in sent]
    assert len(names) == len(set(names)), f"a query parameter is repeated: {names}"
    for name, value in sent:
        assert (name, "query") in operation.parameters, f"query parameter {name!r} is not declared"
        schema = operation.parameters[(name, "query")]["schema"]
        validator_for(schema).validate(_query_value(value, schema))
    for (name, location), parameter in operation.parameters.items():
        if location == "query" and parameter.get("required"):
            assert name in names, f"required query parameter {name!r} is missing"
    assert dict(sent) == call.params, "the query does not carry exactly the arguments the caller gave"

    declared_headers = {
        name.lower(): parameter for (name, location), parameter in operation.parameters.items() if location == "header"
    }
    for name, parameter in declared_headers.items():
        if name in request.headers:
            validator_for(parameter["schema"]).validate(request.headers[name])
        else:
            assert not parameter.get("required"), f"required header {parameter['name']!r} is missing"
    assert {name: request.headers[name] for name in declared_headers if name in request.headers} == {
        name.lower(): value for name, value in call.headers.items()
    }, "the operation's headers do not carry exactly what the caller gave"

    request_body = operation.operation.get("requestBody")
    if request_body is None:
        assert request.content == b"", "a body was sent to an operation that takes none"
    elif not request.content:
        assert not request_body.get("required"), "the operation's body is required, but none was sent"
        assert call.body is None, "the caller gave a body, but none was sent"
    else:
        media_type = request.headers.get("Content-Type", "").split(";")[0].strip()
        assert media_type in request_body["content"], f"Content-Type {media_type!r} is not one the operation takes"
        if media_type == "multipart/form-data":
            _assert_multipart_allowed(request, request_body["content"][media_type]["schema"], call)
        else:
            schema = json_schema(request_body)
            assert schema is not None
            body = json.loads(request.content)
            validator_for(schema).validate(body)
            assert same_wire(body, call.body), "the body is not exactly the fields the caller gave"

    # Security: the scheme is an API key in the Authorization header, `Basic ` + base64 of the key.
    for requirement in operation.operation.get("security", DOCUMENT["security"]):
        for scheme_name in requirement:
            scheme = DOCUMENT["components"]["securitySchemes"][scheme_name]
            assert (scheme["type"], scheme["in"]) == ("apiKey", "header")
            header = request.headers.get(scheme["name"], "")
            found = re.fullmatch(r"Basic ([A-Za-z0-9+/]+={0,2})", header)
            assert found, f"{scheme['name']} is not `Basic <base64>`: {header!r}"
            assert base64.b64decode(found.group(1), validate=True) == api_key.encode("utf-8")

    # Every JSON answer the operation documents is acceptable to the Accept header the client sends.
    accepted = {part.split(";")[0].strip() for part in request.headers.get("Accept", "*/*").split(",")}
    for response in operation.operation["responses"].values():
        for media_type in response.get("content", {}):
            assert accepted & {media_type, media_type.split("/")[0] + "/*", "*/*"}, f"Accept refuses {media_type}"


def _assert_multipart_allowed(request: httpx.Request, schema: Mapping[str, Any], call: Call) -> None:
    # Each part is checked against its property: a `format: binary` string is a file, sent with a file name.
    parts = parse_multipart(request)
    assert set(schema.get("required", [])) <= set(parts), "a required part is missing"
    undeclared = set(parts) - set(schema["properties"])
    assert not undeclared, f"undeclared parts: {sorted(undeclared)}"
    for name, (filename, _, _) in parts.items():
        if schema["properties"][name].get("format") == "binary":
            assert filename, f"the binary part {name!r} is sent without a file name"
    sent = {name: (filename, content) for name, (filename, _, content) in parts.items()}
    assert sent == call.body, "the parts are not exactly the file the caller gave"


# Valid success answers for property 1 (their validity is asserted where they are used).
CANNED_CONNECTION: dict[str, Any] = {
    "id": "0b9a2f1e-0d3c-4f5e-8a7b-6c5d4e3f2a1b",
    "integrationId": "1c8b3e2f-1e4d-4a6f-9b8c-7d6e5f4a3b2c",
    "integrationKey": "qhyg",
    "sourceId": "2d7c4f3a-2f5e-4b7a-8c9d-8e7f6a5b4c3d",
    "sourceType": "Accounting",
    "platformName": "QuickBooks Online",
    "linkUrl": "http://localhost:8000/link/x",
    "status": "PendingAuth",
    "created": "2026-11-26T06:53:22.1234560Z",
}
CANNED_COMPANY: dict[str, Any] = {
    "id": "3e6d5a4b-3a6f-4c8b-9dae-9f8a7b6c5d4e",
    "name": "Acme Ltd",
    "description": "",
    "redirect": "http://localhost:8000/link/y",
    "created": "2026-11-26T06:53:22.1234560Z",
    "createdByUserName": None,
    "products": [],
    "tags": {},
    "referenceSubsidiaryCompanies": [],
    "dataConnections": [CANNED_CONNECTION],
}
CANNED_INTEGRATION: dict[str, Any] = {
    "key": "qhyg",
    "logoUrl": "https://static.codat.io/logo.png",
    "name": "QuickBooks Online",
    "enabled": True,
    "sourceId": CANNED_CONNECTION["sourceId"],
    "sourceType": "Accounting",
    "integrationId": CANNED_CONNECTION["integrationId"],
    "isOfflineConnector": False,
    "isBeta": False,
    "dataProvidedBy": "Codat",
    "datatypeFeatures": [],
}


def _last_page(path: str) -> dict[str, Any]:
    # Empty and without a next link, so `iter` stops after the one request each example checks.
    links = {"self": {"href": path}, "current": {"href": path + "?page=1"}}
    return {"results": [], "pageNumber": 1, "pageSize": 100, "totalResults": 0, "_links": links}


CANNED_CONSUMER: dict[str, Any] = {
    "id": CANNED_CONNECTION["id"],
    "url": "https://x",
    "eventTypes": [],
    "disabled": False,
}
CANNED_BILL: dict[str, Any] = {
    "id": "bill-1",
    "reference": None,
    "supplierRef": {"id": "supplier-1"},
    "issueDate": "2026-12-01T00:00:00",
    "dueDate": "2026-12-31T00:00:00",
    "currency": "GBP",
    "currencyRate": None,
    "lineItems": [],
    "status": "Open",
    "totalAmount": 0,
    "amountDue": 0,
    "sourceModifiedDate": "2026-12-01T09:30:00Z",
}
CANNED_SUPPLIER: dict[str, Any] = {
    "id": "supplier-1",
    "supplierName": "Greggs",
    "contactName": None,
    "emailAddress": None,
    "phone": None,
    "addresses": [],
    "status": "Active",
    "balance": None,
    "defaultCurrency": "GBP",
    "sourceModifiedDate": "2026-12-01T09:30:00Z",
}
CANNED_ATTACHMENT: dict[str, Any] = {
    "id": "4f5e6d7c-4b8a-4d9c-8e0f-0a1b2c3d4e5f",
    "name": "invoice.pdf",
    "contentType": "application/pdf",
    "dateCreated": "2026-12-01T09:30:00Z",
    "fileSize": 3,
    "includeWhenSent": False,
}
# The last (only) page of a token-paged listing: no continuation token, so a walker makes one request.
CANNED_LAST_TOKEN_PAGE: dict[str, Any] = {"results": [], "pagination": {}}

CANNED: dict[str, tuple[int, object]] = {
    "list-companies": (200, _last_page("/companies")),
    "create-company": (200, CANNED_COMPANY),
    "get-company": (200, CANNED_COMPANY),
    "replace-company": (200, CANNED_COMPANY),
    "update-company": (200, CANNED_COMPANY),
    "delete-company": (204, None),
    "list-connections": (200, _last_page("/companies/x/connections")),
    "create-connection": (200, CANNED_CONNECTION),
    "get-connection": (200, CANNED_CONNECTION),
    "unlink-connection": (200, {**CANNED_CONNECTION, "status": "Unlinked"}),
    "delete-connection": (200, None),
    "update-connection-authorization": (200, {**CANNED_CONNECTION, "status": "Linked"}),
    "list-integrations": (200, _last_page("/integrations")),
    "get-integration": (200, CANNED_INTEGRATION),
    "list-webhook-consumers": (200, {"results": []}),
    "create-webhook-consumer": (
        201,
        {"id": CANNED_CONNECTION["id"], "url": "https://x", "eventTypes": [], "disabled": False},
    ),
    "delete-webhook-consumer": (204, None),
    "get-company-information": (200, {"companyName": "Acme Ltd", "baseCurrency": "GBP"}),
    "get-mapping-options-bills": (200, {"accounts": [], "taxRates": [], "pagination": {}}),
    "get-mapping-options-payments": (200, {"bankAccounts": [], "pagination": {}}),
    "list-bills": (200, CANNED_LAST_TOKEN_PAGE),
    "create-bill": (201, CANNED_BILL),
    "update-bill": (200, CANNED_BILL),
    "upload-bill-attachment": (201, CANNED_ATTACHMENT),
    "list-bill-attachments": (200, [CANNED_ATTACHMENT]),
    "download-bill-attachment": (200, b"%PDF"),
    "create-bill-payment": (
        201,
        {
            "id": "payment-1",
            "amount": 12.5,
            "date": "2026-12-02T00:00:00",
            "reference": None,
            "accountRef": {"id": "bank-1"},
            "currencyRate": None,
        },
    ),
    "list-suppliers": (200, CANNED_LAST_TOKEN_PAGE),
    "create-supplier": (201, CANNED_SUPPLIER),
    "update-supplier": (200, CANNED_SUPPLIER),
    "create-bank-account": (
        201,
        {
            "id": "bank-1",
            "nominalCode": None,
            "name": "Current account",
            "accountType": "Debit",
            "accountNumber": "12345678",
            "sortCode": "40-47-84",
            "currency": "GBP",
            "status": "Active",
            "sourceModifiedDate": "2026-12-01T09:30:00Z",
        },
    ),
}


@pytest.mark.parametrize("operation_id", sorted(CONTRACT))
def test_requests_the_client_builds_are_allowed_by_the_contract(driver: Driver, operation_id: str) -> None:
    status, canned = CANNED[operation_id]
    documented = CONTRACT[operation_id].operation["responses"][str(status)]
    schema = json_schema(documented)
    [raw_type] = other_media_types(documented) or [None]
    if canned is None:
        assert schema is None and raw_type is None, "the contract documents a body for this answer"
    elif isinstance(canned, bytes):
        assert raw_type is not None, "the contract documents no file for this answer"
    else:
        assert schema is not None
        validator_for(schema).validate(canned)

    @settings(PROPERTY_SETTINGS, max_examples=driver.examples)
    @given(call=calls_for(operation_id, walk=True), api_key=API_KEYS)
    def property_1(call: Call, api_key: str) -> None:
        note(f"{call}, api_key={api_key!r}")
        if isinstance(canned, bytes):
            assert raw_type is not None
            driver.exchange.answer_bytes(status, canned, raw_type)
        else:
            driver.exchange.answer(status, canned)
        result = driver.call(api_key, call)
        [request] = driver.exchange.requests
        assert_request_allowed(request, call, api_key)
        returns = CLIENT_METHODS[operation_id].returns
        if call.walks:
            # The one page answered is the last: `iter` yields its (no) items, `iter_mapping_options` the page.
            assert isinstance(result, list)
            assert result == [] if call.method == "iter" else [is_returned(page, returns) for page in result] == [True]
        elif returns is None:
            assert result is None
        else:
            assert is_returned(result, returns)

    property_1()


# --- generating the bodies the contract allows -------------------------------------------------------------
#
# hypothesis-jsonschema 0.23.1 (its latest release) cannot draw any object with the Hypothesis installed here:
# its object strategy calls `many.more()`, which Hypothesis' internal `many` no longer has ("'many' object has
# no attribute 'more'"). So objects, arrays and the combinators around them are drawn by `strategy_for` below,
# and every leaf (strings with their formats and patterns, enums, numbers, booleans, null) still by
# `hypothesis_jsonschema.from_schema`. `strategy_for` refuses any keyword it does not implement rather than
# ignoring it, and every drawn body is validated against the untransformed contract schema before it is served,
# so a shortcoming here fails the test instead of weakening it.

_ANNOTATIONS = frozenset({"description", "title", "default", "examples", "example", "deprecated", "readOnly"})


def _constraints(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key not in _ANNOTATIONS and not key.startswith("x-")}


def _only(schema: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(schema) - allowed
    if unknown:
        raise NotImplementedError(f"strategy_for does not implement {sorted(unknown)} (in {schema})")


@st.composite
def _date_times(draw: st.DrawFn) -> str:
    # RFC 3339 date-times with 0–9 fractional digits. hypothesis-jsonschema's own never has more than six, and
    # Codat sends seven (the contract's DateTime: `2026-11-26T06:53:22.1234560Z`). Days stop at 28 so every
    # month is valid; st.datetimes() would cover the rest but costs several times more per draw.
    date = f"{draw(st.integers(1, 9999)):04d}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
    time = f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}:{draw(st.integers(0, 59)):02d}"
    digits = draw(st.integers(0, 9))
    fraction = "." + draw(st.text("0123456789", min_size=digits, max_size=digits)) if digits else ""
    offset = draw(
        st.just("Z")
        | st.builds("{}{:02d}:{:02d}".format, st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59))
    )
    return f"{date}T{time}{fraction}{offset}"


CUSTOM_FORMATS: dict[str, st.SearchStrategy[str]] = {
    # Not a format hypothesis-jsonschema knows: it would draw arbitrary text, which the contract refuses.
    "uuid": st.uuids().map(str),
    "date-time": _date_times(),
    # hypothesis-jsonschema only draws `https://<domain>`; Codat's paging links are relative paths.
    "uri-reference": st.builds(
        "/{}{}".format,
        st.sampled_from(["companies", "integrations", "companies/3e6d5a4b-3a6f-4c8b-9dae-9f8a7b6c5d4e/connections"]),
        st.sampled_from(["", "?page=2", "?page=1&pageSize=50&query=name%7EAcme"]),
    )
    | st.just("https://api.codat.io/companies"),
    # Bill Pay's dates: the contract's own format, with the strategy the kit gives Schemathesis.
    "codat-payables-date": FORMATS["codat-payables-date"],
}

JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


_STRATEGIES: dict[tuple[str, int], st.SearchStrategy[Any]] = {}


class _SchemaStrategy(Protocol):
    __name__: str

    def __call__(self, schema: Mapping[str, Any], depth: int = 0, /) -> st.SearchStrategy[Any]: ...


def _memoized(build: _SchemaStrategy) -> _SchemaStrategy:
    # Building a strategy costs far more than drawing from it (hypothesis-jsonschema canonicalises every leaf),
    # and the sync and async runs, and many operations, draw from the same schemas.
    def cached(schema: Mapping[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
        key = (build.__name__ + json.dumps(schema, sort_keys=True), depth)
        if key not in _STRATEGIES:
            _STRATEGIES[key] = build(schema, depth)
        return _STRATEGIES[key]

    return cached


@_memoized
def _leaf(schema: Mapping[str, Any], _depth: int = 0) -> st.SearchStrategy[Any]:
    if "pattern" in schema and "maxLength" in schema:
        # hypothesis-jsonschema reads a pattern as unanchored, draws free text around the match and then filters
        # by length, which rejects nearly everything for PlatformKey (`[a-z]{4}`, length 4). Anchoring it for
        # generation only draws the strings that pattern describes exactly, as Codat sends them.
        schema = {**schema, "pattern": f"^(?:{schema['pattern']})$"}
    bits = {"int32": 32, "int64": 64}.get(schema.get("format", ""))
    if bits is not None:
        # hypothesis-jsonschema ignores the OpenAPI integer formats (an attachment's int32 `fileSize`); their
        # range is what they mean, so it bounds the draw (FORMAT_CHECKER refuses anything past it).
        schema = {"minimum": -(2 ** (bits - 1)), "maximum": 2 ** (bits - 1) - 1, **schema}
    with warnings.catch_warnings():
        # Replacing its `date-time` and `uri-reference` strategies is deliberate (see CUSTOM_FORMATS).
        warnings.filterwarnings("ignore", "Overriding standard format", HypothesisWarning)
        return from_schema(dict(schema), custom_formats=CUSTOM_FORMATS)


def _spellings(name: str) -> set[str]:
    """Near-miss spellings of a declared property (`lastSync` → `last_sync`, `lastsync`; `_links` → `links`).

    A body may carry any of them as an unknown field wherever the contract leaves an object open; they are the
    unknown fields most likely to be mistaken for a declared one.
    """
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return {snake, name.lower(), name.lstrip("_"), name[:1].upper() + name[1:]}


def _merge_all_of(branches: list[Mapping[str, Any]]) -> dict[str, Any]:
    # Only the form the contract uses: objects that add properties to one another, none of them closed.
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for branch in branches:
        branch = _constraints(branch)
        _only(branch, {"type", "properties", "required"})
        if branch.get("type", "object") != "object" or set(branch.get("properties", {})) & set(merged["properties"]):
            raise NotImplementedError(f"allOf branch {branch}")
        merged["properties"] |= branch.get("properties", {})
        merged["required"] += [name for name in branch.get("required", []) if name not in merged["required"]]
    return merged


def _object(schema: Mapping[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    _only(schema, {"type", "properties", "required", "additionalProperties", "propertyNames", "maxProperties"})
    properties: Mapping[str, Any] = schema.get("properties", {})
    required: list[str] = schema.get("required", [])
    additional = schema.get("additionalProperties", True)
    declared = st.fixed_dictionaries(
        {
            name: strategy_for(properties.get(name, additional if isinstance(additional, dict) else {}), depth)
            for name in required
        },
        optional={name: strategy_for(sub, depth) for name, sub in properties.items() if name not in required},
    )
    if additional is False:
        return declared

    values = JSON_VALUES if additional in (True, {}) else strategy_for(additional, depth)
    names_schema = schema.get("propertyNames")
    names = _leaf({"type": "string", **names_schema}) if names_schema else st.text(max_size=12)
    name_ok = validator_for(names_schema).is_valid if names_schema else (lambda _name: True)
    pairs = [st.tuples(names, values)]
    spellings = {
        spelling: origin
        for origin in properties
        for spelling in sorted(_spellings(origin))
        if spelling not in properties and name_ok(spelling)
    }
    for spelling, origin in sorted(spellings.items()):
        # Where any value is allowed, give the near-miss the declared property's kind of value too, so a client
        # that mistakes one for the other reads it without a type error and must be caught by its value.
        value = st.one_of(strategy_for(properties[origin], depth), values) if values is JSON_VALUES else values
        pairs.append(st.tuples(st.just(spelling), value))
    limit = schema.get("maxProperties")
    # A few unknown entries show they are all kept; up to `maxProperties` (10 tags) only slows every example.
    room = 3 if limit is None else min(3, limit - len(required))

    def combine(given: dict[str, Any], extra: list[tuple[str, Any]]) -> dict[str, Any]:
        body = dict(given)
        for name, value in extra:
            if name not in properties and name not in body and (limit is None or len(body) < limit):
                body[name] = value
        return body

    return st.builds(combine, declared, st.lists(st.one_of(pairs), max_size=room))


def _array(schema: Mapping[str, Any], depth: int) -> st.SearchStrategy[list[Any]]:
    _only(schema, {"type", "items", "minItems", "maxItems"})
    low = schema.get("minItems", 0)
    # Two items show a list is read item by item, and one does inside another list (a page's companies'
    # connections' errors); more only make each example slower.
    extra = 2 if depth == 0 else 1
    high = min(schema.get("maxItems", low + extra), low + extra)
    return st.lists(strategy_for(schema.get("items", {}), depth + 1), min_size=low, max_size=high)


@_memoized
def strategy_for(schema: Mapping[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values `schema` (ref-resolved, OpenAPI 3.1 / Draft 2020-12) accepts; `depth` counts enclosing arrays."""
    constraints = _constraints(schema)
    if not constraints:
        return JSON_VALUES
    if "anyOf" in constraints:
        _only(constraints, {"anyOf"})
        return st.one_of([strategy_for(branch, depth) for branch in constraints["anyOf"]])
    if "allOf" in constraints:
        _only(constraints, {"allOf"})
        return strategy_for(_merge_all_of(constraints["allOf"]), depth)
    kind = constraints.get("type")
    if isinstance(kind, list) and {"object", "array"} & set(kind):
        return st.one_of(
            [st.none() if each == "null" else strategy_for({**constraints, "type": each}, depth) for each in kind]
        )
    if kind == "object":
        return _object(constraints, depth)
    if kind == "array":
        return _array(constraints, depth)
    return _leaf(constraints)


def opened(schema: Any) -> Any:
    """`schema` with every `additionalProperties: false` removed: the contract as Codat may grow it.

    The contract closes some objects (a Connection has exactly its documented fields), but Codat adds fields to
    its responses over time and docs/client.md promises they are kept, not refused.
    """
    if isinstance(schema, Mapping):
        return {key: opened(value) for key, value in schema.items() if (key, value) != ("additionalProperties", False)}
    if isinstance(schema, list):
        return [opened(item) for item in schema]
    return schema


def has_open_object(schema: Mapping[str, Any]) -> bool:
    """Whether the top-level object of `schema` allows unknown properties."""
    constraints = _constraints(schema)
    if "allOf" in constraints:
        constraints = _merge_all_of(constraints["allOf"])
    return constraints.get("type") == "object" and constraints.get("additionalProperties", True) is not False


# --- property 2: every body the contract allows is read intact ---------------------------------------------


def _wire_names(model: type[BaseModel]) -> dict[str, str]:
    """wire key → field name, for every key the model reads a field from."""
    names = {}
    for name, info in model.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            keys = [choice for choice in alias.choices if isinstance(choice, str)]
        elif isinstance(alias, str):
            keys = [alias]
        else:
            keys = [info.alias or name]
        names |= {key: name for key in keys}
    return names


def _same_json(left: object, right: object) -> bool:
    """Equality that also tells `1` from `1.0` and `True` (Python's `==` does not)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        assert isinstance(right, dict)
        return left.keys() == right.keys() and all(_same_json(left[key], right[key]) for key in left)
    if isinstance(left, list):
        assert isinstance(right, list)
        return len(left) == len(right) and all(_same_json(a, b) for a, b in zip(left, right, strict=True))
    return left == right


def _branch(schema: Mapping[str, Any], wire: object) -> dict[str, Any]:
    constraints = _constraints(schema)
    if "anyOf" in constraints:
        matching = [branch for branch in constraints["anyOf"] if validator_for(branch).is_valid(wire)]
        assert matching, f"no anyOf branch accepts {wire!r}"
        return _branch(matching[0], wire)
    if "allOf" in constraints:
        return _merge_all_of(constraints["allOf"])
    return constraints


def assert_read_intact(parsed: object, wire: object, schema: Mapping[str, Any], where: str = "body") -> int:
    """Assert `parsed` (what the client returned) holds exactly `wire` (the JSON served) and return how many
    unknown fields were checked.

    Every field the contract declares and the model reads must hold the wire value; every other key must be in
    the model's `model_extra`, unchanged; a field the wire did not feed must hold its default (nothing invented).
    """
    schema = _branch(schema, wire)
    if isinstance(parsed, BaseModel):
        assert isinstance(wire, dict), f"{where}: a {type(parsed).__name__} from {wire!r}"
        declared: Mapping[str, Any] = schema.get("properties", {})
        fields = _wire_names(type(parsed))
        extra = parsed.model_extra or {}
        fed: set[str] = set()
        unknown = 0
        for key, value in wire.items():
            if key in declared and key in fields:
                fed.add(fields[key])
                unknown += assert_read_intact(getattr(parsed, fields[key]), value, declared[key], f"{where}.{key}")
            else:
                assert key in extra, f"{where}.{key}: the field was dropped (or read into another)"
                assert _same_json(extra[key], value), f"{where}.{key}: kept as {extra[key]!r}, sent {value!r}"
                unknown += key not in declared
        assert set(extra) <= set(wire), f"{where}: unknown fields nobody sent: {sorted(set(extra) - set(wire))}"
        for name, info in type(parsed).model_fields.items():
            if name not in fed:
                default = info.get_default(call_default_factory=True)
                assert getattr(parsed, name) == default, f"{where}: {name} is set though no declared field fed it"
        return unknown
    if isinstance(parsed, list):
        if wire is None and parsed == []:
            # Where the contract allows a null array (a supplier's `addresses`), the client reads it as empty, as
            # docs/client.md promises for every array.
            return 0
        assert isinstance(wire, list) and len(parsed) == len(wire), f"{where}: {parsed!r} from {wire!r}"
        items = schema.get("items", {})
        return sum(
            assert_read_intact(a, b, items, f"{where}[{i}]") for i, (a, b) in enumerate(zip(parsed, wire, strict=True))
        )
    if isinstance(parsed, datetime):
        # Python keeps microseconds: a reference parser truncates the same way Codat's seventh digit is cut.
        assert isinstance(wire, str)
        expected = datetime.fromisoformat(wire)
        assert (parsed.replace(tzinfo=None), parsed.utcoffset()) == (
            expected.replace(tzinfo=None),
            expected.utcoffset(),
        ), f"{where}: {parsed!r} from {wire!r}"
        return 0
    if isinstance(parsed, dict):
        assert _same_json(parsed, wire), f"{where}: {parsed!r} from {wire!r}"
        return 0
    if isinstance(parsed, Decimal):
        # Money is read exactly: the Decimal of the number as it is written on the wire (json.dumps writes a
        # float as its shortest repr, which is what str() gives too).
        assert isinstance(wire, int | float) and not isinstance(wire, bool), f"{where}: {parsed!r} from {wire!r}"
        assert parsed == Decimal(str(wire)), f"{where}: {parsed!r} from {wire!r}"
        return 0
    assert parsed == wire and isinstance(parsed, bool) == isinstance(wire, bool), f"{where}: {parsed!r} from {wire!r}"
    return 0


SUCCESS_RESPONSES = [
    (operation_id, status)
    for operation_id, operation in sorted(CONTRACT.items())
    for status in operation.operation["responses"]
    if status.startswith("2")
]

#: The exception the client raises for each error status the contract documents.
ERROR_CLASSES: dict[int, type[CodatAPIError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    404: NotFoundError,
    413: CodatAPIError,  # no dedicated class: the base class itself
    422: CodatAPIError,  # an Idempotency-Key reused for another request; no dedicated class either
    429: RateLimitError,
    503: ServiceUnavailableError,
}


def _check_success_bodies(
    driver: Driver, operation_id: str, status: str, schema: Mapping[str, Any], *, examples: int
) -> int:
    bodies = strategy_for(schema)
    returns = CLIENT_METHODS[operation_id].returns
    unknown_seen = 0

    @settings(PROPERTY_SETTINGS, max_examples=examples)
    @given(call=calls_for(operation_id, walk=False), body=bodies, ascii_only=st.booleans())
    def property_2(call: Call, body: Any, ascii_only: bool) -> None:
        nonlocal unknown_seen
        note(f"{call}\nserved {status}: {json.dumps(body, ensure_ascii=False)}")
        validator_for(schema).validate(body)  # a failure here is the generator's, not the client's
        driver.exchange.answer(int(status), body, ascii_only=ascii_only)
        result = driver.call("key", call)
        assert is_returned(result, returns)
        unknown_seen += assert_read_intact(result, body, schema)
        if isinstance(result, Page):
            assert result.has_next == ("next" in body["_links"])
        if isinstance(result, ContinuationPage):
            assert result.next_token == (body["pagination"].get("continuationToken") or None)

    property_2()
    return unknown_seen


@pytest.mark.parametrize(("operation_id", "status"), SUCCESS_RESPONSES)
def test_success_bodies_the_contract_allows_are_read_intact(driver: Driver, operation_id: str, status: str) -> None:
    response = CONTRACT[operation_id].operation["responses"][status]
    schema = json_schema(response)
    if other_media_types(response):
        # A file (a download): the client hands back exactly the bytes served, whatever they are.
        [media_type] = other_media_types(response)
        assert schema is None and CLIENT_METHODS[operation_id].returns is bytes

        @settings(PROPERTY_SETTINGS, max_examples=driver.examples)
        @given(call=calls_for(operation_id, walk=False), content=st.binary(max_size=300))
        def file_body(call: Call, content: bytes) -> None:
            driver.exchange.answer_bytes(int(status), content, media_type)
            assert driver.call("key", call) == content

        file_body()
        return
    if schema is None:
        # A documented answer without a body: the client returns nothing and does not try to read one.
        assert CLIENT_METHODS[operation_id].returns is None

        @settings(PROPERTY_SETTINGS, max_examples=driver.examples)
        @given(call=calls_for(operation_id, walk=False))
        def no_body(call: Call) -> None:
            driver.exchange.answer(int(status))
            assert driver.call("key", call) is None

        no_body()
        return
    unknown_seen = _check_success_bodies(driver, operation_id, status, schema, examples=driver.examples)
    if has_open_object(schema):
        assert unknown_seen > 0, "no body carried an unknown field, so tolerance of them went unchecked"


@pytest.mark.parametrize(
    ("operation_id", "status"),
    [(op, status) for op, status in SUCCESS_RESPONSES if json_schema(CONTRACT[op].operation["responses"][status])],
)
def test_unknown_fields_are_kept_even_where_the_contract_closes_the_object(operation_id: str, status: str) -> None:
    schema = json_schema(CONTRACT[operation_id].operation["responses"][status])
    assert schema is not None
    driver = SyncDriver()
    with driver.http:
        # Fewer examples than the contract's own bodies: only the unknown fields on closed objects are new here.
        unknown_seen = _check_success_bodies(driver, operation_id, status, opened(schema), examples=25)
    assert unknown_seen > 0


@pytest.mark.parametrize("operation_id", sorted(CONTRACT))
def test_error_bodies_the_contract_allows_reach_the_typed_exception(driver: Driver, operation_id: str) -> None:
    errors = {
        int(status): response
        for status, response in CONTRACT[operation_id].operation["responses"].items()
        if int(status) >= 400
    }
    assert errors, "the contract documents no error for this operation"

    def answers(status: int) -> st.SearchStrategy[tuple[int, Mapping[str, Any], Any, int | None]]:
        response = errors[status]
        schema = json_schema(response)
        assert schema is not None, f"{status} has no JSON body"
        retry_after = response.get("headers", {}).get("Retry-After")
        delays = _optional(_leaf(_constraints(retry_after["schema"]))) if retry_after else st.none()
        return st.tuples(st.just(status), st.just(schema), strategy_for(schema), delays)

    unknown_seen = 0

    @settings(PROPERTY_SETTINGS, max_examples=driver.examples)
    @given(call=calls_for(operation_id, walk=False), answer=st.one_of([answers(status) for status in sorted(errors)]))
    def property_2(call: Call, answer: tuple[int, Mapping[str, Any], Any, int | None]) -> None:
        nonlocal unknown_seen
        status, schema, body, delay = answer
        note(f"{call}\nserved {status} (Retry-After {delay}): {json.dumps(body, ensure_ascii=False)}")
        validator_for(schema).validate(body)
        headers = {} if delay is None else {"Retry-After": str(delay)}
        driver.exchange.answer(status, body, headers=headers)
        with pytest.raises(CodatAPIError) as raised:
            driver.call("key", call)
        error = raised.value
        assert type(error) is ERROR_CLASSES[status]
        assert error.status_code == status
        assert isinstance(error.error_message, ErrorMessage), "the error body was not read as an ErrorMessage"
        unknown_seen += assert_read_intact(error.error_message, body, schema)
        assert error.retry_after == (None if delay is None else float(delay))
        assert error.correlation_id == body["correlationId"]
        assert str(error)  # the message is built from the parsed body without failing

    property_2()
    assert unknown_seen > 0, "no error body carried an unknown field"


# --- regressions: contract-valid bodies the client misread (found by property 2, fixed in sdk_stub) ----------


def _read_success(driver: Driver, operation_id: str, kwargs: Mapping[str, str], body: dict[str, Any]) -> Any:
    schema = json_schema(CONTRACT[operation_id].operation["responses"]["200"])
    assert schema is not None
    validator_for(schema).validate(body)  # a body the contract allows
    driver.exchange.answer(200, body)
    result = driver.call("key", Call(operation_id, CLIENT_METHODS[operation_id].name, kwargs, {}, {}))
    assert_read_intact(result, body, schema)
    return result


def test_a_snake_case_key_is_an_unknown_field_not_the_field_codat_spells_in_camel_case(driver: Driver) -> None:
    # The models take their attribute names too, for building them in code (`validate_by_name`). Reading
    # responses that way let an unknown `resolved_on_utc` fill the field of `resolvedOnUtc` (and vanish from
    # `model_extra`), or fail the whole response when its value had another type.
    failed = {
        "statusCode": "500",
        "statusText": "Internal Server Error",
        "errorMessage": "The user cancelled",
        "erroredOnUtc": "2026-11-26T06:53:22.1234560Z",
        "status": "Active",
    }
    errors = [{**failed, "resolved_on_utc": []}, {**failed, "resolved_on_utc": "2026-11-27T00:00:00Z"}]
    ids = {"company_id": CANNED_COMPANY["id"], "connection_id": CANNED_CONNECTION["id"]}
    connection = _read_success(driver, "get-connection", ids, {**CANNED_CONNECTION, "dataConnectionErrors": errors})
    assert [error.resolved_on_utc for error in connection.data_connection_errors] == [None, None]
    assert [error.model_extra for error in connection.data_connection_errors] == [
        {"resolved_on_utc": []},
        {"resolved_on_utc": "2026-11-27T00:00:00Z"},
    ]

    body = {**CANNED_COMPANY, "last_sync": "2026-11-27T00:00:00Z", "reference_parent_company": "none"}
    company = _read_success(driver, "get-company", {"company_id": CANNED_COMPANY["id"]}, body)
    assert (company.last_sync, company.reference_parent_company) == (None, None)
    assert company.model_extra == {"last_sync": "2026-11-27T00:00:00Z", "reference_parent_company": "none"}


def test_datatype_beside_the_declared_data_type_is_an_unknown_field(driver: Driver) -> None:
    # Codat's documents spell it `datatype` and its schema (like ours) `dataType`. The client preferred
    # `datatype`, so a body with both reported the unknown field's value as the data type and dropped it.
    features = [{"dataType": "bills", "supportedFeatures": [], "datatype": "items"}]
    body = {**CANNED_INTEGRATION, "datatypeFeatures": features}
    integration = _read_success(driver, "get-integration", {"platform_key": "qhyg"}, body)
    [feature] = integration.datatype_features
    assert (feature.data_type, feature.model_extra) == ("bills", {"datatype": "items"})
