"""The Bill Pay operations on one connection's ledger: what each of the 14 calls reads, checks and changes.

Every call first finds the company and connection (Codat's 404s), then its platform's profile (a platform
without Bill Pay is a 404), then insists the connection is Linked (400; 404 for the two attachment reads,
whose only declared error is 404). Writes take the ledgers' lock, check everything (`rules.py`), and only
then replace records, so a refused write changes nothing. Each successful write moves the record's
`sourceModifiedDate` to the clock's now and publishes a `{dataType}.write.successful` event.
"""

from __future__ import annotations

import dataclasses
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..enums import ConnectionStatus
from ..errors import BadRequest, NotFound, QueryError
from ..events import DomainEvent, EventType, WriteRecord
from ..query import FieldType, QueryField, QueryTarget, compile_query
from ..records import CompanyRecord, ConnectionRecord
from ..store import Store
from . import views
from .generation import generate_ledger
from .ids import attachment_id, mint
from .money import ZERO
from .paging import page_of
from .platforms import PlatformProfile, profile_for
from .prototypes import BankAccountPrototype, BillPaymentPrototype, BillPrototype, SupplierPrototype
from .queryable import BILL_TARGET, SUPPLIER_TARGET, BillRow
from .records import (
    AttachmentRecord,
    BankAccountRecord,
    BankAccountType,
    BillPaymentRecord,
    BillRecord,
    BillStatus,
    Ledger,
    RecordStatus,
    SupplierRecord,
    SupplierStatus,
)
from .rules import SupplierDraft, check_bank_account, check_bill, check_payment, check_supplier

Json = dict[str, Any]

_OPTION_TARGET = QueryTarget("MappingOption", {"status": QueryField(FieldType.ENUM, lambda option: option[1])})
_ACTIVE_ONLY = "status=Active"
_OUTSTANDING = (BillStatus.OPEN, BillStatus.PARTIALLY_PAID)


@dataclass(frozen=True, slots=True)
class Session:
    """One call's view: the company, the Linked connection, its platform and its ledger."""

    tenant: str
    company: CompanyRecord
    connection: ConnectionRecord
    profile: PlatformProfile
    ledger: Ledger


@dataclass(frozen=True, slots=True)
class Download:
    name: str
    content_type: str
    content: bytes


class NotLinked(BadRequest):
    """400: the connection exists but cannot be read or written until it is Linked."""


