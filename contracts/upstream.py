"""Codat's published OpenAPI documents as the judge of the emulator, and the differences we know of.

A Schemathesis run driven by Codat's own document (not our contract) asks the question a user asks: does
code written against Codat's published API work against the emulator? The rule (docs/decisions.md, "As
liberal as Codat") is that every request Codat's documents accept is accepted, and that every refusal has a
listed reason. `KNOWN_DIFFERENCES` is that list, for what such a run can observe: each entry names the
Schemathesis failure code it excuses, the operations, a precise predicate over the request and response,
and the reason. docs/decisions.md lists the same keys (a test checks that), so nothing is excused quietly.

`emulated_operations` picks the operations to run: those of the upstream document whose operationId our
contract also has, computed when called, so operations added to the contract later are checked too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .kit import state_refusal_status
from .spec import iter_operations, load_contract, operation_ids, resolve_refs

__all__ = [
    "KNOWN_DIFFERENCES",
    "KnownDifference",
    "UpstreamJudge",
    "emulated_operations",
]

# Codat's company-name alphabet (its `name` pattern): other characters are removed, not refused.
_OUTSIDE_NAME_ALPHABET = re.compile(r"[^A-Za-z0-9\s\-',&@.?!]")
# The whitespace of ECMA-262's `\s`, which Codat's `^[...\s...]+$` name pattern uses; Python's differs a little.
_ECMA_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_BLANK = re.compile(f"[{_ECMA_SPACE}]*")
# The line terminators ECMA-262's `.` does not match (Python's `.` matches all but `\n`).
_ECMA_LINE_END = re.compile("[\n\r\u2028\u2029]")
_STATE_VALIDATOR = "ConnectionStatusValidator"
_COMPANY_BODIES = frozenset({"create-company", "replace-company", "update-company"})
_LISTS = frozenset({"list-companies", "list-connections", "list-integrations"})
_PAYABLES_LISTS = frozenset(
    {"list-bills", "list-suppliers", "get-mapping-options-bills", "get-mapping-options-payments"}
)
_PAYABLES_WRITES = frozenset(
    {"create-bill", "update-bill", "create-bill-payment", "create-supplier", "update-supplier", "create-bank-account"}
)
_BILLS = frozenset({"create-bill", "update-bill"})
_PAYABLES_RULES = "PayablesValidator"
_COMPANY_TAG_ITEM = re.compile(r"companyTags\.\d+")
_EVENT_TYPES_ITEM = re.compile(r"eventTypes(?:\.\d+)?")
_EVENT_TYPES_BOUND = re.compile(r"at most (?:128 characters|100 items)")
# A line's reference without the fields that make it one: Codat's guides give `{id}` and `{id, dataType}`.
_LINE_REF_FIELD = re.compile(r"lineItems\.\d+\.(?:accountRef\.id|taxRateRef\.id|trackingRefs\.\d+\.(?:id|dataType))")


def emulated_operations(upstream: Mapping[str, Any]) -> list[str]:
    """The operationIds of `upstream` that our contract has too, in the upstream document's order."""
    ours = operation_ids()
    return [op_id for op_id, _, _, _ in iter_operations(upstream) if op_id in ours]


@dataclass(frozen=True)
class Observed:
    """What a predicate sees of one failing exchange, decoupled from Schemathesis' own types."""

    operation_id: str
    status: int
    body: Any
    """The request body: a JSON value, or `NO_BODY`."""
    response: Any
    """The response body as JSON, or None when it is not JSON."""
    failure: Any
    positive: bool
    judge: UpstreamJudge

    @property
    def error(self) -> str:
        return str(self.response.get("error", "")) if isinstance(self.response, dict) else ""

    @property
    def validators(self) -> set[str]:
        validation = self.response.get("validation") if isinstance(self.response, dict) else None
        errors = validation.get("errors", []) if isinstance(validation, dict) else []
        return {str(e.get("validatorName")) for e in errors if isinstance(e, dict)}

    def messages_match(self, pattern: re.Pattern[str]) -> bool:
        validation = self.response.get("validation") if isinstance(self.response, dict) else None
        errors = validation.get("errors", []) if isinstance(validation, dict) else []
        return all(isinstance(e, dict) and pattern.search(str(e.get("message", ""))) for e in errors)

    def messages_end_with(self, text: str) -> bool:
        validation = self.response.get("validation") if isinstance(self.response, dict) else None
        errors = validation.get("errors", []) if isinstance(validation, dict) else []
        return all(isinstance(e, dict) and str(e.get("message", "")).endswith(text) for e in errors)

    @property
    def items(self) -> set[str]:
        validation = self.response.get("validation") if isinstance(self.response, dict) else None
        errors = validation.get("errors", []) if isinstance(validation, dict) else []
        return {str(e.get("itemId")) for e in errors if isinstance(e, dict)}


