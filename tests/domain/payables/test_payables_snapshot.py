"""The ledger document (`GET`/`PUT /_mock/state`): every record type and every optional field survives export
and import, and the document names each field as the control plane's schema does."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.payables import records as r
from mock_server.domain.payables.snapshot import LedgerDocument, copy_ledger, ledger_document, ledger_from_document

T = TypeVar("T")

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
maybe_texts = st.none() | texts
ids = st.text("abcxyz0123-", min_size=1, max_size=5)
# The document's forms: the emulator's clock is UTC to the second; a date the caller gave without a time of
# day stays a plain date. (A naive time of day is the one form an export changes, to UTC: not drawn here.)
moments = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(microsecond=0)
)
ledger_dates = moments | st.dates().map(lambda day: datetime(day.year, day.month, day.day))
amounts = st.decimals(Decimal("-1000000"), Decimal("1000000"), places=2, allow_nan=False, allow_infinity=False)

accounts = st.builds(r.AccountRecord, ids, maybe_texts, texts, texts, texts, st.sampled_from(r.RecordStatus), moments)
tax_rates = st.builds(r.TaxRateRecord, ids, texts, texts, amounts, st.sampled_from(r.RecordStatus))
bank_accounts = st.builds(
    r.BankAccountRecord,
    ids,
    maybe_texts,
    texts,
    st.sampled_from(r.BankAccountType),
    maybe_texts,
    maybe_texts,
    texts,
    st.sampled_from(r.RecordStatus),
    moments,
)
addresses = st.builds(
    r.AddressRecord, st.sampled_from(r.AddressType), maybe_texts, maybe_texts, maybe_texts, maybe_texts, maybe_texts
)
suppliers = st.builds(
    r.SupplierRecord,
    ids,
    texts,
    maybe_texts,
    maybe_texts,
    maybe_texts,
    st.none() | st.lists(addresses, max_size=2).map(tuple),
    st.sampled_from(r.SupplierStatus),
    maybe_texts,
    moments,
)
tracking_refs = st.builds(r.TrackingRefRecord, ids, texts, st.none() | st.booleans())
line_items = st.builds(
    r.LineItemRecord,
    maybe_texts,
    amounts,
    amounts,
    amounts,
    amounts,
    maybe_texts,
    maybe_texts,
    st.none() | st.lists(tracking_refs, max_size=2).map(tuple),
)
bills = st.builds(
    r.BillRecord,
    ids,
    maybe_texts,
    ids,
    ledger_dates,
    ledger_dates,
    texts,
    st.none() | amounts,
    st.lists(line_items, max_size=2).map(tuple),
    st.sampled_from(r.BillStatus),
    amounts,
    amounts,
    moments,
)
payments = st.builds(
    r.BillPaymentRecord, ids, ids, amounts, ledger_dates, maybe_texts, ids, st.none() | amounts, moments
)
attachments = st.builds(r.AttachmentRecord, ids, ids, texts, texts, st.binary(max_size=8), moments)


def keyed(records: st.SearchStrategy[T]) -> st.SearchStrategy[dict[str, T]]:
    return st.lists(records, max_size=3, unique_by=lambda record: record.id).map(  # type: ignore[attr-defined]
        lambda drawn: {record.id: record for record in drawn}  # type: ignore[attr-defined]
    )


ledgers = st.builds(
    r.Ledger,
    st.just("gbol"),
    texts,
    texts,
    keyed(accounts),
    keyed(tax_rates),
    keyed(bank_accounts),
    keyed(suppliers),
    keyed(bills),
    keyed(payments),
    keyed(attachments),
    st.integers(1, 2**53),
)


def _through_json(ledger: r.Ledger) -> r.Ledger:
    text = ledger_document(ledger).model_dump_json(by_alias=True)
    return ledger_from_document(LedgerDocument.model_validate_json(text), ledger.platform_key)


@settings(max_examples=80, deadline=None)
@given(ledgers)
def test_export_then_import_gives_the_same_ledger(ledger: r.Ledger) -> None:
    assert _through_json(ledger) == ledger
    assert copy_ledger(ledger) == ledger


def test_the_document_names_every_field_on_the_wire() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    ledger = r.Ledger("gbol", "Acme", "GBP", next_number=3)
    ledger.suppliers["s1"] = r.SupplierRecord(
        "s1", "Greggs", None, None, None, (r.AddressRecord(r.AddressType.BILLING, city="Leeds"),),
        r.SupplierStatus.ACTIVE, "GBP", moment,
    )  # fmt: skip
    line = r.LineItemRecord("tea", Decimal("2.50"), Decimal(2), Decimal(1), Decimal(6), "a1", None,
                          (r.TrackingRefRecord("c1", "customers", True),))  # fmt: skip
    ledger.bills["b1"] = r.BillRecord(
        "b1", None, "s1", datetime(2026, 1, 2), moment, "GBP", None, (line,), r.BillStatus.OPEN,
        Decimal(6), Decimal(6), moment,
    )  # fmt: skip
    ledger.attachments["f1"] = r.AttachmentRecord("f1", "b1", "a.txt", "text/plain", b"hi", moment)
    document: dict[str, Any] = ledger_document(ledger).model_dump(mode="json", by_alias=True)
    assert document["suppliers"]["s1"]["addresses"] == [
        {"type": "Billing", "line1": None, "line2": None, "city": "Leeds", "region": None, "country": None,
         "postalCode": None}
    ]  # fmt: skip
    assert document["suppliers"]["s1"]["sourceModifiedDate"] == "2026-01-02T03:04:05Z"
    bill = document["bills"]["b1"]
    assert bill["issueDate"] == "2026-01-02" and bill["dueDate"] == "2026-01-02T03:04:05.0000000Z"
    assert bill["lineItems"][0]["unitAmount"] == 2.5
    assert bill["lineItems"][0]["trackingRefs"] == [{"id": "c1", "dataType": "customers", "isBillable": True}]
    assert document["attachments"]["f1"]["content"] == base64.b64encode(b"hi").decode()
    assert document["nextNumber"] == 3 and "id" not in bill