class PayablesService:
    """The operations, over the store's ledgers. Stateless itself: one per app is plenty."""

    def __init__(self, store: Store, *, max_attachment_bytes: int) -> None:
        self.store = store
        self.ledgers = store.payables
        self.max_attachment_bytes = max_attachment_bytes

    # --- the connection a call is about -------------------------------------------------------------------

    def session(self, tenant: str, company_id: str, connection_id: str, *, not_linked_status: int = 400) -> Session:
        company = self.store.get_company(tenant, company_id)
        connection = self.store.get_connection(tenant, company_id, connection_id)
        profile = profile_for(connection.integration.key, connection.integration.name)
        if connection.status is not ConnectionStatus.LINKED:
            message = (
                f"Data connection {connection.id} is not linked (it is {connection.status.value}); Bill Pay "
                "reads and writes need a Linked connection: link it first."
            )
            if not_linked_status == 404:
                raise NotFound(message)
            raise NotLinked(message, validation=())
        # A Linked connection imported without a ledger gets its seed ledger on first use.
        ledger = self.ledgers.ensure(tenant, connection.id, profile.key, company.name, self.store.clock.now())
        assert ledger is not None
        return Session(tenant, company, connection, profile, ledger)

    def _publish(
        self,
        s: Session,
        kind: EventType,
        data_type: str,
        operation: str,
        record_id: str,
        attachment: str | None = None,
    ) -> None:
        connection = self.store.get_connection(s.tenant, s.company.id, s.connection.id)
        event = DomainEvent(
            self.store.new_id(),
            kind,
            s.tenant,
            self.store.clock.now(),
            s.company,
            connection,
            write=WriteRecord(data_type, operation, record_id, self.store.new_id(), attachment),
        )
        self.store.publish(event)

    def _next_id(self, s: Session) -> str:
        number = s.ledger.next_number
        s.ledger.next_number += 1
        return mint(s.profile.id_style, s.connection.id, number)

    # --- reads --------------------------------------------------------------------------------------------

    def company_information(self, s: Session) -> Json:
        return views.company_information(s.ledger)

    def bill_options(self, s: Session, token: str | None, status_query: str | None) -> Json:
        matches = _status_filter(status_query)
        with self.ledgers.locked():
            accounts = [("a", a.status.value, a) for a in s.ledger.accounts.values()]
            taxes = [("t", t.status.value, t) for t in s.ledger.tax_rates.values()]
            chosen = [item for item in accounts + taxes if matches(item)]
            page = page_of(chosen, token, f"bill-options/{s.connection.id}/{status_query}")
            return {
                "accounts": [views.account_option(r) for k, _, r in page.results if k == "a"],  # type: ignore[arg-type]
                "taxRates": [views.tax_rate_option(r) for k, _, r in page.results if k == "t"],  # type: ignore[arg-type]
                "pagination": _pagination(page.continuation_token),
            }

    def payment_options(self, s: Session, token: str | None, status_query: str | None) -> Json:
        matches = _status_filter(status_query)
        with self.ledgers.locked():
            chosen = [("b", b.status.value, b) for b in s.ledger.bank_accounts.values()]
            chosen = [item for item in chosen if matches(item)]
            page = page_of(chosen, token, f"payment-options/{s.connection.id}/{status_query}")
            return {
                "bankAccounts": [views.bank_account_option(r, s.profile.key) for _, _, r in page.results],
                "pagination": _pagination(page.continuation_token),
            }

    def list_bills(self, s: Session, token: str | None, query: str | None) -> Json:
        # Without a query only outstanding bills are listed (Codat's default); a query replaces that default.
        matches = compile_query(query, BILL_TARGET) if query is not None and query.strip() else None
        with self.ledgers.locked():
            rows = [
                BillRow(
                    b, s.ledger.suppliers[b.supplier_id].supplier_name if b.supplier_id in s.ledger.suppliers else None
                )
                for b in s.ledger.bills.values()
            ]
            if matches is None:
                rows = [row for row in rows if row.bill.status in _OUTSTANDING]
            else:
                rows = [row for row in rows if matches(row)]
            page = page_of(rows, token, f"bills/{s.connection.id}/{query}")
            return {
                "results": [views.bill(row.bill, s.ledger) for row in page.results],
                "pagination": _pagination(page.continuation_token),
            }

    def list_suppliers(self, s: Session, token: str | None, query: str | None) -> Json:
        matches = compile_query(query, SUPPLIER_TARGET)
        with self.ledgers.locked():
            chosen = [supplier for supplier in s.ledger.suppliers.values() if matches(supplier)]
            page = page_of(chosen, token, f"suppliers/{s.connection.id}/{query}")
            return {
                "results": [views.supplier(r, s.ledger) for r in page.results],
                "pagination": _pagination(page.continuation_token),
            }

    def list_attachments(self, s: Session, bill_id: str) -> list[Json]:
        with self.ledgers.locked():
            _bill(s.ledger, bill_id)
            return [views.attachment(a) for a in s.ledger.attachments.values() if a.bill_id == bill_id]

    def download_attachment(self, s: Session, bill_id: str, attachment: str) -> Download:
        with self.ledgers.locked():
            _bill(s.ledger, bill_id)
            found = s.ledger.attachments.get(attachment.lower())
            if found is None or found.bill_id != bill_id:
                raise NotFound(f"Attachment {attachment} of bill {bill_id} not found")
            return Download(found.name, found.content_type, found.content)

    # --- writes -------------------------------------------------------------------------------------------

    def create_bill(self, s: Session, body: BillPrototype) -> Json:
        with self.ledgers.locked():
            draft = check_bill(body, s.ledger, s.profile)
            bill = BillRecord(
                self._next_id(s),
                draft.reference,
                draft.supplier_id,
                draft.issue_date,
                draft.due_date,
                draft.currency,
                draft.currency_rate,
                draft.line_items,
                BillStatus.OPEN,
                draft.total_amount,
                draft.total_amount,
                self.store.clock.now(),
            )
            s.ledger.bills[bill.id] = bill
            view = views.bill(bill, s.ledger)
        self._publish(s, EventType.BILLS_WRITE_SUCCESSFUL, "bills", "Create", bill.id)
        return view

    def update_bill(self, s: Session, bill_id: str, body: BillPrototype) -> Json:
        with self.ledgers.locked():
            current = _bill(s.ledger, bill_id)
            draft = check_bill(body, s.ledger, s.profile, replacing=current)
            # Every line is replaced; an Open bill owes its whole (new) total.
            bill = dataclasses.replace(
                current,
                reference=draft.reference,
                supplier_id=draft.supplier_id,
                issue_date=draft.issue_date,
                due_date=draft.due_date,
                currency=draft.currency,
                currency_rate=draft.currency_rate,
                line_items=draft.line_items,
                total_amount=draft.total_amount,
                amount_due=draft.total_amount,
                source_modified=self.store.clock.now(),
            )
            s.ledger.bills[bill.id] = bill
            view = views.bill(bill, s.ledger)
        self._publish(s, EventType.BILLS_WRITE_SUCCESSFUL, "bills", "Update", bill.id)
        return view

    def pay_bill(self, s: Session, bill_id: str, body: BillPaymentPrototype) -> Json:
        with self.ledgers.locked():
            current = _bill(s.ledger, bill_id)
            draft = check_payment(body, current, s.ledger)
            now = self.store.clock.now()
            due = current.amount_due - draft.amount
            status = BillStatus.PAID if due == ZERO else BillStatus.PARTIALLY_PAID
            payment = BillPaymentRecord(
                self._next_id(s), bill_id, draft.amount, draft.date, draft.reference, draft.account_id,
                draft.currency_rate, now,
            )  # fmt: skip
            s.ledger.payments[payment.id] = payment
            s.ledger.bills[bill_id] = dataclasses.replace(current, amount_due=due, status=status, source_modified=now)
            view = views.bill_payment(payment)
        self._publish(s, EventType.BILL_PAYMENTS_WRITE_SUCCESSFUL, "billPayments", "Create", payment.id)
        return view

    def create_supplier(self, s: Session, body: SupplierPrototype) -> Json:
        with self.ledgers.locked():
            draft = check_supplier(body, s.ledger, s.profile)
            supplier = _supplier_record(self._next_id(s), body, draft, self.store.clock.now())
            s.ledger.suppliers[supplier.id] = supplier
            view = views.supplier(supplier, s.ledger)
        self._publish(s, EventType.SUPPLIERS_WRITE_SUCCESSFUL, "suppliers", "Create", supplier.id)
        return view

    def update_supplier(self, s: Session, supplier_id: str, body: SupplierPrototype) -> Json:
        with self.ledgers.locked():
            current = s.ledger.suppliers.get(supplier_id)
            if current is None:
                raise NotFound(f"Supplier {supplier_id} not found")
            draft = check_supplier(body, s.ledger, s.profile, replacing=current)
            now = self.store.clock.now()
            if (
                s.profile.archived_supplier_changes_ignored
                and current.status is SupplierStatus.ARCHIVED
                and draft.status is not SupplierStatus.ACTIVE
            ):
                # QuickBooks Online accepts the update and changes nothing unless it re-activates the supplier.
                supplier = current
            else:
                # A full replace: what the body leaves out is cleared.
                supplier = _supplier_record(current.id, body, draft, now)
                s.ledger.suppliers[supplier.id] = supplier
                if s.profile.bill_currency_follows_supplier:
                    _move_bills_to_supplier_currency(s.ledger, current, supplier, now)
            view = views.supplier(supplier, s.ledger)
        self._publish(s, EventType.SUPPLIERS_WRITE_SUCCESSFUL, "suppliers", "Update", supplier.id)
        return view

    def create_bank_account(self, s: Session, body: BankAccountPrototype) -> Json:
        with self.ledgers.locked():
            currency = check_bank_account(body)
            assert body.name is not None and body.account_type is not None
            account = BankAccountRecord(
                self._next_id(s),
                body.nominal_code,
                body.name,
                body.account_type if body.account_type is not None else BankAccountType.UNKNOWN,
                body.account_number,
                body.sort_code,
                currency,
                RecordStatus.ACTIVE,
                self.store.clock.now(),
            )
            s.ledger.bank_accounts[account.id] = account
            view = views.bank_account(account)
        self._publish(s, EventType.BANK_ACCOUNTS_WRITE_SUCCESSFUL, "bankAccounts", "Create", account.id)
        return view

    def upload_attachment(self, s: Session, bill_id: str, name: str, content_type: str | None, content: bytes) -> Json:
        with self.ledgers.locked():
            _bill(s.ledger, bill_id)
            check_attachment(s.profile, name, content)
            held = self.ledgers.attachment_bytes()
            if held + len(content) > self.max_attachment_bytes:
                raise BadRequest.for_field(
                    "file",
                    f"the emulator holds {held} bytes of attachments and this file ({len(content)} bytes) would pass "
                    f"its limit of {self.max_attachment_bytes} (CODAT_MOCK_PAYABLES_ATTACHMENT_BYTES); reset or "
                    "delete some first",
                    "AttachmentValidator",
                )
            number = s.ledger.next_number
            s.ledger.next_number += 1
            guessed = mimetypes.guess_type(name)[0]
            record = AttachmentRecord(
                attachment_id(s.connection.id, number),
                bill_id,
                name,
                content_type or guessed or "application/octet-stream",
                content,
                self.store.clock.now(),
            )
            s.ledger.attachments[record.id] = record
            view = views.attachment(record)
        self._publish(s, EventType.BILLS_WRITE_SUCCESSFUL, "bills", "UploadAttachment", bill_id, record.id)
        return view

    def seed_ledger(self, tenant: str, company_id: str, connection_id: str, seed: int | None) -> Ledger:
        """Replace the connection's ledger with a freshly seeded one (the control plane's `payables/seed`).

        Any status will do (a ledger can be prepared before linking); the platform must have Bill Pay.
        """
        company = self.store.get_company(tenant, company_id)
        connection = self.store.get_connection(tenant, company_id, connection_id)
        profile = profile_for(connection.integration.key, connection.integration.name)
        ledger = generate_ledger(profile, connection.id, company.name, self.store.clock.now(), seed)
        self.ledgers.put(tenant, connection.id, ledger)
        return ledger