NO_BODY: Any = object()


@dataclass(frozen=True)
class KnownDifference:
    """One documented way the emulator differs from what Codat's published document promises."""

    key: str
    """The name docs/decisions.md lists it under."""
    code: str
    """The Schemathesis failure code it excuses (ST103 undocumented status, ST201 accepted invalid data, ...)."""
    operations: frozenset[str] | None
    """The operationIds it applies to; None: any emulated operation."""
    reason: str
    applies: Callable[[Observed], bool]

    def excuses(self, seen: Observed, code: str) -> bool:
        if code != self.code or (self.operations is not None and seen.operation_id not in self.operations):
            return False
        return self.applies(seen)


# --- predicates --------------------------------------------------------------------------------------------


def _query_refused(seen: Observed) -> bool:
    return seen.status == 400 and seen.error.startswith("Error parsing query")


def _page_size_echo(seen: Observed) -> bool:
    path = list(getattr(seen.failure, "instance_path", []) or [])
    instance = getattr(seen.failure, "instance", None)
    return path[-1:] == ["pageSize"] and isinstance(instance, int) and 2000 < instance <= 5000


def _foreign_continuation_token(seen: Observed) -> bool:
    tokens = seen.items == {"continuationToken"} and seen.validators == {"ContinuationTokenValidator"}
    return seen.status == 400 and tokens


def _bill_pay_rule(seen: Observed) -> bool:
    return seen.status == 400 and seen.validators == {_PAYABLES_RULES}


def _line_ref_incomplete(seen: Observed) -> bool:
    return (
        seen.status == 400
        and bool(seen.items)
        and all(_LINE_REF_FIELD.fullmatch(item) for item in seen.items)
        and seen.messages_end_with("Field required")
    )


def _company_tag_format(seen: Observed) -> bool:
    return (
        seen.status == 400
        and bool(seen.items)
        and all(_COMPANY_TAG_ITEM.fullmatch(item) for item in seen.items)
        and seen.messages_end_with("`tagKey:tagValue`")
    )


def _undeliverable_url(seen: Observed) -> bool:
    return (
        seen.status == 400 and seen.items == {"url"} and seen.messages_end_with("without spaces or control characters")
    )


def _tag_key_line_break(seen: Observed) -> bool:
    tags = seen.body.get("tags") if isinstance(seen.body, dict) else None
    broken = {f"tags.{key}" for key in tags if _ECMA_LINE_END.search(key)} if isinstance(tags, dict) else set()
    return (
        seen.status == 400
        and bool(seen.items)
        and seen.items <= broken
        and seen.messages_end_with("tag keys cannot contain line breaks")
    )


def _event_types_bounded(seen: Observed) -> bool:
    return (
        seen.status == 400
        and bool(seen.items)
        and all(_EVENT_TYPES_ITEM.fullmatch(item) for item in seen.items)
        and seen.messages_match(_EVENT_TYPES_BOUND)
    )


def _undocumented_400(seen: Observed) -> bool:
    return seen.status == 400 and not seen.judge.documents(seen.operation_id, 400)


def _asked_status(seen: Observed) -> Any:
    return seen.body.get("status") if isinstance(seen.body, dict) else None


def _state_refusal(seen: Observed) -> bool:
    # The refusal our contract marks `x-codat-mock-state-refusal`, for a body that asks for nothing else.
    return (
        seen.status == seen.judge.state_refusal(seen.operation_id)
        and seen.validators == {_STATE_VALIDATOR}
        and _asked_status(seen) in (None, "Unlinked")
    )


