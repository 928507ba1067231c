"""Hypothesis strategies for the string formats our contract names but JSON Schema cannot express.

Codat's `query`, `orderBy` and `tags` parameters are strings in a small language (docs/query-language.md).
A regular expression cannot describe that language (braces nest, names match case-insensitively, some
values are decoded twice), so a contract that said only `type: string` would have Schemathesis send
random text as a "valid" filter and then report the 400 it gets as a bug. Instead each such parameter
carries a `format` naming its language, and this module gives each format a strategy that produces only
well-formed filters over the properties Codat lets that listing filter on.

`register_schemathesis_formats()` teaches them to Schemathesis; `codat-mock contract verify` and the test
suite call it, and so can a user's own Schemathesis run (`SCHEMATHESIS_HOOKS=contracts.hooks`).

The property tables are written from Codat's wire shapes, not imported from the emulator: the kit must
check any deployment, the real API included, and an emulator bug must not leak into its own yardstick.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum

from hypothesis import strategies as st

__all__ = ["FORMATS", "register_schemathesis_formats"]


class Kind(StrEnum):
    STRING = "string"
    ENUM = "enum"
    UUID = "uuid"
    DATETIME = "date-time"
    BOOLEAN = "boolean"


CONNECTION_PROPERTIES: Mapping[str, Kind] = {
    "id": Kind.UUID,
    "integrationId": Kind.UUID,
    "integrationKey": Kind.STRING,
    "sourceId": Kind.UUID,
    "sourceType": Kind.ENUM,
    "platformName": Kind.STRING,
    "status": Kind.ENUM,
    "created": Kind.DATETIME,
    "lastSync": Kind.DATETIME,
}

COMPANY_PROPERTIES: Mapping[str, Kind] = {
    "id": Kind.UUID,
    "name": Kind.STRING,
    "description": Kind.STRING,
    "created": Kind.DATETIME,
    "lastSync": Kind.DATETIME,
}

INTEGRATION_PROPERTIES: Mapping[str, Kind] = {
    "key": Kind.STRING,
    "name": Kind.STRING,
    "enabled": Kind.BOOLEAN,
    "sourceId": Kind.UUID,
    "sourceType": Kind.ENUM,
    "integrationId": Kind.UUID,
    "isOfflineConnector": Kind.BOOLEAN,
    "isBeta": Kind.BOOLEAN,
    "dataProvidedBy": Kind.STRING,
}

BILL_PROPERTIES: Mapping[str, Kind] = {
    "id": Kind.STRING,
    "reference": Kind.STRING,
    "status": Kind.ENUM,
    "currency": Kind.STRING,
    "issueDate": Kind.DATETIME,
    "dueDate": Kind.DATETIME,
    "sourceModifiedDate": Kind.DATETIME,
}

SUPPLIER_REF_PROPERTIES: Mapping[str, Kind] = {"id": Kind.STRING, "supplierName": Kind.STRING}

SUPPLIER_PROPERTIES: Mapping[str, Kind] = {
    "id": Kind.STRING,
    "supplierName": Kind.STRING,
    "contactName": Kind.STRING,
    "status": Kind.ENUM,
    "defaultCurrency": Kind.STRING,
    "sourceModifiedDate": Kind.DATETIME,
}

STATUS_PROPERTIES: Mapping[str, Kind] = {"status": Kind.ENUM}

_OPERATORS: Mapping[Kind, tuple[str, ...]] = {
    Kind.STRING: ("=", "!=", "~"),
    Kind.ENUM: ("=", "!="),
    Kind.UUID: ("=", "!="),
    Kind.DATETIME: ("=", "!=", ">", "<", ">=", "<="),
    Kind.BOOLEAN: ("=", "!="),
}

# Values have no quoting: they must avoid `&`, `|`, braces, and `%` (a `%3D`-like run would be decoded
# again), and hold at least one visible character.
_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " -_.", min_size=1, max_size=12).filter(
    lambda text: text.strip() != ""
)
_DATETIMES = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
_SPACE = st.sampled_from(["", " "])


def _value(kind: Kind) -> st.SearchStrategy[str]:
    if kind is Kind.UUID:
        return st.uuids().map(str)
    if kind is Kind.DATETIME:
        return st.one_of(
            _DATETIMES.map(lambda moment: moment.strftime("%Y-%m-%d")),
            _DATETIMES.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")),
        )
    if kind is Kind.BOOLEAN:
        return st.sampled_from(["true", "false", "True", "FALSE"])
    if kind is Kind.ENUM:
        words = ["Linked", "PendingAuth", "Unlinked", "Accounting", "banking", "Open", "Paid", "Active", "Archived"]
        return st.one_of(st.sampled_from(words), _TEXT)
    return _TEXT


def _conditions(properties: Mapping[str, Kind], prefix: str = "") -> st.SearchStrategy[str]:
    def condition(name: str, kind: Kind) -> st.SearchStrategy[str]:
        return st.tuples(st.sampled_from(_OPERATORS[kind]), _SPACE, _value(kind)).map(
            lambda parts: f"{prefix}{name}{parts[1]}{parts[0]}{parts[1]}{parts[2]}"
        )

    return st.one_of(*(condition(name, kind) for name, kind in properties.items()))


def _expressions(condition: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        joined = st.tuples(inner, st.sampled_from(["&&", "||", " && ", " || "]), inner).map("".join)
        return st.one_of(joined, inner.map(lambda text: "{" + text + "}"))

    return st.recursive(condition, combine, max_leaves=4)


def query(
    properties: Mapping[str, Kind], collections: Mapping[str, Mapping[str, Kind]] | None = None
) -> st.SearchStrategy[str]:
    """Well-formed `query` values over `properties` and dotted paths into `collections`."""
    leaves = [_conditions(properties)]
    leaves += [_conditions(items, prefix=f"{name}.") for name, items in (collections or {}).items()]
    return _expressions(st.one_of(*leaves))


def order_by(properties: Mapping[str, Kind]) -> st.SearchStrategy[str]:
    """`orderBy` values: one plain property, optionally descending."""
    return st.tuples(st.sampled_from(["", "-"]), st.sampled_from(sorted(properties))).map("".join)


def tags_filter() -> st.SearchStrategy[str]:
    """`tags` values: conditions on tag keys (any run of non-syntax characters), `= != ~` only."""
    key = st.text(alphabet=string.ascii_letters + string.digits + "_.-", min_size=1, max_size=10)
    condition = st.tuples(key, st.sampled_from(["=", "!=", "~"]), _SPACE, _TEXT).map(
        lambda parts: f"{parts[0]}{parts[2]}{parts[1]}{parts[2]}{parts[3]}"
    )
    return _expressions(condition)


def payables_date() -> st.SearchStrategy[str]:
    """Bill Pay dates, in the ISO 8601 forms Codat writes: a plain date, or a date-time without a zone, with
    `Z` or with an offset, with 0–7 fractional digits (Codat sends seven)."""
    day = _DATETIMES.map(lambda moment: moment.strftime("%Y-%m-%d"))
    clock = st.builds(
        "T{:02d}:{:02d}:{:02d}{}".format,
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
        st.integers(0, 7)
        .flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))
        .map(lambda digits: "." + digits if digits else ""),
    )
    zone = st.sampled_from(["", "Z", "+00:00", "+01:00", "-05:30"])
    return day | st.builds("{}{}{}".format, day, clock, zone)


#: format name (as the contract writes it) → a strategy for well-formed values.
FORMATS: Mapping[str, st.SearchStrategy[str]] = {
    "codat-company-query": query(COMPANY_PROPERTIES, {"dataConnections": CONNECTION_PROPERTIES}),
    "codat-connection-query": query(CONNECTION_PROPERTIES),
    "codat-integration-query": query(INTEGRATION_PROPERTIES),
    "codat-company-order-by": order_by(COMPANY_PROPERTIES),
    "codat-connection-order-by": order_by(CONNECTION_PROPERTIES),
    "codat-integration-order-by": order_by(INTEGRATION_PROPERTIES),
    "codat-tags-filter": tags_filter(),
    "codat-bill-query": query(BILL_PROPERTIES, {"supplierRef": SUPPLIER_REF_PROPERTIES}),
    "codat-supplier-query": query(SUPPLIER_PROPERTIES),
    "codat-status-query": query(STATUS_PROPERTIES),
    "codat-payables-date": payables_date(),
}


def register_schemathesis_formats() -> None:
    """Make Schemathesis generate well-formed values for every format in `FORMATS`. Idempotent."""
    import schemathesis

    for name, strategy in FORMATS.items():
        schemathesis.openapi.format(name, strategy)
