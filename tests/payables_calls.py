"""Client calls for the 14 Bill Pay operations, as Hypothesis strategies shared by the tests that drive `sdk_stub`.

`CALLS` maps each operationId to a strategy of `(group, method, kwargs)`: the client resource group, its
method, and keyword arguments the client accepts (those drawn as None are left out, so both "given" and "not
given" are exercised). tests/sdk/test_sdk_payables_oas.py checks the requests against Codat's published
document, tests/contracts/test_client_contract.py against our contract.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

UUIDS = st.uuids().map(str)
IDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)
TEXT = st.text(max_size=20)
OPT_TEXT = st.none() | TEXT
KEYS = st.none() | st.uuids().map(str)
AMOUNTS = st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=Decimal("-1e9"), max_value=Decimal("1e9")
)
DATES = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)) | st.dates()
CURRENCIES = st.text(string.ascii_uppercase, min_size=3, max_size=3)
QUERIES = st.none() | st.text(max_size=30)
TOKENS = st.none() | st.text(min_size=1, max_size=30)


def _opt(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


LINE_ITEMS = _opt(
    description=OPT_TEXT,
    unit_amount=AMOUNTS,
    quantity=AMOUNTS,
    tax_amount=AMOUNTS,
    total_amount=st.none() | AMOUNTS,
    account_ref=st.fixed_dictionaries({"id": IDS}),
    tax_rate_ref=st.fixed_dictionaries({"id": IDS}),
    tracking_refs=st.none()
    | st.lists(
        _opt(id=IDS, data_type=st.sampled_from(["trackingCategories", "customers"]), is_billable=st.booleans()),
        max_size=2,
    ),
)
BILLS = st.fixed_dictionaries(
    {
        "supplier_ref": st.fixed_dictionaries({"id": IDS}, optional={"supplier_name": OPT_TEXT}),
        "issue_date": DATES,
        "due_date": DATES,
        "currency": CURRENCIES,
    },
    optional={
        "reference": OPT_TEXT,
        "currency_rate": st.none() | AMOUNTS,
        "line_items": st.none() | st.lists(LINE_ITEMS, max_size=3),
        "status": st.sampled_from(["Open", "Draft"]),
    },
)
ADDRESSES = _opt(
    type=st.sampled_from(["Billing", "Delivery", "Unknown"]),
    line1=OPT_TEXT,
    line2=OPT_TEXT,
    city=OPT_TEXT,
    region=OPT_TEXT,
    country=OPT_TEXT,
    postal_code=OPT_TEXT,
)
SUPPLIERS = st.fixed_dictionaries(
    {"supplier_name": TEXT},
    optional={
        "status": st.sampled_from(["Active", "Archived", "Unknown"]),
        "contact_name": OPT_TEXT,
        "email_address": OPT_TEXT,
        "phone": OPT_TEXT,
        "addresses": st.none() | st.lists(ADDRESSES, max_size=2),
        "balance": st.none() | AMOUNTS,
        "default_currency": st.none() | CURRENCIES,
    },
)
PAYMENTS = st.fixed_dictionaries(
    {"amount": AMOUNTS, "date": DATES, "account_ref": st.fixed_dictionaries({"id": IDS})},
    optional={"reference": OPT_TEXT, "currency_rate": st.none() | AMOUNTS},
)
BANK_ACCOUNTS = st.fixed_dictionaries(
    {
        "name": TEXT,
        "account_type": st.sampled_from(["Credit", "Debit", "Unknown"]),
        "account_number": TEXT,
        "currency": CURRENCIES,
    },
    optional={"nominal_code": OPT_TEXT, "sort_code": OPT_TEXT},
)
CONNECTION = {"company_id": UUIDS, "connection_id": UUIDS}


def _call(
    group: str, method: str, **arguments: st.SearchStrategy[Any]
) -> st.SearchStrategy[tuple[str, str, dict[str, Any]]]:
    # Arguments drawn as None are left out, so both "given" and "not given" are exercised.
    drawn = st.fixed_dictionaries({**CONNECTION, **arguments})
    return drawn.map(lambda kwargs: (group, method, {k: v for k, v in kwargs.items() if v is not None}))


CALLS: dict[str, Callable[[], st.SearchStrategy[tuple[str, str, dict[str, Any]]]]] = {
    "get-company-information": lambda: _call("company_information", "get"),
    "get-mapping-options-bills": lambda: _call(
        "bills", "get_mapping_options", continuation_token=TOKENS, status_query=QUERIES
    ),
    "get-mapping-options-payments": lambda: _call(
        "bill_payments", "get_mapping_options", continuation_token=TOKENS, status_query=QUERIES
    ),
    "list-bills": lambda: _call("bills", "list", continuation_token=TOKENS, query=QUERIES),
    "create-bill": lambda: _call("bills", "create", bill=BILLS, idempotency_key=KEYS),
    "update-bill": lambda: _call("bills", "update", bill_id=IDS, bill=BILLS, idempotency_key=KEYS),
    "upload-bill-attachment": lambda: _call(
        "bills",
        "upload_attachment",
        bill_id=IDS,
        content=st.binary(max_size=200),
        file_name=st.sampled_from(["invoice.pdf", "scan.png", "data", "notes.txt"]),
        content_type=st.none() | st.sampled_from(["application/pdf", "image/jpeg"]),
    ),
    "list-bill-attachments": lambda: _call("bills", "list_attachments", bill_id=IDS),
    "download-bill-attachment": lambda: _call("bills", "download_attachment", bill_id=IDS, attachment_id=UUIDS),
    "create-bill-payment": lambda: _call(
        "bill_payments", "create", bill_id=IDS, payment=PAYMENTS, idempotency_key=KEYS
    ),
    "list-suppliers": lambda: _call("suppliers", "list", continuation_token=TOKENS, query=QUERIES),
    "create-supplier": lambda: _call("suppliers", "create", supplier=SUPPLIERS, idempotency_key=KEYS),
    "update-supplier": lambda: _call("suppliers", "update", supplier_id=IDS, supplier=SUPPLIERS),
    "create-bank-account": lambda: _call("bank_accounts", "create", bank_account=BANK_ACCOUNTS, idempotency_key=KEYS),
}