def _unlink_to_another_status(seen: Observed) -> bool:
    return seen.status == 400 and _asked_status(seen) in ("PendingAuth", "Linked", "Deauthorized")


def _needs(field: str) -> Callable[[Observed], bool]:
    def missing(seen: Observed) -> bool:
        given = seen.body if isinstance(seen.body, dict) else {}
        return seen.status == 400 and seen.items == {field} and given.get(field) is None

    return missing


def _blank_name(seen: Observed) -> bool:
    name = seen.body.get("name") if isinstance(seen.body, dict) else None
    return (
        seen.status == 400
        and seen.items == {"name"}
        and isinstance(name, str)
        and _BLANK.fullmatch(_OUTSIDE_NAME_ALPHABET.sub("", name)) is not None
    )


def _normalised(body: dict[str, Any]) -> dict[str, Any]:
    """The body as the emulator reads it: null fields left out, the name without characters outside the alphabet."""
    kept = {key: value for key, value in body.items() if value is not None}
    if isinstance(kept.get("name"), str):
        kept["name"] = _OUTSIDE_NAME_ALPHABET.sub("", kept["name"])
    return kept


def _accepted_once_normalised(seen: Observed, *, because: Callable[[dict[str, Any]], bool]) -> bool:
    if seen.positive or not 200 <= seen.status < 300 or not isinstance(seen.body, dict) or not because(seen.body):
        return False
    return seen.judge.valid_body(seen.operation_id, _normalised(seen.body))


def _null_as_absent(seen: Observed) -> bool:
    return _accepted_once_normalised(seen, because=lambda body: any(value is None for value in body.values()))


def _name_stripped(seen: Observed) -> bool:
    def has_outsiders(body: dict[str, Any]) -> bool:
        name = body.get("name")
        return isinstance(name, str) and _OUTSIDE_NAME_ALPHABET.search(name) is not None

    return _accepted_once_normalised(seen, because=has_outsiders)


