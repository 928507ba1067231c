"""A tenant's state as a versioned JSON document: export, validate, import; and seed files of several tenants.

    {"version": 1,
     "settings": {"autoLink": {"mode": "manual"}, "redirectUrl": null, "strictBodies": null},
     "companies": [{"id", "name", "description", "created", "lastSync", "tags",
                    "connections": [{"id", "platformKey", "status", "created", "statusChanged", "lastSync",
                                     "pendingReads", "errors": [{"statusCode", "statusText", "errorMessage",
                                                                 "erroredOnUtc", "status", "resolvedOnUtc"}]}]}]}

The document holds exactly what the store holds, so export(import(export(s))) == export(s) and the API
answers the same after a round trip. Import checks everything before anything changes: field types and
limits (pydantic), then the rules the API itself enforces (clean names, known platforms, unique ids, one
Linked accounting connection per company). Timestamps are RFC 3339 with a time zone (`timestamps.py`) and
are kept in UTC.

What the control plane's OpenAPI document can say is a 400 (BadRequest): it includes `uniqueItems`, so a
company or connection repeated verbatim in one list is a 400. An id used twice by items that differ is
something no JSON Schema can express; a schema-valid document that does it conflicts with itself, a 409
(Conflict) naming both places, as an id another tenant holds is (store.py).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic.alias_generators import to_camel

from .catalogue import Catalogue
from .enums import ConnectionStatus, SourceType
from .errors import BadRequest, Conflict, IntegrationNotFound, ValidationItem
from .json_types import JsonInt
from .models import Tags
from .payables.records import Ledger
from .payables.snapshot import LedgerDocument, ledger_document, ledger_from_document
from .records import CompanyRecord, ConnectionErrorRecord, ConnectionRecord
from .rules import canonical_id, clean_company_name, validation_items
from .store import TenantState
from .tenants import TenantSettings
from .timestamps import Timestamp
from .webhooks.consumers import MAX_CONSUMERS, Consumer, ConsumerDocument

VERSION: Literal[1] = 1


class _Document(BaseModel):
    # Strict and closed: an import either means exactly what it says or is refused naming the field.
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        extra="forbid",
        strict=True,
        defer_build=True,
    )


class ErrorEntryDocument(_Document):
    status_code: str
    status_text: str
    error_message: str
    errored_on_utc: Timestamp
    status: Literal["Active", "Resolved"] = "Active"
    resolved_on_utc: Timestamp | None = None


class ConnectionDocument(_Document):
    id: str
    platform_key: str
    status: ConnectionStatus
    created: Timestamp
    status_changed: Timestamp
    last_sync: Timestamp | None = None
    pending_reads: JsonInt = Field(default=0, ge=0)
    errors: list[ErrorEntryDocument] = Field(default_factory=list)
    ledger: LedgerDocument | None = None
    """The connection's Bill Pay ledger (payables/snapshot.py); a Linked one without gets its seed ledger on use."""


class CompanyDocument(_Document):
    id: str
    name: Annotated[str, StringConstraints(min_length=1)]
    description: str = ""
    created: Timestamp
    last_sync: Timestamp | None = None
    tags: Tags = Field(default_factory=dict)  # the API's limits: ≤10 tags, keys 1–27, values ≤100
    connections: list[ConnectionDocument] = Field(default_factory=list)


class TenantDocument(_Document):
    """One tenant's exported state (`GET /_mock/state`), and the body of an import (`PUT /_mock/state`)."""

    version: Literal[1]
    settings: TenantSettings = Field(default_factory=TenantSettings)
    companies: list[CompanyDocument] = Field(default_factory=list)
    webhook_consumers: list[ConsumerDocument] = Field(default_factory=list, max_length=MAX_CONSUMERS)
    """The tenant's webhook consumers with their signing secrets (docs/webhooks.md)."""


class SeedTenantDocument(TenantDocument):
    """A tenant inside a seed file: as an export, its own `version` optional (the file has one)."""

    version: Literal[1] = 1


class SeedDocument(_Document):
    """A seed file: `{"version": 1, "tenants": {"<API key>": <tenant document>, ...}}`."""

    version: Literal[1]
    tenants: dict[Annotated[str, StringConstraints(min_length=1)], SeedTenantDocument]


# --- export ---------------------------------------------------------------------------------------------


def export_document(state: TenantState) -> TenantDocument:
    return TenantDocument(
        version=VERSION,
        settings=state.settings,
        companies=[_company_document(company, state) for company in state.companies],
    )


