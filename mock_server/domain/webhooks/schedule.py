"""When a failed delivery is tried again: Codat's published schedule, scaled for tests.

Codat (through its delivery service) makes the first attempt at once and, after each failure, waits
5 seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours and another 10 hours: eight attempts over
about 28 hours. `scale` multiplies every wait, so a test with scale 0.001 sees the whole schedule in
about 100 seconds and the first retries within milliseconds.
"""

from __future__ import annotations

# Seconds to wait before attempt n (0-based): attempt 0 goes at once, attempt n after the (n-1)th failed.
RETRY_DELAYS: tuple[float, ...] = (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS)


def delay_before(attempt: int, scale: float) -> float | None:
    """Seconds to wait before 0-based `attempt`, or None when the schedule has no such attempt (give up)."""
    if attempt < 0:
        raise ValueError("attempt numbers start at 0")
    if attempt >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[attempt] * scale
