"""The date-times Bill Pay bodies carry: ISO 8601, with or without a zone, or a plain date.

Codat's examples write `2023-04-23T00:00:00`, `2022-10-23T00:00:00Z` and `2022-10-23`; each is kept in the
form it came in (naive stays naive) and rendered back the same way, a plain date as midnight.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..timestamps import format_timestamp

DATE_RULE = "must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T00:00:00Z"


def parse_date(text: str) -> datetime | None:
    """The date-time `text` names, or None when it is not one."""
    candidate = text.strip()
    if not 10 <= len(candidate) <= 40 or not candidate[:4].isdigit():
        return None
    try:
        # 3.11's fromisoformat takes plain dates, `T` or space, fractions, `Z` and offsets.
        moment = datetime.fromisoformat(candidate.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        try:
            moment.astimezone(UTC)
        except OverflowError:
            return None
    return moment


def render_date(moment: datetime) -> str:
    """Naive as `YYYY-MM-DDTHH:MM:SS` (Codat's own form for dates without a zone); aware as a UTC timestamp."""
    if moment.tzinfo is None:
        return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}"
    return format_timestamp(moment)


def calendar_key(moment: datetime) -> datetime:
    """Comparable form of a naive or aware date: its wall-clock reading, zone dropped."""
    return moment.replace(tzinfo=None)