KNOWN_DIFFERENCES: tuple[KnownDifference, ...] = (
    KnownDifference(
        "query-language",
        "ST202",
        _LISTS | _PAYABLES_LISTS,
        "Codat types `query`, `orderBy` and `tags` as any string, but the value is read in Codat's query "
        "language; one that does not parse, or names a property the resource lacks (Codat's own example "
        "`-modifiedDate` on companies), is the 400 `Error parsing query - …` that Codat documents for these "
        "operations.",
        _query_refused,
    ),
    KnownDifference(
        "page-size-above-2000",
        "ST108",
        _LISTS,
        "Codat's paging guide and `pageSize` parameter allow up to 5000, but its response schema caps "
        "`pageSize` at 2000; the emulator echoes the size that was asked for.",
        _page_size_echo,
    ),
    KnownDifference(
        "continuation-token",
        "ST202",
        _PAYABLES_LISTS,
        "Codat types `continuationToken` as any string, but says it is the token the previous page handed "
        "out; any other is the 400 Codat documents for these operations, naming `continuationToken`, rather "
        "than a page of some other listing.",
        _foreign_continuation_token,
    ),
    KnownDifference(
        "bill-pay-rules",
        "ST202",
        _PAYABLES_WRITES,
        "Codat's Bill Pay guides list validation its schemas do not express: a required field that is null or "
        "blank, a reference to a supplier, account or tax rate the ledger lacks, a bill that is not Open, an "
        "amount above what is due, and each platform's own limits; each is the 400 Codat documents for these "
        "operations, naming the field (docs/payables.md and its pages per resource list every rule).",
        _bill_pay_rule,
    ),
    KnownDifference(
        "line-reference-needs-its-id",
        "ST202",
        _BILLS,
        "Codat's schema leaves a line's `accountRef.id`, `taxRateRef.id` and `trackingRefs[].id`/`dataType` "
        "unmarked, but its guides give them as the reference itself; a reference without them is a 400 "
        "naming the missing field.",
        _line_ref_incomplete,
    ),
    KnownDifference(
        "company-tag-format",
        "ST202",
        frozenset({"create-webhook-consumer"}),
        "Codat's schema types a webhook consumer's `companyTags` items as any string, but its description "
        "says to write each as `tagKey:tagValue`, and only such a tag can match a company; any other is a 400 "
        "naming the item (Codat documents 400 here).",
        _company_tag_format,
    ),
    KnownDifference(
        "undocumented-400",
        "ST103",
        None,
        "Codat documents no 400 for replace/update-company, create-connection, unlink or authorization, yet "
        "an invalid body there can only be refused, and 400 is what ASP.NET's model validation (Codat's "
        "stack) answers and what Codat documents for the same error on create-company. The official SDKs "
        "raise their generic SDKError for it.",
        _undocumented_400,
    ),
    KnownDifference(
        "state-refusal",
        "ST202",
        None,
        "The connection's state refuses the move (`x-codat-mock-state-refusal` in our contract): only a "
        "Linked connection can be unlinked, and a company links one accounting platform at a time.",
        _state_refusal,
    ),
    KnownDifference(
        "unlink-to-another-status",
        "ST202",
        frozenset({"unlink-connection"}),
        "Codat's schema lists every status, but its guide says a connection is unlinked by sending Unlinked "
        "and that this endpoint does nothing else; any other status is a 400 naming the current one.",
        _unlink_to_another_status,
    ),
    KnownDifference(
        "company-needs-a-name",
        "ST202",
        frozenset({"create-company", "replace-company"}),
        "Codat marks the body optional, but a company needs the `name` its schema requires; no body reads "
        "as `{}`, a 400 naming `name` (documented for create-company).",
        _needs("name"),
    ),
    KnownDifference(
        "connection-needs-a-platform",
        "ST202",
        frozenset({"create-connection"}),
        "Codat requires neither the body nor `platformKey`, but a connection is to one platform; without "
        "it the answer is a 400 naming `platformKey`.",
        _needs("platformKey"),
    ),
    KnownDifference(
        "event-types-bounded",
        "ST202",
        frozenset({"create-webhook-consumer"}),
        "Codat sets no bounds on `eventTypes`; the emulator keeps one consumer's filter small (at most 100 "
        "names of at most 128 characters, as our contract says), far beyond Codat's own event names and "
        "their number; past them the answer is a 400 naming `eventTypes`.",
        _event_types_bounded,
    ),
    KnownDifference(
        "consumer-needs-a-url",
        "ST202",
        frozenset({"create-webhook-consumer"}),
        "Codat requires neither the body nor `url`, but a webhook consumer is the URL events go to; without "
        "it the answer is the 400 Codat documents here, naming `url`.",
        _needs("url"),
    ),
    KnownDifference(
        "consumer-url-is-http",
        "ST202",
        frozenset({"create-webhook-consumer"}),
        "Codat's `url` is any URI, but it is where Codat POSTs events: an absolute http:// or https:// URL "
        "with a host (`http://` alone, `mailto:`, a URL with spaces are URIs no event can reach); anything "
        "else is the 400 Codat documents here, naming `url`.",
        _undeliverable_url,
    ),
    KnownDifference(
        "upload-needs-a-file",
        "ST202",
        frozenset({"upload-bill-attachment"}),
        "Codat marks the upload's body optional, but an upload is its file; no body is the 400 Codat "
        "documents here, naming `file`.",
        _needs("file"),
    ),
    KnownDifference(
        "tag-key-line-break",
        "ST202",
        _COMPANY_BODIES,
        "Codat's tag-key pattern `^.{1,27}$` is ECMA-262 (as OpenAPI says), whose `.` matches no line "
        "terminator; Schemathesis reads it in Python's dialect, where `.` matches `\\r`, `\\u2028` and "
        "`\\u2029`. A key with one is outside Codat's pattern: a 400 naming the tag.",
        _tag_key_line_break,
    ),
    KnownDifference(
        "blank-name",
        "ST202",
        _COMPANY_BODIES,
        "Codat's name pattern allows a name of only whitespace (`\\s`), but such a name is no name: the 400 "
        "ASP.NET's [Required] gives a blank string, naming `name`.",
        _blank_name,
    ),
    KnownDifference(
        "null-as-absent",
        "ST201",
        frozenset({*_COMPANY_BODIES, "unlink-connection", "create-webhook-consumer"}),
        "`null` for an optional body field reads as absent, as ASP.NET binds it to a nullable property; "
        "Codat's schemas do not list null for `description`, `tags` and a webhook consumer's `eventTypes`, "
        "and write the unlink `status`'s `nullable` in the OpenAPI 3.0 way, which 3.1 ignores.",
        _null_as_absent,
    ),
    KnownDifference(
        "name-stripped",
        "ST201",
        _COMPANY_BODIES,
        "Characters outside Codat's name alphabet are removed, not refused, as Codat's create-company "
        "description says, although its `name` pattern does not allow them.",
        _name_stripped,
    ),
)


