"""Codat's timestamp format: UTC, seven fractional digits, `Z` (as .NET renders a DateTime)."""

from __future__ import annotations

from datetime import UTC, datetime


def format_timestamp(moment: datetime) -> str:
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    # Python keeps microseconds; .NET ticks are 100 ns, hence the trailing zero.
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0Z"