def check_attachment(profile: PlatformProfile, name: str, content: bytes) -> None:
    """The platform's size and type limits for one file (400 naming `file`)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in profile.attachment_types:
        allowed = ", ".join(sorted(profile.attachment_types))
        raise BadRequest.for_field(
            "file",
            f"{profile.name} does not take .{extension or '(none)'} files; it takes {allowed}",
            "AttachmentValidator",
        )
    if not content:
        raise BadRequest.for_field("file", "the file is empty", "AttachmentValidator")
    if len(content) > profile.max_attachment_bytes:
        raise BadRequest.for_field(
            "file",
            f"the file is {len(content)} bytes; {profile.name} takes at most {profile.max_attachment_bytes}",
            "AttachmentValidator",
        )


def _bill(ledger: Ledger, bill_id: str) -> BillRecord:
    found = ledger.bills.get(bill_id)
    if found is None:
        raise NotFound(f"Bill {bill_id} not found")
    return found


def _move_bills_to_supplier_currency(
    ledger: Ledger, before: SupplierRecord, after: SupplierRecord, now: datetime
) -> None:
    """Zoho Books: a supplier's bills are in its currency, so a change of currency moves all of them."""
    old = before.default_currency or ledger.base_currency
    new = after.default_currency or ledger.base_currency
    if old == new:
        return
    for bill in list(ledger.bills.values()):
        if bill.supplier_id == after.id:
            rate = Decimal(1) if new == ledger.base_currency else bill.currency_rate
            ledger.bills[bill.id] = dataclasses.replace(bill, currency=new, currency_rate=rate, source_modified=now)


def _supplier_record(supplier_id: str, body: SupplierPrototype, draft: SupplierDraft, now: datetime) -> SupplierRecord:
    return SupplierRecord(
        supplier_id, draft.supplier_name, draft.contact_name, body.email_address, body.phone, draft.addresses,
        draft.status, draft.default_currency, now,
    )  # fmt: skip


def _status_filter(status_query: str | None) -> Any:
    try:
        return compile_query(status_query if status_query and status_query.strip() else _ACTIVE_ONLY, _OPTION_TARGET)
    except QueryError as exc:
        raise QueryError(exc.message, parameter="statusQuery") from None


def _pagination(token: str | None) -> Json:
    return {"continuationToken": token} if token is not None else {}