# --- the judge ---------------------------------------------------------------------------------------------


class UpstreamJudge:
    """Decides, for one upstream document, whether a failure is a known difference (`excused`)."""

    def __init__(self, upstream: Mapping[str, Any], differences: Iterable[KnownDifference] = KNOWN_DIFFERENCES):
        self.differences = tuple(differences)
        resolved = resolve_refs(upstream)
        contract = load_contract()
        self._statuses: dict[str, frozenset[str]] = {}
        self._bodies: dict[str, Any] = {}
        for op_id, _, _, operation in iter_operations(resolved):
            self._statuses[op_id] = frozenset(str(code) for code in operation.get("responses", {}))
            content = (operation.get("requestBody") or {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is not None:
                self._bodies[op_id] = schema
        self._refusals = {op_id: state_refusal_status(op) for op_id, _, _, op in iter_operations(contract)}
        self._validators: dict[str, Any] = {}

    def documents(self, operation_id: str, status: int) -> bool:
        codes = self._statuses.get(operation_id, frozenset())
        return str(status) in codes or f"{str(status)[0]}XX" in codes or "default" in codes

    def state_refusal(self, operation_id: str) -> int | None:
        return self._refusals.get(operation_id)

    def valid_body(self, operation_id: str, body: Any) -> bool:
        """Whether `body` is valid against the upstream operation's request schema."""
        # Schemathesis' own validator (a dependency of it): fast, and typed.
        import jsonschema_rs

        schema = self._bodies.get(operation_id)
        if schema is None:
            return False
        validator = self._validators.get(operation_id)
        if validator is None:
            validator = self._validators[operation_id] = jsonschema_rs.Draft202012Validator(schema)
        return bool(validator.is_valid(body))

    def excused(self, failure: Any, case: Any, response: Any) -> KnownDifference | None:
        """The known difference that explains this Schemathesis failure, or None."""
        definition = case.operation.definition.raw
        seen = Observed(
            operation_id=str(definition.get("operationId", "")),
            status=int(response.status_code),
            body=_request_body(case),
            response=_json(response),
            failure=failure,
            positive=bool(case.meta is not None and case.meta.generation.mode.is_positive),
            judge=self,
        )
        code = str(getattr(failure, "code", ""))
        found = next((d for d in self.differences if d.excuses(seen, code)), None)
        if found is None:
            found = self._each_item_excused(seen, code)
        return found

    def _each_item_excused(self, seen: Observed, code: str) -> KnownDifference | None:
        """A refusal naming several fields is excused when each field's refusal alone is (the first reason)."""
        validation = seen.response.get("validation") if isinstance(seen.response, dict) else None
        if not isinstance(validation, dict):
            return None
        errors = validation.get("errors")
        if not isinstance(errors, list) or len(errors) < 2:
            return None
        reasons = []
        for item in errors:
            alone = replace(seen, response={**seen.response, "validation": {**validation, "errors": [item]}})
            reason = next((d for d in self.differences if d.excuses(alone, code)), None)
            if reason is None:
                return None
            reasons.append(reason)
        return reasons[0]


def _request_body(case: Any) -> Any:
    from schemathesis.core import NOT_SET

    body = case.body
    return NO_BODY if body is NOT_SET or body is None and not case.media_type else body


def _json(response: Any) -> Any:
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None