def _company_document(company: CompanyRecord, state: TenantState) -> CompanyDocument:
    return CompanyDocument(
        id=company.id,
        name=company.name,
        description=company.description,
        created=company.created,
        last_sync=company.last_sync,
        tags=dict(company.tags),
        connections=[
            ConnectionDocument(
                id=c.id,
                platform_key=c.integration.key,
                status=c.status,
                created=c.created,
                status_changed=c.status_changed,
                last_sync=c.last_sync,
                pending_reads=state.reads.get(c.id, 0),
                ledger=ledger_document(state.ledgers[c.id]) if c.id in state.ledgers else None,
                errors=[
                    ErrorEntryDocument(
                        status_code=e.status_code,
                        status_text=e.status_text,
                        error_message=e.error_message,
                        errored_on_utc=e.errored_on,
                        status="Resolved" if e.status == "Resolved" else "Active",
                        resolved_on_utc=e.resolved_on,
                    )
                    for e in c.errors
                ],
            )
            for c in company.connections
        ],
    )


def dump_document(document: BaseModel) -> str:
    """The document as JSON text, every field present (defaults included): the canonical export form."""
    return document.model_dump_json(by_alias=True)


# --- import ---------------------------------------------------------------------------------------------


def parse_tenant_document(body: bytes | str) -> TenantDocument:
    """Validate JSON text as a tenant document; BadRequest naming every offending field."""
    try:
        return TenantDocument.model_validate_json(body)
    except ValidationError as exc:
        raise BadRequest(validation=tuple(validation_items(exc))) from None


def parse_seed_document(body: bytes | str) -> SeedDocument:
    try:
        return SeedDocument.model_validate_json(body)
    except ValidationError as exc:
        raise BadRequest(validation=tuple(validation_items(exc))) from None


def load_seed(body: bytes, catalogue: Catalogue) -> tuple[SeedDocument, list[tuple[str, TenantState]]]:
    """A seed file's tenants (their companies left out of the returned document) and their states.

    Same answers and errors as `parse_seed_document` then `seed_states`, but a large valid file does not
    become one pydantic document first. Validating 100 000 companies in one piece held every company's
    model at once (hundreds of MiB at the peak), and the records kept pointing at strings and datetimes
    spread over that memory, so the allocator could hand almost none of it back: the server stayed at
    its peak RSS. Here the JSON tree is packed back into one buffer of company texts per tenant and freed
    before any record exists; then each company is validated (from its own JSON, exactly as in the whole
    document) and turned into records one after the other, so its temporaries are reused by the next one
    and nothing short-lived is left between the records. Anything unusual — a shape the whole-document
    parse would refuse, a company that fails validation, an id used twice — is parsed again the exact
    way, so every error message is the one the whole-document parse gives.
    """
    try:
        return _load_seed_lean(body, catalogue)
    except (_Reparse, BadRequest, Conflict):  # a broken file: find and name its problems as the exact parse does
        seed = parse_seed_document(body)
        return seed, list(seed_states(seed, catalogue))


class _Reparse(Exception):
    """The lean seed parse met something only the whole-document parse reports exactly."""


def _load_seed_lean(body: bytes, catalogue: Catalogue) -> tuple[SeedDocument, list[tuple[str, TenantState]]]:
    try:
        raw = pydantic_core.from_json(body)
    except ValueError:
        raise _Reparse from None
    tenants = raw.get("tenants") if isinstance(raw, dict) else None
    if not isinstance(tenants, dict):
        raise _Reparse
    raw_companies: dict[str, list[Any]] = {}
    for key, tenant in tenants.items():
        listed = tenant.pop("companies", []) if isinstance(tenant, dict) else None
        if not isinstance(listed, list):
            raise _Reparse
        raw_companies[key] = listed
    try:
        seed = SeedDocument.model_validate_json(pydantic_core.to_json(raw))
    except ValidationError:
        raise _Reparse from None
    # Each company's JSON goes into one buffer per tenant (a large block of its own, outside Python's
    # small-object arenas) and the tree is freed before any record exists, so no record is left pinning
    # an arena of the tree.
    packed = {key: _packed(listed) for key, listed in raw_companies.items()}
    del raw, tenants, raw_companies
    companies = {key: _validated_one_by_one(*packed[key]) for key in packed}
    return seed, list(_seed_states(seed, companies, catalogue, keep_items=False))


def _packed(listed: list[Any]) -> tuple[bytearray, array[int]]:
    """The items' JSON texts end to end, and where each ends."""
    buffer, ends = bytearray(), array("q")
    for i, item in enumerate(listed):
        listed[i] = None
        buffer += pydantic_core.to_json(item)
        ends.append(len(buffer))
    return buffer, ends


