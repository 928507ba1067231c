"""What each accounting platform's Bill Pay supports: statuses, limits and the shape of its ids.

Facts from Codat's Bill Pay documents where they exist (reference lengths, FreeAgent's tax rule and line
limit, attachment limits for Xero, QuickBooks Online and NetSuite, the update quirks of each platform); the
rest are the emulator's choices, written down in docs/decisions.md ("Bill Pay"). Each quirk is a field of
the profile, so `rules.py` asks the profile rather than testing platform keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from ..errors import NotFound
from .records import BillStatus

MB = 1024 * 1024


class TaxRule(StrEnum):
    """When a bill line must (or must not) name a tax rate."""

    FORBIDDEN = "forbidden"  # FreeAgent: tax only through taxAmount
    REQUIRED = "required"  # QuickBooks Online, Xero
    WITH_TAX_AMOUNT = "with-tax-amount"  # NetSuite, Intacct: taxRateRef and taxAmount together
    WHEN_TAXED = "when-taxed"  # Zoho Books: needed when taxAmount is not 0
    OPTIONAL = "optional"


class IdStyle(StrEnum):
    GUID = "guid"  # Xero, MYOB: lower-case GUIDs
    SMALL_NUMBER = "small-number"  # QuickBooks Online, NetSuite, Intacct, FreeAgent: short integers
    LONG_NUMBER = "long-number"  # Zoho Books: 18-digit numbers
    TXN_ID = "txn-id"  # QuickBooks Desktop: "8000001A-1700000000"


OFFICE_TYPES = frozenset({"pdf", "png", "jpg", "jpeg", "gif", "txt", "csv", "doc", "docx", "xls", "xlsx"})


@dataclass(frozen=True, slots=True)
class PlatformProfile:
    key: str
    name: str
    base_currency: str
    statuses: frozenset[BillStatus]
    reference_max: int
    tax_rule: TaxRule
    id_style: IdStyle
    max_attachment_bytes: int
    attachment_types: frozenset[str]  # lower-case file extensions
    max_line_items: int | None = None
    supplier_currency_fixed: bool = False  # QuickBooks Online: defaultCurrency is set once, at creation
    bill_currency_matches_supplier: bool = False  # QuickBooks Online
    archived_supplier_update_refused: bool = False  # Xero
    supplier_has_currency: bool = True  # FreeAgent: suppliers take the base currency
    unique_reference_per_supplier: bool = False  # Zoho Books
    due_not_before_issue: bool = False  # Zoho Books
    sync_product: bool = True  # False: Codat documents Bill Pay here only for its older async product
    # Quirks of update-bill and update-supplier (Codat's per-platform notes; docs/decisions.md "Bill Pay").
    bill_currency_fixed: bool = False  # NetSuite: update-bill cannot change a bill's currency (400)
    bill_reference_clear_refused: bool = False  # NetSuite: update-bill cannot clear the reference with "" (400)
    omitted_reference_clears: bool = False  # Intacct: update-bill without a reference clears it (others keep it)
    bill_currency_follows_supplier: bool = False  # Zoho Books: whatever the body says; rate 1 in the base currency;
    # a supplier's change of currency moves its bills with it
    unique_supplier_names: bool = False  # Xero, NetSuite, Zoho Books: a duplicate supplier name is a 400
    supplier_addresses_max: int | None = None  # Intacct: one address; the rest are dropped
    omitted_supplier_status_activates: bool = False  # NetSuite: update-supplier without a status re-activates
    supplier_contact_name_ignored: bool = False  # NetSuite: contactName is not kept (comes back null)
    supplier_currency_null_keeps: bool = False  # Intacct: a null currency keeps it on update, "" clears it
    supplier_country_two_letters: bool = False  # NetSuite: an address country must be a 2-letter code
    archived_supplier_changes_ignored: bool = False  # QuickBooks Online: unless the update makes it Active


_STANDARD = frozenset({BillStatus.OPEN, BillStatus.PARTIALLY_PAID, BillStatus.PAID})

_PROFILES = (
    PlatformProfile(
        "gbol",
        "Xero",
        "GBP",
        _STANDARD | {BillStatus.VOID, BillStatus.DRAFT},
        255,
        TaxRule.REQUIRED,
        IdStyle.GUID,
        4 * MB,
        frozenset(
            [
                "7z",
                "bmp",
                "csv",
                "doc",
                "docx",
                "eml",
                "gif",
                "jpeg",
                "jpg",
                "keynote",
                "msg",
                "numbers",
                "odf",
                "ods",
                "odt",
                "pages",
                "pdf",
                "png",
                "ppt",
                "pptx",
                "rar",
                "rtf",
                "tif",
                "tiff",
                "txt",
                "xls",
                "xlsx",
                "zip",
            ]
        ),
        archived_supplier_update_refused=True,
        unique_supplier_names=True,
    ),
    PlatformProfile(
        "qhyg",
        "QuickBooks Online",
        "USD",
        _STANDARD,
        21,
        TaxRule.REQUIRED,
        IdStyle.SMALL_NUMBER,
        100 * MB,
        frozenset(
            [
                "ai",
                "csv",
                "doc",
                "docx",
                "eps",
                "gif",
                "jpeg",
                "jpg",
                "ods",
                "pages",
                "pdf",
                "png",
                "rtf",
                "tif",
                "txt",
                "xls",
                "xlsx",
                "xml",
            ]
        ),
        supplier_currency_fixed=True,
        bill_currency_matches_supplier=True,
        archived_supplier_changes_ignored=True,
    ),
    PlatformProfile(
        "fbrh",
        "FreeAgent",
        "GBP",
        _STANDARD,
        255,
        TaxRule.FORBIDDEN,
        IdStyle.SMALL_NUMBER,
        10 * MB,
        OFFICE_TYPES,
        max_line_items=40,
        supplier_has_currency=False,
    ),
    PlatformProfile(
        "akxx",
        "Oracle NetSuite",
        "USD",
        _STANDARD | {BillStatus.VOID},
        45,
        TaxRule.WITH_TAX_AMOUNT,
        IdStyle.SMALL_NUMBER,
        100 * MB,
        frozenset(
            [
                "bmp",
                "csv",
                "xls",
                "xlsx",
                "json",
                "pdf",
                "pjpg",
                "pjpeg",
                "png",
                "txt",
                "svg",
                "tif",
                "tiff",
                "doc",
                "docx",
                "zip",
            ]
        ),
        unique_supplier_names=True,
        bill_currency_fixed=True,
        bill_reference_clear_refused=True,
        omitted_supplier_status_activates=True,
        supplier_contact_name_ignored=True,
        supplier_country_two_letters=True,
    ),
    PlatformProfile(
        "knfz",
        "Sage Intacct",
        "USD",
        _STANDARD | {BillStatus.VOID},
        100,
        TaxRule.WITH_TAX_AMOUNT,
        IdStyle.SMALL_NUMBER,
        10 * MB,
        OFFICE_TYPES,
        omitted_reference_clears=True,
        supplier_addresses_max=1,
        supplier_currency_null_keeps=True,
    ),
    PlatformProfile(
        "rwuv",
        "Zoho Books",
        "GBP",
        _STANDARD | {BillStatus.VOID, BillStatus.DRAFT},
        50,
        TaxRule.WHEN_TAXED,
        IdStyle.LONG_NUMBER,
        10 * MB,
        OFFICE_TYPES,
        unique_reference_per_supplier=True,
        due_not_before_issue=True,
        unique_supplier_names=True,
        bill_currency_follows_supplier=True,
    ),
    PlatformProfile(
        "pdvj",
        "MYOB Business",
        "AUD",
        _STANDARD,
        255,
        TaxRule.REQUIRED,
        IdStyle.GUID,
        10 * MB,
        OFFICE_TYPES,
        sync_product=False,
    ),
    PlatformProfile(
        "pqsw",
        "QuickBooks Desktop",
        "USD",
        _STANDARD,
        21,
        TaxRule.OPTIONAL,
        IdStyle.TXN_ID,
        10 * MB,
        OFFICE_TYPES,
        sync_product=False,
    ),
)

PROFILES: Mapping[str, PlatformProfile] = MappingProxyType({p.key: p for p in _PROFILES})


def profile_for(platform_key: str, platform_name: str) -> PlatformProfile:
    """The platform's Bill Pay profile; 404 in Codat's words when the platform has no Bill Pay."""
    profile = PROFILES.get(platform_key)
    if profile is None:
        raise NotFound(
            f"Datatype bills not supported by platform(s) {platform_name} ({platform_key}); Bill Pay supports "
            f"{', '.join(f'{p.name} ({p.key})' for p in _PROFILES)}."
        )
    return profile
