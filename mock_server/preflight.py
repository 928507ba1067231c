"""Checks `codat-mock serve` makes before it starts, so a mistake costs one clear line instead of a start-up
log followed by uvicorn's bind error.

The check binds the address and lets it go again: a port taken in between still fails in uvicorn, but the
common cases (another emulator still running, a typo in `--host`) are reported plainly, with exit status 2
like every other bad setting.
"""

from __future__ import annotations

import errno
import socket
import sys
from typing import NoReturn

__all__ = ["bind_problem", "exit_unless_bindable"]


def bind_problem(host: str, port: int) -> str | None:
    """None when `host`:`port` can be listened on now; otherwise one line saying why not and what to do."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot listen on {host!r}: the name does not resolve ({exc}); choose another with --host"
    unavailable: OSError | None = None
    bound = 0
    for family, kind, proto, _, address in addresses:
        try:
            with socket.socket(family, kind, proto) as probe:
                # As asyncio's create_server (under uvicorn) does: SO_REUSEADDR lets a port in TIME_WAIT be
                # reused, but not one being listened on; IPv6 sockets are IPv6-only.
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(address)
                bound += 1
        except OSError as exc:
            if exc.errno != errno.EADDRNOTAVAIL:
                return _describe(exc, host, port)
            # asyncio skips an address whose family is not enabled (`localhost` as ::1 without IPv6).
            unavailable = exc
    if unavailable is not None and not bound:
        return _describe(unavailable, host, port)
    return None


def _describe(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use; choose another with --port, or --port 0 for a free one"
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"cannot listen on {host}: it is not an address of this machine; choose another with --host "
            "(127.0.0.1 for this machine only, 0.0.0.0 for every interface)"
        )
    if exc.errno == errno.EACCES:
        return (
            f"not allowed to listen on port {port} on {host} (ports below 1024 need privileges); "
            "choose another with --port, or --port 0 for a free one"
        )
    return f"cannot listen on port {port} on {host}: {exc.strerror or exc}; choose another --host or --port"


def exit_unless_bindable(host: str, port: int) -> None:
    """Exit with status 2 and one line on stderr when `host`:`port` cannot be listened on."""
    problem = bind_problem(host, port)
    if problem is not None:
        _exit(problem)


def _exit(problem: str) -> NoReturn:
    sys.stderr.write(f"codat-mock: {problem}\n")
    raise SystemExit(2)