def _validated_one_by_one(buffer: bytearray, ends: array[int]) -> Iterator[CompanyDocument]:
    start = 0
    for end in ends:
        try:
            # From JSON text, not the Python tree: strict mode reads timestamps and enums from text only.
            yield CompanyDocument.model_validate_json(buffer[start:end])
        except ValidationError:
            raise _Reparse from None
        start = end


def state_from_document(document: TenantDocument, catalogue: Catalogue, *, where: str = "") -> TenantState:
    """The records a valid document describes, or an error listing every rule it breaks.

    BadRequest (400) for anything the document's schema can say; Conflict (409) when the only problem is an
    id used twice by items that differ, which no schema can say (see the module docstring).
    """
    return _state_from(document, document.companies, catalogue, where=where, keep_items=True)


def _state_from(
    document: TenantDocument,
    company_documents: Iterable[CompanyDocument],
    catalogue: Catalogue,
    *,
    where: str,
    keep_items: bool,
) -> TenantState:
    """`state_from_document` over companies given one at a time (`keep_items`: see `_FirstUse`)."""
    problems: list[ValidationItem] = []
    conflicts: list[ValidationItem] = []
    companies: list[CompanyRecord] = []
    reads: dict[str, int] = {}
    ledgers: dict[str, Ledger] = {}
    seen_companies: dict[str, _FirstUse] = {}
    seen_connections: dict[str, _FirstUse] = {}
    for i, doc in enumerate(company_documents):
        at = f"{where}companies.{i}"
        company_id = _unique_id(doc, at, f"{where}companies", seen_companies, problems, conflicts, keep_items)
        _check_name(doc.name, f"{at}.name", problems)
        connections: list[ConnectionRecord] = []
        for j, cdoc in enumerate(doc.connections):
            cat = f"{at}.connections.{j}"
            connection_id = _unique_id(
                cdoc, cat, f"{at}.connections", seen_connections, problems, conflicts, keep_items
            )
            try:
                integration = catalogue.get(cdoc.platform_key)
            except IntegrationNotFound as exc:
                problems.append(ValidationItem(f"{cat}.platformKey", exc.message, "SnapshotValidator"))
                continue
            connections.append(
                ConnectionRecord(
                    id=connection_id,
                    company_id=company_id,
                    integration=integration,
                    status=cdoc.status,
                    created=_utc(cdoc.created),
                    status_changed=_utc(cdoc.status_changed),
                    errors=tuple(_error_record(e) for e in cdoc.errors),
                    last_sync=_utc_or_none(cdoc.last_sync),
                )
            )
            if cdoc.pending_reads:
                reads[connection_id] = cdoc.pending_reads
            if cdoc.ledger is not None:
                try:
                    ledgers[connection_id] = ledger_from_document(cdoc.ledger, integration.key)
                except ValueError as exc:  # an attachment's content that is not base64
                    problems.append(ValidationItem(f"{cat}.ledger", f"{cat}.ledger: {exc}", "SnapshotValidator"))
        linked = [
            c for c in connections if c.status is ConnectionStatus.LINKED and c.source_type is SourceType.ACCOUNTING
        ]
        if len(linked) > 1:
            problems.append(
                ValidationItem(
                    f"{at}.connections",
                    f"{at}.connections: a company holds at most one Linked accounting connection; found "
                    f"{len(linked)} ({', '.join(c.id for c in linked)})",
                    "SnapshotValidator",
                )
            )
        companies.append(
            CompanyRecord(
                id=company_id,
                name=doc.name,
                description=doc.description,
                created=_utc(doc.created),
                tags=dict(doc.tags),
                connections=tuple(connections),
                last_sync=_utc_or_none(doc.last_sync),
            )
        )
    if problems:
        raise BadRequest(validation=tuple(problems + conflicts))
    if conflicts:
        raise Conflict(
            "The document uses an id more than once; ids are unique within it. " + conflicts[0].message,
            validation=tuple(conflicts),
        )
    return TenantState(tuple(companies), document.settings, reads, ledgers)


def seed_states(seed: SeedDocument, catalogue: Catalogue) -> Iterator[tuple[str, TenantState]]:
    """(API key, state) for every tenant of a seed file; BadRequest naming the first broken tenant's fields."""
    return _seed_states(seed, {key: document.companies for key, document in seed.tenants.items()}, catalogue, True)


