"""Warnings a region's tasks give, said on the client as the other commands say them.

A task runs on a Dask worker, in another process (or on another machine), whose warning
filters are not the caller's: a warning given there was printed on the worker's standard
error in Python's form, or, inside a task's record of its data warnings, dropped, and a
library's ``FutureWarning`` was ignored outright. Each task is run under :func:`told`:
a note on the data (:class:`~sufficiency.errors.DataWarning`) stays where the task keeps
it (a member's warnings, said in *Read with care*), and every other warning (a library's
``FutureWarning``, one of ours) is sent to the client as a Dask event (its kind, its
message and the line that gave it), and :func:`said_on_client` gives
each once there, under the caller's filters and inside
:func:`~sufficiency.errors.notes_not_errors`, as ``sufficiency forecast`` gives its own.
Outside a worker (a task called in the caller's process) a warning is given at once.
"""

from __future__ import annotations

import functools
import pickle
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sufficiency.errors import RepairWarning

#: The Dask event topic a task's warnings reach the client on.
TOPIC = "sufficiency-region-warnings"

F = TypeVar("F", bound=Callable[..., Any])


def told(func: F) -> F:
    """``func`` (a task) with the warnings it gives said to the client (see above)."""

    @functools.wraps(func)
    def task(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = func(*args, **kwargs)
        for w in once(caught):
            tell(w)
        return out

    return task  # type: ignore[return-value]


def once(caught: Iterable[warnings.WarningMessage]) -> list[warnings.WarningMessage]:
    """Each warning once (the same kind, words and line), in the order first given: one
    given on every path of a forecast is sent once, not a thousand times."""
    seen: dict[tuple[Any, ...], warnings.WarningMessage] = {}
    for w in caught:
        seen.setdefault((w.category, str(w.message), w.filename, w.lineno), w)
    return list(seen.values())


def tell(w: warnings.WarningMessage) -> None:
    """Say one warning a task gave: to the client from a worker, else here. The Python
    API's note of a history's repairs (a Python call for a hint) is left out: the region
    says each member's data quality itself."""
    if issubclass(w.category, RepairWarning):
        return
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):  # not on a worker: the caller's own process
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return
    worker.log_event(TOPIC, {
        "key": str(worker.get_current_task()), "category": pickle.dumps(w.category),
        "message": str(w.message), "filename": str(w.filename), "lineno": int(w.lineno),
    })  # fmt: skip


@contextmanager
def listening(client: Any) -> Iterator[list[dict[str, Any]]]:
    """The warnings the tasks send while the block runs (collected on the client)."""
    heard: list[dict[str, Any]] = []
    client.subscribe_topic(TOPIC, lambda event: heard.append(event[1]))
    try:
        yield heard
    finally:
        client.unsubscribe_topic(TOPIC)


def said_on_client(heard: Iterable[dict[str, Any]], keys: Iterable[str]) -> None:
    """Give each warning heard from this run's tasks (``keys``; another client's run on a
    shared cluster says its own) once, under the caller's filters, at the line that gave
    it, as the warning would have been given in the caller's process."""
    ours = set(keys)
    seen: set[tuple[Any, ...]] = set()
    for event in heard:
        if event.get("key") not in ours:
            continue
        message, filename, lineno = event["message"], event["filename"], event["lineno"]
        try:
            category = pickle.loads(event["category"])
        except Exception:  # a kind of warning this process cannot import
            category = UserWarning
        if (category, message, filename, lineno) in seen:
            continue
        seen.add((category, message, filename, lineno))
        warnings.warn_explicit(message, category, filename, lineno)
