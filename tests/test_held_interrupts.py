"""Ctrl-C held over a publish (sufficiency.io.interrupts), with real SIGINTs."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from sufficiency.io.interrupts import held, outlasting


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_in_a_hold_is_raised_when_the_hold_ends() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), held():
        _ctrl_c()
        done.append("rest of the publish")
    assert done == ["rest of the publish"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_hold_without_ctrl_c_ends_quietly() -> None:
    with held():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_inside_outlasting_the_hold_lasts_until_outlasting_ends() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), outlasting():
        with held():
            _ctrl_c()
        done.append("the report")
    assert done == ["the report"]


def test_the_blocks_own_error_is_not_replaced_by_the_held_ctrl_c() -> None:
    with pytest.raises(ValueError), held():
        _ctrl_c()
        raise ValueError("the publish failed")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_outside_the_main_thread_nothing_is_held() -> None:
    seen: list[object] = []

    def run() -> None:
        with held():
            seen.append(signal.getsignal(signal.SIGINT))

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert seen == [signal.default_int_handler]
