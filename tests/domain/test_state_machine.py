from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.enums import ConnectionEvent as E
from mock_server.domain.enums import ConnectionStatus as S
from mock_server.domain.errors import InvalidTransition
from mock_server.domain.state_machine import transition

# The table from DESIGN.md, written out independently of the implementation's TRANSITIONS mapping.
# None = refused with a 400.
EXPECTED: dict[tuple[S, E], S | None] = {
    (S.PENDING_AUTH, E.AUTHORIZE): S.LINKED,
    (S.PENDING_AUTH, E.FAIL): S.PENDING_AUTH,
    (S.PENDING_AUTH, E.UNLINK): None,
    (S.PENDING_AUTH, E.DEAUTHORIZE): None,
    (S.LINKED, E.AUTHORIZE): S.LINKED,
    (S.LINKED, E.FAIL): S.LINKED,
    (S.LINKED, E.UNLINK): S.UNLINKED,
    (S.LINKED, E.DEAUTHORIZE): S.DEAUTHORIZED,
    (S.UNLINKED, E.AUTHORIZE): S.LINKED,
    (S.UNLINKED, E.FAIL): S.UNLINKED,
    (S.UNLINKED, E.UNLINK): None,
    (S.UNLINKED, E.DEAUTHORIZE): None,
    (S.DEAUTHORIZED, E.AUTHORIZE): S.LINKED,
    (S.DEAUTHORIZED, E.FAIL): S.DEAUTHORIZED,
    (S.DEAUTHORIZED, E.UNLINK): None,
    (S.DEAUTHORIZED, E.DEAUTHORIZE): None,
}


def test_the_table_covers_every_pair() -> None:
    assert set(EXPECTED) == set(itertools.product(S, E))


@pytest.mark.parametrize(("status", "event"), sorted(EXPECTED, key=str))
def test_every_status_and_event(status: S, event: E) -> None:
    expected = EXPECTED[(status, event)]
    if expected is None:
        with pytest.raises(InvalidTransition) as raised:
            transition(status, event)
        assert raised.value.status_code == 400
        assert status.value in raised.value.message
        assert raised.value.status == status.value
    else:
        assert transition(status, event) is expected


def test_unlink_refusal_uses_codats_wording() -> None:
    with pytest.raises(InvalidTransition, match="Only Linked data connections can be unlinked; this connection is"):
        transition(S.PENDING_AUTH, E.UNLINK)


@given(st.lists(st.sampled_from(list(E)), max_size=30))
def test_disconnected_states_are_entered_only_from_linked(events: list[E]) -> None:
    status = S.PENDING_AUTH
    for event in events:
        try:
            after = transition(status, event)
        except InvalidTransition:
            assert EXPECTED[(status, event)] is None
            continue
        if after in (S.UNLINKED, S.DEAUTHORIZED) and after is not status:
            assert status is S.LINKED
        if after is S.PENDING_AUTH:
            # Once a connection has left PendingAuth it never returns there.
            assert status is S.PENDING_AUTH
        status = after


@given(st.sampled_from(list(S)))
def test_authorize_always_ends_linked(status: S) -> None:
    assert transition(status, E.AUTHORIZE) is S.LINKED


@given(st.sampled_from(list(S)))
def test_fail_never_changes_the_status(status: S) -> None:
    assert transition(status, E.FAIL) is status