def _seed_states(
    seed: SeedDocument,
    companies: Mapping[str, Iterable[CompanyDocument]],
    catalogue: Catalogue,
    keep_items: bool,
) -> Iterator[tuple[str, TenantState]]:
    seen: dict[str, str] = {}
    for key, document in seed.tenants.items():
        where = f"tenants.{key}."
        state = _state_from(document, companies[key], catalogue, where=where, keep_items=keep_items)
        for i, company in enumerate(state.companies):
            other = seen.setdefault(company.id, key)
            if other != key:
                raise BadRequest.for_field(
                    f"{where}companies.{i}.id",
                    f"company id {company.id} appears in two tenants; company ids are unique across tenants",
                    "SnapshotValidator",
                )
        yield key, state


def consumers_from_document(document: TenantDocument, *, where: str = "") -> list[Consumer]:
    """The webhook consumers a valid document describes; Conflict (409) when one id is used twice."""
    seen: dict[str, int] = {}
    for i, doc in enumerate(document.webhook_consumers):
        first = seen.setdefault(doc.id, i)
        if first != i:
            at = f"{where}webhookConsumers.{i}"
            if doc == document.webhook_consumers[first]:  # a verbatim repeat: what `uniqueItems` refuses
                raise BadRequest.for_field(at, f"{at} repeats webhookConsumers.{first}", "SnapshotValidator")
            message = f"webhook consumer id {doc.id} is used by webhookConsumers.{first} and webhookConsumers.{i}"
            raise Conflict(message, validation=(ValidationItem(f"{at}.id", message, "SnapshotValidator"),))
    return [Consumer.from_document(doc) for doc in document.webhook_consumers]


@dataclass(frozen=True, slots=True)
class _FirstUse:
    """Where an id was first used in a document: the list holding the item, the item's path, the item."""

    within: str
    at: str
    item: CompanyDocument | ConnectionDocument | None
    """None when the caller streams its items and must not keep them (see `_Reparse`)."""


_NOT_KEPT = _FirstUse("", "", None)


def _unique_id(
    item: CompanyDocument | ConnectionDocument,
    at: str,
    within: str,
    seen: dict[str, _FirstUse],
    problems: list[ValidationItem],
    conflicts: list[ValidationItem],
    keep_items: bool = True,
) -> str:
    """The item's canonical id, recording a problem when it is no UUID or is already used in the document."""
    where = f"{at}.id"
    key = canonical_id(item.id)
    if key is None:
        problems.append(
            ValidationItem(
                where, f"{where}: must be a UUID (8-4-4-4-12 hex digits); got {item.id!r}", "SnapshotValidator"
            )
        )
        return item.id
    first = seen.get(key)
    if first is None:
        # Streaming, one shared marker: a _FirstUse per id would outlive the records made between them
        # and leave the allocator's arenas full of holes once freed.
        seen[key] = _FirstUse(within, at, item) if keep_items else _NOT_KEPT
        return key
    if first.item is None:
        raise _Reparse  # telling a repeat from a conflict needs the first item, which was not kept
    if first.within == within and _verbatim(first.item, item):
        # The same item twice in one list breaks the schema's `uniqueItems`: a plain 400.
        problems.append(
            ValidationItem(
                where, f"{where}: id {key} appears more than once ({at} repeats {first.at})", "SnapshotValidator"
            )
        )
    else:
        conflicts.append(
            ValidationItem(where, f"{where}: id {key} appears more than once (also at {first.at})", "SnapshotValidator")
        )
    return key


def _verbatim(a: BaseModel, b: BaseModel) -> bool:
    """Whether two items are the same JSON value, as `uniqueItems` compares them.

    The fields each item gave (not defaults filled in), times compared as instants with their offsets: the
    parsed form cannot tell `Z` from `+00:00`, nor `.5` from `.50`, which differ only in how they are written.
    """
    return a.model_dump(mode="json", exclude_unset=True) == b.model_dump(mode="json", exclude_unset=True)


def _check_name(name: str, item: str, problems: list[ValidationItem]) -> None:
    # The API strips characters outside Codat's name pattern, so a stored name never holds one; an
    # import that did would describe a state the API cannot reach.
    try:
        cleaned = clean_company_name(name)
    except BadRequest as exc:
        problems.append(ValidationItem(item, exc.validation[0].message, "SnapshotValidator"))
        return
    if cleaned != name:
        problems.append(
            ValidationItem(
                item, f"{item}: holds characters Codat's name pattern does not allow: {name!r}", "SnapshotValidator"
            )
        )


def _error_record(doc: ErrorEntryDocument) -> ConnectionErrorRecord:
    return ConnectionErrorRecord(
        status_code=doc.status_code,
        status_text=doc.status_text,
        error_message=doc.error_message,
        errored_on=_utc(doc.errored_on_utc),
        status=doc.status,
        resolved_on=_utc_or_none(doc.resolved_on_utc),
    )


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None
