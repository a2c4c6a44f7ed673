"""shuzhi.publish.collector.paused: the exports pause garbage collection and always give it back."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from shuzhi.match.ledger_command import load_ledger
from shuzhi.publish.collector import paused
from shuzhi.publish.ledger_export import ledger_rows, to_xlsx

YEARS = Path(__file__).parent / "fixtures" / "ledger-years"


def test_paused_restores_the_collector_also_on_errors_and_when_nested() -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it as it found it
    assert gc.isenabled()
    with pytest.raises(KeyError), paused():
        {}["missing"]
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_export_that_fails_gives_the_collector_back() -> None:
    rows = ledger_rows(load_ledger([YEARS / "reports"], YEARS))
    assert to_xlsx(rows)
    assert gc.isenabled()
    with pytest.raises(IndexError):
        to_xlsx(rows, links=["../a.html#P1"])  # fewer links than rows
    assert gc.isenabled()
