"""Codat's wire shapes as pydantic models: what the emulator accepts and what it answers.

Response models are built by `views.py` from the store's records and dumped with
``by_alias=True, exclude_unset=True``: a field that is not passed is omitted from the JSON (Codat omits
`lastSync` until a sync), a field passed as ``None`` is rendered as ``null`` (Codat's `createdByUserName`).
Request models are strict and forbid unknown fields, so each unknown field is named: the HTTP layer
(`http/bodies.py`) then ignores and reports them, as Codat's API ignores them, or refuses them with a 400
naming each one when bodies are strict (`--strict-bodies`, or the tenant's `strictBodies`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    RootModel,
    StringConstraints,
)
from pydantic.alias_generators import to_camel

from .enums import ConnectionStatus, SourceType
from .timestamps import format_timestamp

CodatDateTime = Annotated[datetime, PlainSerializer(format_timestamp, return_type=str, when_used="json")]

# JSON Schema's `.` (ECMA-262) matches anything but line terminators, so Codat's `^.{1,27}$` tag-key
# pattern forbids these four characters; we refuse the same keys the published schema refuses.
_LINE_TERMINATORS = re.compile("[\n\r\u2028\u2029]")


def _tag_key(key: str) -> str:
    if _LINE_TERMINATORS.search(key):
        raise ValueError("tag keys cannot contain line breaks")
    return key


TagKey = Annotated[str, StringConstraints(min_length=1, max_length=27), AfterValidator(_tag_key)]
TagValue = Annotated[str, StringConstraints(max_length=100)]
Tags = Annotated[dict[TagKey, TagValue], Field(max_length=10)]

MAX_TAGS = 10
MAX_TAG_KEY_LENGTH = 27
MAX_TAG_VALUE_LENGTH = 100


STRICT_BODY_CONFIG = ConfigDict(
    alias_generator=to_camel,
    validate_by_alias=True,
    validate_by_name=False,
    extra="forbid",
    strict=True,
    defer_build=True,
)
"""A request body read by its camelCase names only, with strict JSON types and no unknown field; the
validators are built on first use, so start-up does not pay for bodies nobody sends."""


class WireModel(BaseModel):
    """Base for response bodies: camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, defer_build=True)


class RequestModel(BaseModel):
    """Base for request bodies: strict JSON types; unknown fields are reported (see the module's docstring)."""

    model_config = STRICT_BODY_CONFIG


# --- responses -------------------------------------------------------------------------------------------


class DataConnectionError(WireModel):
    status_code: str
    status_text: str
    error_message: str
    errored_on_utc: CodatDateTime
    status: str | None = None
    resolved_on_utc: CodatDateTime | None = None


class Connection(WireModel):
    id: str
    integration_id: str
    integration_key: str
    source_id: str
    source_type: SourceType
    platform_name: str
    link_url: str
    status: ConnectionStatus
    created: CodatDateTime
    last_sync: CodatDateTime | None = None
    data_connection_errors: list[DataConnectionError] | None = None
    connection_info: dict[str, object] | None = None


class Company(WireModel):
    id: str
    name: str
    description: str | None = None
    redirect: str
    last_sync: CodatDateTime | None = None
    created: CodatDateTime
    created_by_user_name: str | None = None
    products: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)
    reference_subsidiary_companies: list[object] = Field(default_factory=list)
    data_connections: list[Connection] = Field(default_factory=list)


class SupportedFeature(WireModel):
    feature_type: str
    feature_state: str


class DataTypeFeature(WireModel):
    data_type: str
    supported_features: list[SupportedFeature]


class Integration(WireModel):
    """One platform of the catalogue. Frozen: the catalogue is shared by every tenant."""

    model_config = ConfigDict(frozen=True)

    key: str
    logo_url: str
    name: str
    enabled: bool = True
    source_id: str
    source_type: SourceType
    integration_id: str
    is_offline_connector: bool = False
    is_beta: bool = False
    data_provided_by: str = "Codat"
    datatype_features: tuple[DataTypeFeature, ...] = ()


class HalRef(WireModel):
    href: str


class PageLinks(WireModel):
    # `self` is a field name pydantic reserves nothing for, but the alias generator would keep it as is.
    self_: HalRef = Field(alias="self")
    current: HalRef
    next: HalRef | None = None
    previous: HalRef | None = None


T = TypeVar("T", bound=WireModel)


class Page(WireModel, Generic[T]):
    results: list[T]
    page_number: int
    page_size: int
    total_results: int
    links: PageLinks = Field(alias="_links")


class ErrorValidationItem(WireModel):
    item_id: str | None
    message: str | None
    validator_name: str | None


class ErrorValidation(WireModel):
    errors: list[ErrorValidationItem] = Field(default_factory=list)
    warnings: list[ErrorValidationItem] = Field(default_factory=list)


class ErrorMessage(WireModel):
    status_code: int
    service: str
    error: str
    correlation_id: str
    validation: ErrorValidation | None = None
    can_be_retried: str = "Unknown"
    detailed_error_code: int = 0


# --- requests --------------------------------------------------------------------------------------------


class CompanyCreate(RequestModel):
    """Body of create-company and replace-company (PUT)."""

    name: Annotated[str, StringConstraints(min_length=1)]
    description: str | None = None
    tags: Tags | None = None


class CompanyUpdate(RequestModel):
    """Body of update-company (PATCH): every field optional; omitted or null means "keep"."""

    name: Annotated[str, StringConstraints(min_length=1)] | None = None
    description: str | None = None
    tags: Tags | None = None


class ConnectionCreate(RequestModel):
    platform_key: Annotated[str, StringConstraints(pattern=r"^[a-z]{4}$")]


class ConnectionStatusUpdate(RequestModel):
    """Body of unlink-connection. Codat's schema allows any status (or null); only Unlinked is honoured, and
    no status at all (or no body) asks for Unlinked too."""

    status: ConnectionStatus | None = None


class ConnectionAuthorization(RootModel[dict[str, str]]):
    """Body of update-connection-authorization: platform-specific credentials, all strings."""

    model_config = ConfigDict(strict=True, defer_build=True)
