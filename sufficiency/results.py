"""What the jobs' frozen result types share.

A result keeps the report it was built from and shows its tables as attributes;
:class:`Delegated` is such an attribute, read from the report and typed (the class's
docstring documents it under Attributes, as it does the fields)::

    @dataclass(frozen=True)
    class SpendResult:
        report: SpendReport

        monthly = Delegated[pd.DataFrame]("report.monthly")
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import operator
from collections.abc import Mapping
from pathlib import PurePath
from types import MappingProxyType
from typing import Any, Generic, TypeVar, dataclass_transform, overload

import numpy as np
import pandas as pd

T = TypeVar("T")


class Delegated(Generic[T]):
    """An attribute whose value is ``obj.<path>`` (a dotted path); read-only because the
    results that use it are frozen dataclasses."""

    def __init__(self, path: str) -> None:
        self._get = operator.attrgetter(path)
        self.__doc__ = f"``{path}`` (see the class's Attributes)."

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Delegated[T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        return self if obj is None else self._get(obj)


class ReadOnlyArrays:
    """A base for frozen result dataclasses: once built, every NumPy array attribute is
    a read-only view (the caller's own array stays writeable), so a figure changed in
    place in a notebook cannot flow silently into the result's summaries and files. So
    once unpickled (Dask, a notebook's cache): NumPy unpickles every array writeable."""

    def __post_init__(self) -> None:
        self._read_only()

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self._read_only()

    def _read_only(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray) and value.flags.writeable:
                view = value.view()
                view.flags.writeable = False
                object.__setattr__(self, name, view)


class BriefRepr:
    """A base for result dataclasses (declared with ``repr=False``) whose ``repr``, what a
    notebook shows of a result left as a cell's last line, is a few readable lines: the
    headline where the result has one, then each field and table attribute in brief (a
    table's size, an array's shape, a count of items, another result's class), never a
    table's rows. The dataclass ``repr`` printed every table: a matching run's 268 lines
    showed the referrals' dates of birth, a forecast's 24,000 characters its arrays."""

    def __repr__(self) -> str:
        lines = [f"    {name}={brief(value)}," for name, value in _shown(self)]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


def _shown(obj: object) -> list[tuple[str, object]]:
    """``obj``'s headline (if it has one), fields and :class:`Delegated` attributes."""
    shown: list[tuple[str, object]] = []
    if isinstance(getattr(type(obj), "headline", None), property):
        shown.append(("headline", obj.headline))  # type: ignore[attr-defined]
    shown += [(f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)  # type: ignore[arg-type]
              if f.repr and not f.name.startswith("_")]  # fmt: skip
    shown += [(name, getattr(obj, name)) for klass in reversed(type(obj).__mro__)
              for name, value in vars(klass).items() if isinstance(value, Delegated)]  # fmt: skip
    return shown


#: The longest text shown whole in a brief ``repr`` (a headline); longer is cut with '…'.
TEXT_SHOWN = 160


def brief(value: object) -> str:
    """``value`` in a few characters, saying nothing a table holds (a child's details)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | int | float | enum.Enum | dt.date | PurePath):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= TEXT_SHOWN else value[: TEXT_SHOWN - 1] + "…")
    if isinstance(value, pd.DataFrame):
        rows, columns = value.shape
        return f"<table: {rows:,} row{'s' * (rows != 1)} × {columns} column{'s' * (columns != 1)}>"
    if isinstance(value, pd.Series | pd.Index):
        return f"<{type(value).__name__}: {len(value):,} values>"
    if isinstance(value, np.ndarray):
        return f"<array: shape {value.shape}, {value.dtype}>"
    if isinstance(value, tuple | list | Mapping | set | frozenset):
        return f"<{len(value):,} item{'s' * (len(value) != 1)}>"
    return f"<{type(value).__name__}>"


#: pandas 3 copies on write: a shallow copy costs nothing and a change to it changes it
#: alone. Before, only a deep copy keeps the result's table as it was.
_LAZY_COPIES = int(pd.__version__.split(".")[0]) >= 3


class _TableCopy:
    """A table attribute read as a copy (see :func:`tables_copied`); the instance keeps
    its own under the same name, which this data descriptor hides."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        table = vars(obj)[self._name]
        return None if table is None else table.copy(deep=not _LAZY_COPIES)

    def __set__(self, obj: object, value: object) -> None:
        vars(obj)[self._name] = value  # once, by __init__: the dataclasses are frozen


def _frozen(value: Any) -> Any:
    """``value`` with each list in it a tuple (kept as a dict, which pickles; see
    :class:`_ReadOnly`)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, Mapping):
        return {k: _frozen(v) for k, v in value.items()}
    return value


def _read_only(value: Any) -> Any:
    """``value`` with each dict in it a read-only view."""
    if isinstance(value, tuple):
        return tuple(_read_only(v) for v in value)
    if isinstance(value, dict):
        return MappingProxyType({k: _read_only(v) for k, v in value.items()})
    return value


class _ReadOnly:
    """A list or dict attribute kept frozen (see :func:`tables_copied`): a list is kept
    as a tuple, a dict read as a read-only view of its own."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return _read_only(vars(obj)[self._name])

    def __set__(self, obj: object, value: object) -> None:
        vars(obj)[self._name] = _frozen(value)  # once, by __init__: the dataclasses are frozen


C = TypeVar("C", bound=type)
R = TypeVar("R")


def tables_copied(cls: C) -> C:
    """A frozen dataclass whose ``pd.DataFrame`` fields read as copies (put above
    ``@dataclass``). Freezing stops ``report.demand = ...`` but not a change in place:
    ``report.demand.loc[0, "mean"] = 0`` in a notebook changed the result's own table, and
    so its figures and every file its ``write()`` wrote after, without a word. Read as a
    copy, a table changed in a notebook is the notebook's alone. A list or dict field
    (a spend report's ``assumptions`` and ``reconciliation``) is kept frozen, as a tuple
    or a read-only view: changed in place, it too changed what ``write()`` wrote. The
    dataclass compares by identity (``eq=False``): comparing its fields would compare
    copies of tables."""
    if cls.__dataclass_params__.eq:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: a dataclass with tables copied needs eq=False")
    for f in dataclasses.fields(cls):
        if "DataFrame" in str(f.type):
            setattr(cls, f.name, _TableCopy(f.name))
        elif str(f.type).startswith(("list[", "dict[", "Mapping[", "Sequence[")):
            setattr(cls, f.name, _ReadOnly(f.name))
    return cls


@dataclass_transform(frozen_default=True, eq_default=False, field_specifiers=(dataclasses.field,))
def result_dataclass(cls: type[R]) -> type[R]:
    """A result class (a subclass of :class:`BriefRepr`): a frozen dataclass compared by
    identity, whose ``repr`` is :class:`BriefRepr`'s and whose tables read as copies
    (:func:`tables_copied`)."""
    return tables_copied(dataclasses.dataclass(frozen=True, eq=False, repr=False)(cls))
