"""Members' histories that share children: found before any member's forecast runs.

The members file refuses a history given twice as the same folder (or one inside
another), but not a copy of it elsewhere: the same files under another code, or a
partial copy, one council's returns given under two codes with a year fewer, the same
children exported again on another day (rows in another order, a column more, another
format), a council's export put in another's folder. The region's totals would add
those children twice, silently.

Each member's history is read once (:func:`read_member`, one Dask task a member, whose
result the member's forecast and spend tasks then use instead of reading it again), and
each child is keyed by its CHILD, date of birth and an episode's start date
(:func:`child_keys`, 64-bit hashes: the client never holds a child's ID or date of
birth). A child is shared by two members when both hold it with the same CHILD and
date of birth and at least one episode starting on the same day. Child IDs are each
council's own, so two councils can both have a child 123456; with the date of birth and
an episode's start too, chance leaves far fewer than one such child between two
councils of 2,500 children (docs/region.md, "Members sharing children", works it out):

- a member sharing more than half of its children with another is refused
  (:data:`REFUSE_SHARE`), naming both and how many they share; a member whose history is
  the same files as another's (a byte-for-byte copy, however its files are named: each
  read task hashes its member's files, :func:`history_files`, and returns the digest) is
  refused saying so, whether or not its children could be read;
- two members sharing :data:`WARN_AT` children or more are warned of (the console, the
  report's *Read with care*), with the counts only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency.io.atomic import sha256_file
from sufficiency.io.history import SSDA903History
from sufficiency.region.members import Member
from sufficiency.region.told import told

#: Children two members share from which the region warns (chance gives well under one).
WARN_AT = 3
#: Share of a member's children held by another member from which it is refused.
REFUSE_SHARE = 0.5


@dataclass(frozen=True, eq=False)
class MemberRead:
    """A member's history as read once for the run, with the data warnings reading gave;
    ``history`` is ``None`` when it could not be read (the member's own task then says
    why, as it always has)."""

    history: SSDA903History | None
    notes: tuple[str, ...] = ()
    #: The history's files' digest (:func:`history_files`), "" when they cannot be read.
    files: str = ""


@dataclass(frozen=True)
class ChildKeys:
    """A member's children as hashes: ``children`` of (CHILD, DOB) and ``starts`` of
    (CHILD, DOB, an episode's DECOM), each start's child at the same place in
    ``owners``."""

    children: np.ndarray
    starts: np.ndarray
    owners: np.ndarray
    #: The history's files' digest (:func:`history_files`): the same for a copy.
    files: str = ""


@dataclass(frozen=True)
class Shared:
    """Two members (numbers in the members file, ``first`` the earlier) sharing
    ``children`` children, of ``first_children`` and ``second_children``."""

    first: Member
    second: Member
    first_number: int
    second_number: int
    children: int
    first_children: int
    second_children: int
    #: The two histories are the same files (a copy, however its files are named).
    same_files: bool = False

    @property
    def refused(self) -> bool:
        """The same files, or more than half of either member's children the other's too."""
        most = max(self.children / max(n, 1) for n in (self.first_children, self.second_children))
        return self.same_files or (self.children >= WARN_AT and most > REFUSE_SHARE)

    def _share(self, n: int) -> str:
        share = f"{self.children / max(n, 1):.0%}"
        return f"{self.children:,} of the {n:,} children in its history ({share})"

    @property
    def said_of(self) -> int:
        """The number of the member :meth:`problem` is said of."""
        if self.same_files or self.first_children >= self.second_children:
            return self.second_number
        return self.first_number

    def problem(self) -> str:
        """The members file's problem, said of the member most of whose children are the
        other's (the later of two alike): both members, how many children they share.
        Of a copy, the later member's history is said to be the earlier's files."""
        if self.same_files:
            return self._copy()
        first = (f"member {self.first_number} ({self.first.name})", self.first_children)
        second = (f"member {self.second_number} ({self.second.name})", self.second_children)
        (who, n), (other, _) = (
            (first, second) if self.first_children < self.second_children else (second, first)
        )
        return (
            f"{who}: history: shares {self._share(n)} with {other}'s history (the same "
            "child ID, date of birth and an episode's start date): the same children would "
            "be counted twice in the region's totals. Give each authority's own history once "
            "(a council's export in another's folder, or its returns given under two codes?)"
        )

    def _copy(self) -> str:
        b = self.second
        given = b.shown(b.history)
        a = f"member {self.first_number}"
        children = (f"; all {self.children:,} children in it are {a}'s too"
                    if self.children else "")  # fmt: skip
        return (
            f"member {self.second_number} ({b.name}): history: '{given}' holds the same "
            f"files as {a} ({self.first.name})'s history (a copy of it, however its files "
            f"are named{children}): the same children would be counted twice in the "
            "region's totals. Give each authority's history once"
        )

    def warning(self) -> str:
        """The warning, said under the later member: counts only, never an ID."""
        a = self.first
        return (
            f"{self.children:,} of the {self.second_children:,} children in its history are "
            f"also in {a.name} ({a.code})'s ({self.children:,} of its {self.first_children:,}"
            "), with the same child ID, date of birth and an episode's start date: they are "
            "counted in both members' figures and twice in the region's totals. Child IDs "
            f"are each council's own, but chance gives fewer than {WARN_AT}; check that no "
            "export of one is in the other's folder"
        )


def history_files(history: Path) -> str:
    """A digest of the SHA-256 of every file of a history (a folder's, or one XML return),
    sorted: the same for a copy, whatever its files are named; "" when a file cannot be
    read (its member's forecast says which) or there is none. Computed by the member's
    read task, on the worker: the client is given the digest alone."""
    files = [history] if history.is_file() else [p for p in history.rglob("*") if p.is_file()]
    try:
        each = sorted(sha256_file(p) for p in files)
    except OSError:
        return ""
    return hashlib.sha256("\n".join(each).encode()).hexdigest() if each else ""


def no_keys(files: str = "") -> ChildKeys:
    """A member with no children to compare (its history not read)."""
    empty = np.empty(0, dtype=np.uint64)
    return ChildKeys(empty, empty, empty, files)


@told
def child_keys(read: MemberRead) -> ChildKeys:
    """A member's children and their episodes' start dates as hashes (a Dask task)."""
    h = read.history
    if h is None:
        return no_keys(read.files)
    head = h.header[["CHILD", "DOB"]].dropna().drop_duplicates()
    head = head.assign(CHILD=head["CHILD"].astype(str), DOB=pd.to_datetime(head["DOB"]))
    ep = h.episodes[["CHILD", "DECOM"]].dropna()
    ep = ep.assign(CHILD=ep["CHILD"].astype(str), DECOM=pd.to_datetime(ep["DECOM"]))
    starts = ep.merge(head, on="CHILD").drop_duplicates()
    children = pd.util.hash_pandas_object(head[["CHILD", "DOB"]], index=False).to_numpy()
    owners = pd.util.hash_pandas_object(starts[["CHILD", "DOB"]], index=False).to_numpy()
    keys = pd.util.hash_pandas_object(starts[["CHILD", "DOB", "DECOM"]], index=False).to_numpy()
    return ChildKeys(np.unique(children), keys, owners, read.files)


def shared_children(members: Sequence[Member], keys: Sequence[ChildKeys]) -> list[Shared]:
    """Every two members sharing :data:`WARN_AT` children or more, or whose histories are
    the same files, in members-file order.

    Only the start keys two members or more hold are paired (one sort of every member's
    keys), so 152 members take about as long as reading their keys."""
    frames = []
    for i, k in enumerate(keys):
        starts, first = np.unique(k.starts, return_index=True)
        frames.append(pd.DataFrame({"key": starts, "owner": k.owners[first], "member": i}))
    if not frames:
        return []
    every = pd.concat(frames, ignore_index=True)
    held = every[every["key"].duplicated(keep=False)]
    pairs = held.merge(held[["key", "member"]], on="key", suffixes=("", "_other"))
    pairs = pairs[pairs["member"] < pairs["member_other"]]
    counts = {k: int(n) for k, n in
              pairs.groupby(["member", "member_other"])["owner"].nunique().items()}  # fmt: skip
    # a copy of an earlier member's files is said as that, paired with the first member
    # with those files (two copies of one are each said once, of the first, not together)
    firsts: dict[str, int] = {}
    copies = {(firsts.setdefault(k.files, j), j) for j, k in enumerate(keys) if k.files}
    copies = {(i, j) for i, j in copies if i != j}

    def alike(i: int, j: int) -> bool:
        return bool(keys[i].files) and keys[i].files == keys[j].files

    return [
        Shared(members[i], members[j], i + 1, j + 1, counts.get((i, j), 0),
               len(keys[i].children), len(keys[j].children), same_files=(i, j) in copies)
        for i, j in sorted(set(counts) | copies)
        if (i, j) in copies or (counts[i, j] >= WARN_AT and not alike(i, j))
    ]  # fmt: skip
