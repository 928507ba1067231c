"""Pydantic models of the Codat resources the client reads, in Codat's camelCase wire shape."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = [
    "Company",
    "CompanyReference",
    "Connection",
    "ConnectionStatus",
    "DataConnectionError",
    "DatatypeFeature",
    "ErrorMessage",
    "ErrorValidation",
    "Integration",
    "Page",
    "PageLink",
    "PageLinks",
    "SourceType",
    "SupportedFeature",
    "ValidationItem",
]

T = TypeVar("T")


class ConnectionStatus(StrEnum):
    """The authorization status of a data connection.

    Fields typed `ConnectionStatus | str` hold a member of this enum for the four values Codat documents and
    the plain string for any other value (Codat may add statuses; the client should not break when it does).
    Members are `str`s, so `connection.status == "Linked"` works either way.
    """

    PENDING_AUTH = "PendingAuth"
    LINKED = "Linked"
    UNLINKED = "Unlinked"
    DEAUTHORIZED = "Deauthorized"


class SourceType(StrEnum):
    """The kind of platform behind an integration or connection.

    Like `ConnectionStatus`, an unknown value arrives as a plain `str` rather than failing validation.
    """

    ACCOUNTING = "Accounting"
    BANKING = "Banking"
    BANK_FEED = "BankFeed"
    COMMERCE = "Commerce"
    EXPENSE = "Expense"
    OTHER = "Other"
    UNKNOWN = "Unknown"


def _none_as_empty_list(value: object) -> object:
    # Codat documents these arrays as never null; accepting null anyway keeps one odd response from
    # turning a whole page into an error.
    return [] if value is None else value


def _none_as_empty_dict(value: object) -> object:
    return {} if value is None else value


# Known enum values become members; anything else is kept as the string the server sent. `left_to_right`
# matters: pydantic's default "smart" union would pick `str` for every value, known ones included.
_Status = Annotated[ConnectionStatus | str, Field(union_mode="left_to_right")]
_SourceType = Annotated[SourceType | str, Field(union_mode="left_to_right")]
_StrList = Annotated[list[str], BeforeValidator(_none_as_empty_list)]
_Tags = Annotated[dict[str, str], BeforeValidator(_none_as_empty_dict)]


class _WireModel(BaseModel):
    """Base of every model: camelCase aliases, snake_case attributes, unknown fields kept in `model_extra`."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
    )


class ValidationItem(_WireModel):
    """One validation decision in an error body (`validation.errors[]` / `validation.warnings[]`)."""

    item_id: str | None = None
    message: str | None = None
    validator_name: str | None = None


class ErrorValidation(_WireModel):
    """The `validation` object of an error body."""

    errors: Annotated[list[ValidationItem], BeforeValidator(_none_as_empty_list)] = Field(default_factory=list)
    warnings: Annotated[list[ValidationItem], BeforeValidator(_none_as_empty_list)] = Field(default_factory=list)


class ErrorMessage(_WireModel):
    """Codat's error body, carried by every `CodatAPIError` whose response was one.

    Every field is optional: an error is still reported when a proxy or gateway answers with a partial body.
    """

    status_code: int | None = None
    service: str | None = None
    error: str | None = None
    correlation_id: str | None = None
    validation: ErrorValidation | None = None
    can_be_retried: str | None = None
    detailed_error_code: int | None = None


class DataConnectionError(_WireModel):
    """A failed attempt recorded on a connection (for example, the user cancelled at Link)."""

    status_code: str | None = None
    status_text: str | None = None
    error_message: str | None = None
    errored_on_utc: datetime | None = None
    status: str | None = None
    resolved_on_utc: datetime | None = None


class Connection(_WireModel):
    """A company's connection to one platform.

    Datetimes without an offset (Codat sends some) are naive `datetime`s; those with `Z` or an offset are aware.

    ```python
    connection = client.connections.create(company_id=company.id, platform_key="qhyg")
    if connection.status == ConnectionStatus.PENDING_AUTH:
        print("send the user to", connection.link_url)
    ```
    """

    id: str
    integration_id: str
    integration_key: str | None = None
    source_id: str
    source_type: _SourceType
    platform_name: str
    link_url: str
    status: _Status
    last_sync: datetime | None = None
    created: datetime
    data_connection_errors: list[DataConnectionError] | None = None
    connection_info: dict[str, Any] | None = None


class CompanyReference(_WireModel):
    """A parent or subsidiary company as embedded in a `Company`. Codat's schema requires none of its fields."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    links: dict[str, Any] | None = None
    tags: _Tags = Field(default_factory=dict)


class Company(_WireModel):
    """A company: one of your customers, with its connections embedded.

    ```python
    company = client.companies.create(name="Acme Ltd", tags={"region": "uk"})
    print(company.id, company.redirect, company.tags["region"])
    ```
    """

    id: str
    name: str
    description: str | None = None
    redirect: str
    last_sync: datetime | None = None
    created: datetime | None = None
    created_by_user_name: str | None = None
    products: _StrList = Field(default_factory=list)
    tags: _Tags = Field(default_factory=dict)
    reference_parent_company: CompanyReference | None = None
    reference_subsidiary_companies: Annotated[list[CompanyReference], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )
    data_connections: Annotated[list[Connection], BeforeValidator(_none_as_empty_list)] = Field(default_factory=list)


class SupportedFeature(_WireModel):
    """One operation an integration supports for a data type, and its release state."""

    feature_type: str
    feature_state: str


class DatatypeFeature(_WireModel):
    """The features an integration supports for one data type."""

    # Codat's schema names the property `dataType` while its examples and docs send `datatype`: accept both.
    # The declared name comes first: when a body has both, `datatype` is an unknown field (kept in
    # `model_extra`), not a replacement for `dataType`. Building the model in code by `data_type` still works.
    data_type: str = Field(validation_alias=AliasChoices("dataType", "datatype"), serialization_alias="datatype")
    supported_features: Annotated[list[SupportedFeature], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )


class Integration(_WireModel):
    """A platform Codat can connect to, identified by its four-letter `key`.

    ```python
    xero = client.integrations.get("gbol")
    print(xero.name, xero.source_type, xero.enabled)
    ```
    """

    key: str
    logo_url: str
    name: str
    enabled: bool
    source_id: str | None = None
    source_type: _SourceType | None = None
    integration_id: str | None = None
    is_offline_connector: bool | None = None
    is_beta: bool | None = None
    data_provided_by: str | None = None
    datatype_features: Annotated[list[DatatypeFeature], BeforeValidator(_none_as_empty_list)] = Field(
        default_factory=list
    )


class PageLink(_WireModel):
    """A hypertext reference; Codat's paging links are relative (`/companies?page=2`)."""

    href: str


class PageLinks(_WireModel):
    """The `_links` of a page: `self` (the bare path), `current`, and `next`/`previous` when they exist."""

    self: PageLink
    current: PageLink
    next: PageLink | None = None
    previous: PageLink | None = None


class Page(_WireModel, Generic[T]):
    """One page of a listing.

    ```python
    page = client.companies.list(page_size=50)
    for company in page.results:
        print(company.name)
    if page.has_next:
        page = client.companies.list(page=page.page_number + 1, page_size=50)
    ```
    """

    results: Annotated[list[T], BeforeValidator(_none_as_empty_list)]
    page_number: int
    page_size: int
    total_results: int
    links: PageLinks = Field(alias="_links")

    @property
    def has_next(self) -> bool:
        """Whether the server says a further page exists (`_links.next` is present)."""
        return self.links.next is not None
