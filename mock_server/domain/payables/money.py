"""Money as Decimal: amounts are kept exact, rounded to the cent only where a ledger would round them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def cents(amount: Decimal) -> Decimal:
    """`amount` rounded half-up to two decimal places (how the seeded ledgers compute tax)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_json_number(amount: Decimal) -> int | float:
    """A Decimal as a JSON number: integral values as int, others as the nearest float.

    Amounts in a ledger have at most a few decimal places, which a float's shortest repr keeps exactly.
    """
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def from_json_number(value: int | float | Decimal) -> Decimal:
    """A JSON number as a Decimal, through its shortest text form so 0.1 stays 0.1 (not 0.1000000000000000055…)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
