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

import operator
from typing import Any, Generic, TypeVar, overload

import numpy as np

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
    place in a notebook cannot flow silently into the result's summaries and files."""

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray) and value.flags.writeable:
                view = value.view()
                view.flags.writeable = False
                object.__setattr__(self, name, view)
