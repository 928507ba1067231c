"""What `query` can filter bills and suppliers by: their scalar wire fields, and a bill's `supplierRef`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..query import FieldType, QueryCollection, QueryField, QueryTarget
from .records import BillRecord


@dataclass(frozen=True, slots=True)
class BillRow:
    """A bill with its supplier's name, as the query sees it (`supplierRef.supplierName=acme`)."""

    bill: BillRecord
    supplier_name: str | None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _f(kind: FieldType, get: Callable[[Any], object | None]) -> QueryField:
    return QueryField(kind, get)


_S, _E, _N, _D = FieldType.STRING, FieldType.ENUM, FieldType.NUMBER, FieldType.DATETIME

_SUPPLIER_REF = QueryTarget(
    "SupplierRef",
    {"id": _f(_S, lambda row: row.bill.supplier_id), "supplierName": _f(_S, lambda row: row.supplier_name)},
)

BILL_TARGET = QueryTarget(
    "Bill",
    {
        "id": _f(_S, lambda row: row.bill.id),
        "reference": _f(_S, lambda row: row.bill.reference),
        "status": _f(_E, lambda row: row.bill.status.value),
        "currency": _f(_S, lambda row: row.bill.currency),
        "issueDate": _f(_D, lambda row: _aware(row.bill.issue_date)),
        "dueDate": _f(_D, lambda row: _aware(row.bill.due_date)),
        "totalAmount": _f(_N, lambda row: float(row.bill.total_amount)),
        "amountDue": _f(_N, lambda row: float(row.bill.amount_due)),
        "sourceModifiedDate": _f(_D, lambda row: row.bill.source_modified),
    },
    {"supplierRef": QueryCollection(_SUPPLIER_REF, lambda row: (row,))},
)


SUPPLIER_TARGET = QueryTarget(
    "Supplier",
    {
        "id": _f(_S, lambda s: s.id),
        "supplierName": _f(_S, lambda s: s.supplier_name),
        "contactName": _f(_S, lambda s: s.contact_name),
        "emailAddress": _f(_S, lambda s: s.email_address),
        "phone": _f(_S, lambda s: s.phone),
        "status": _f(_E, lambda s: s.status.value),
        "defaultCurrency": _f(_S, lambda s: s.default_currency),
        "sourceModifiedDate": _f(_D, lambda s: s.source_modified),
    },
)
