"""An independent recount of a 903 history, for auditing what the forecast reports.

Written from the raw strings of per-year CSV returns (``<YYYY>/header.csv`` and
``<YYYY>/episodes.csv``, dates DD/MM/YYYY, the year the collection ends) in plain
Python and pandas, deliberately simple, and importing nothing from ``sufficiency``:
it shares no code with the reader (:mod:`sufficiency.io.reconcile`) or the spells
(:mod:`sufficiency.forecast.states`) it checks.

The 903 rules it follows:

- **A child in two returns is one child**; their date of birth is the latest
  return's.
- **The latest return's version of an episode wins.** An episode (a child's start
  date) in several returns is its latest return's copy. Going back from a child's
  latest return, an earlier return keeps only what lies before the earliest episode
  the later ones hold: an episode ending by then is kept; one overlapping it is cut to
  end when it begins (the child moved then), unless it is the same placement (type,
  provider and placement postcode where both give one) and the later start falls in
  the earlier return's own year (a revised start date: the same episode, dropped); one
  starting on or after it is dropped. An episode
  ending ``X1`` (a new one starts the same day) whose successor was dropped ends when
  the kept later one begins: the care continues.
- **An episode continues across returns**: the same episode in two returns (open at
  the end of one, in the next) is one episode, not an exit and a start.
- **An episode open at the end of a return whose child is in no later return's care
  on that return's next day** is closed on the first day of the next return held:
  the return that holds it is the authority for its own year, which says the child
  was looked after on its 31 March (DfE's count that year), and the next one says
  they were not looked after from its first day. Across a missing year, it is closed
  on the missing year's last day (the child left some time in it; unknown).
- **Periods of care**: a run of episodes each starting the day the previous ended.
  A period beginning on or after the first day of the earliest return is a *start*;
  its end (the last episode's DEC) is a *cease*.
- **Looked after on a day**: an episode started on or before it and not ended by it,
  no short break (LS V3/V4), the child under 18 that day; each child once.
- **Categories** from PLACE and PLACE_PROVIDER as docs/forecast.md's table;
  a temporary placement (T0-T4) counts in the placement before it in the period
  (``other`` if the period begins with one).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SHORT_BREAKS = {"V3", "V4"}
TEMPORARY = {"T0", "T1", "T2", "T3", "T4"}
CATEGORIES = (
    "kinship_foster", "in_house_foster", "ifa_foster", "in_house_residential",
    "external_residential", "secure", "supported", "with_parents",
    "placed_for_adoption", "other",
)  # fmt: skip
AGE_BANDS = ("under 1", "1-4", "5-9", "10-15", "16-17")


def category(place: str, provider: str) -> str:
    """docs/forecast.md's category of a placement type and provider ('' if temporary)."""
    place, external = place.upper(), provider.upper() in {"PR4", "PR5"}
    if place in TEMPORARY:
        return ""
    if place in {"U1", "U2", "U3"}:
        return "kinship_foster"
    if place in {"U4", "U5", "U6"}:
        return "ifa_foster" if external else "in_house_foster"
    if place in {"K2", "R1"}:
        return "external_residential" if external else "in_house_residential"
    if place == "S1" and external:
        return "external_residential"
    if place == "K1":
        return "secure"
    if place in {"H5", "K3", "P2"}:
        return "supported"
    if place == "P1":
        return "with_parents"
    if place in {"A3", "A4", "A5", "A6"}:
        return "placed_for_adoption"
    return "other"


def _day(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    d, m, y = text.split("/")
    return date(int(y), int(m), int(d))


def year_start(year: int) -> date:
    return date(year - 1, 4, 1)


def year_end(year: int) -> date:
    return date(year, 3, 31)


def collection_year(day: date) -> int:
    """The collection year (by the year it ends) holding ``day``."""
    return day.year + (day.month >= 4)


def age_years(born: date, on: date) -> int:
    """Completed years of age on ``on`` (a 29 February birthday is 1 March)."""
    before = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - before


def age_band(years: int) -> str:
    return AGE_BANDS[sum(years >= lo for lo in (1, 5, 10, 16))]


@dataclass
class Episode:
    child: str
    start: date
    end: date | None
    rne: str
    ls: str
    place: str
    provider: str
    rec: str
    year: int  # the return it came from
    post: str = ""
    urn: str = ""


def _meets(a: Episode, b: Episode) -> bool:
    """Whether ``b`` carries on ``a``'s period of care: it starts the day ``a`` ends, and
    not as a new start (RNE S) after ``a`` ended with the child leaving care (an E code)."""
    left_and_back = a.rec.upper().startswith("E") and b.rne.upper() == "S"
    return b.start == a.end and not left_and_back


@dataclass
class Recount:
    """The recount: episodes as reconciled, dates of birth, and the years held."""

    episodes: dict[str, list[Episode]]
    dob: dict[str, date]
    years: tuple[int, ...]
    data_end: date
    closed_absent: list[str] = field(default_factory=list)
    _periods: list[tuple[str, date, date | None]] | None = field(default=None, repr=False)

    @property
    def data_start(self) -> date:
        return year_start(self.years[0])

    def missing_years(self) -> list[int]:
        return [y for y in range(self.years[0], self.years[-1] + 1) if y not in self.years]

    def looked_after(self, on: date) -> dict[str, tuple[str, str]]:
        """Each child looked after on ``on``: (category, age band)."""
        out: dict[str, tuple[str, str]] = {}
        for child, eps in self.episodes.items():
            born = self.dob.get(child)
            if born is None or age_years(born, on) >= 18:
                continue
            usual = "other"
            for i, e in enumerate(eps):
                if i == 0 or e.start != eps[i - 1].end:
                    usual = "other"  # a new period of care
                cat = category(e.place, e.provider)
                usual = cat or usual
                if e.start <= on and (e.end is None or e.end > on):
                    out[child] = (usual, age_band(age_years(born, on)))
        return out

    def stock(self, on: date) -> dict[str, int]:
        """Children looked after on ``on`` by category, with ``all``."""
        counts = dict.fromkeys(CATEGORIES, 0)
        for cat, _band in self.looked_after(on).values():
            counts[cat] += 1
        counts["all"] = sum(counts[c] for c in CATEGORIES)
        return counts

    def periods(self) -> list[tuple[str, date, date | None]]:
        """Each period of care: child, first day, last day (None while open)."""
        if self._periods is not None:
            return self._periods
        out = []
        for child, eps in self.episodes.items():
            first = eps[0].start
            for i, e in enumerate(eps):
                if i + 1 == len(eps) or not _meets(e, eps[i + 1]):
                    out.append((child, first, e.end))
                    if i + 1 < len(eps):
                        first = eps[i + 1].start
        self._periods = out
        return out

    def placement_starts(self, year: int) -> int:
        """Placements begun in a collection year, as docs/forecast.md defines them: each
        entry, each move to another category, and each new placement with new carers
        (RNE P or B) in the same category; not a temporary placement (T0-T4), nor the
        return from one to the same placement, nor the same setting recoded (same
        placement postcode, no different URN)."""
        lo, hi = year_start(year), year_end(year)
        n = 0
        for eps in self.episodes.values():
            usual_cat, usual = "other", None
            for i, e in enumerate(eps):
                cat = category(e.place, e.provider)
                here = (e.place.upper(), e.post, e.urn)
                if i == 0 or not _meets(eps[i - 1], e):  # a new period of care
                    started = True
                    usual_cat, usual = cat or "other", None if not cat else here
                else:
                    prev = eps[i - 1]
                    back = not category(prev.place, prev.provider) and here == usual
                    same_setting = (
                        e.post != "" and e.post == prev.post
                        and (e.urn == prev.urn or "" in (e.urn, prev.urn))
                    )  # fmt: skip
                    new_carers = e.rne.upper() in {"P", "B"} and not same_setting
                    started = bool(cat) and (cat != usual_cat or (new_carers and not back))
                    if cat:
                        usual_cat, usual = cat, here
                if started and lo <= e.start <= hi and e.start >= self.data_start:
                    n += 1
        return n

    def flows(self, year: int) -> dict[str, int]:
        """Starts and ceases of periods of care in a collection year; ``ceased_under_18``
        leaves out those ending on or after the child's 18th birthday."""
        lo, hi = year_start(year), year_end(year)
        starts = ceased = young = 0
        for child, first, last in self.periods():
            if lo <= first <= hi and first >= self.data_start:
                starts += 1
            if last is not None and lo <= last <= hi:
                ceased += 1
                born = self.dob.get(child)
                young += born is not None and age_years(born, last) < 18
        return {"starts": starts, "ceased": ceased, "ceased_under_18": young}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return [
            {k.strip().upper(): (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(f)
        ]


def _same_placement(a: Episode, b: Episode) -> bool:
    """Same type and provider, and the same placement postcode where both give one."""
    same = a.place.upper() == b.place.upper() and a.provider.upper() == b.provider.upper()
    return same and (a.post == b.post or "" in (a.post, b.post))


def _merge(by_year: dict[int, list[Episode]]) -> list[Episode]:
    """One child's episodes from several returns, the latest return's winning."""
    latest: dict[date, Episode] = {}  # an episode in several returns: its latest copy
    for y in sorted(by_year):
        latest.update({e.start: e for e in by_year[y]})
    by_year = defaultdict(list)
    for e in latest.values():
        by_year[e.year].append(e)
    years = sorted(by_year, reverse=True)
    kept = sorted(by_year[years[0]], key=lambda e: e.start)
    dropped_from: date | None = None
    for y in years[1:]:
        first = kept[0]
        older: list[Episode] = []
        for e in sorted(by_year[y], key=lambda e: e.start, reverse=True):
            if e.start >= first.start:
                dropped_from = e.start
                continue
            if e.end is not None and e.end <= first.start:
                if e.end == dropped_from and e.rec.upper() == "X1":
                    e.end = first.start  # its successor was revised away: care continues
                older.append(e)
            elif _same_placement(e, first) and first.start <= year_end(y):
                dropped_from = e.start  # the same episode, its start revised
                continue
            else:
                e.end = first.start  # the child moved when the later episode began
                older.append(e)
            first = e
            dropped_from = None
        kept = sorted(older, key=lambda e: e.start) + kept
    return kept


def recount(folder: Path | str) -> Recount:
    """Recount a folder of per-year CSV returns (``<YYYY>/{header,episodes}.csv``)."""
    folder = Path(folder)
    years = sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())
    dob: dict[str, date] = {}
    eps: dict[str, dict[int, list[Episode]]] = defaultdict(lambda: defaultdict(list))
    for y in years:
        for row in _read(folder / str(y) / "header.csv"):
            born = _day(row.get("DOB", ""))
            if born is not None:
                dob[row["CHILD"]] = born  # the latest return's
        for row in _read(folder / str(y) / "episodes.csv"):
            if row["LS"].upper() in SHORT_BREAKS:
                continue
            start = _day(row["DECOM"])
            assert start is not None, row
            eps[row["CHILD"]][y].append(
                Episode(row["CHILD"], start, _day(row.get("DEC", "")), row.get("RNE", ""),
                        row["LS"], row["PLACE"], row.get("PLACE_PROVIDER", ""),
                        row.get("REC", ""), y, row.get("PL_POST", "").replace(" ", "").upper(),
                        row.get("URN", "").upper())
            )  # fmt: skip
    data_end = year_end(years[-1])
    # an in-year extract: the latest return ends with its latest date's month
    latest_dates = [d for e in (x for c in eps.values() for x in c.get(years[-1], []))
                    for d in (e.start, e.end) if d is not None]  # fmt: skip
    if latest_dates and max(latest_dates) < date(years[-1], 3, 1):
        last = max(latest_dates)
        nxt = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        data_end = nxt - timedelta(days=1)
    merged: dict[str, list[Episode]] = {}
    closed: list[str] = []
    for child, by_year in eps.items():
        for y in sorted(by_year):
            if y == years[-1]:
                continue
            # open at the end of a return and not in care when the next one begins
            after = [r for r in years if r > y]
            nxt_start = year_start(after[0])
            later_on = any(
                e.start <= nxt_start and (e.end is None or e.end >= nxt_start)
                for r in after for e in by_year.get(r, [])
            )  # fmt: skip
            # across a missing year, on its last day: the child left some time in it
            close_on = nxt_start if after[0] == y + 1 else nxt_start - timedelta(days=1)
            for e in by_year[y]:
                if e.end is None and not later_on:
                    e.end = close_on
                    closed.append(child)
        merged[child] = _merge(by_year)
    return Recount(merged, dob, tuple(years), data_end, closed)


def write_returns(
    episodes: list[dict[str, str]],
    dob: dict[str, date],
    years: range | list[int],
    dest: Path,
    *,
    overrides: dict[int, list[dict[str, str]]] | None = None,
) -> Path:
    """Write a true episode list (dates as ``date``, DEC ``None`` while open) as the
    per-year returns a council would submit: each return holds the episodes open at any
    time in its year, with DEC (and REC) blank when the episode ends after it.
    ``overrides[year]`` replaces a return's episode rows outright (a year's own version)."""
    cols = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
            "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")  # fmt: skip
    for y in years:
        lo, hi = year_start(y), year_end(y)
        rows = []
        for e in episodes:
            if e["DECOM"] > hi or (e["DEC"] is not None and e["DEC"] < lo):
                continue
            ended = e["DEC"] is not None and e["DEC"] <= hi
            rows.append({
                **{c: "" for c in cols}, "CIN": "N1",
                **{k: v for k, v in e.items() if k not in ("DECOM", "DEC", "REC")},
                "DECOM": e["DECOM"].strftime("%d/%m/%Y"),
                "DEC": e["DEC"].strftime("%d/%m/%Y") if ended else "",
                "REC": e.get("REC", "") if ended else "",
            })  # fmt: skip
        if overrides and y in overrides:
            rows = overrides[y]
        (dest / str(y)).mkdir(parents=True, exist_ok=True)
        with (dest / str(y) / "episodes.csv").open("w", newline="") as f:
            w = csv.DictWriter(f, cols)
            w.writeheader()
            w.writerows(rows)
        children = sorted({r["CHILD"] for r in rows})
        with (dest / str(y) / "header.csv").open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
            for c in children:
                w.writerow([c, "M", dob[c].strftime("%d/%m/%Y"), "WBRI", "UN1", "", ""])
    return dest


_SETTINGS = (("U3", "PR1"), ("U6", "PR1"), ("U6", "PR4"), ("K2", "PR4"), ("K2", "PR1"),
             ("K3", "PR4"), ("P1", "PR0"), ("A6", "PR1"), ("U1", "PR1"), ("R2", ""))  # fmt: skip


def authority(
    seed: int,
    *,
    in_care: int,
    entries_per_year: list[float],
    leave_per_year: float,
    end_year: int = 2026,
    returning: float = 0.1,
) -> tuple[list[dict], dict[str, date]]:
    """A plain random authority, the truth to write as returns: ``in_care`` children in
    care on the first day of the returns, then ``entries_per_year[i]`` entries in the
    i-th year (one per year of returns), each child leaving at ``leave_per_year`` (and
    on their 18th birthday, ``E17``), moving about once a year (a temporary T3 now and
    then, back to the same carers after), and a share ``returning`` coming back into care
    some months after leaving (a second period of care)."""
    import random

    rng = random.Random(seed)
    first = year_start(end_year - len(entries_per_year) + 1)
    last = year_end(end_year)
    episodes: list[dict] = []
    dob: dict[str, date] = {}

    def career(child: str, start: date, rne: str) -> None:
        born = dob[child]
        eighteen = date(born.year + 18, born.month, min(born.day, 28))
        t, setting = start, rng.choice(_SETTINGS)
        while t <= last:
            stay = t + timedelta(days=1 + int(rng.expovariate(1.0) * 365))
            leave = t + timedelta(days=1 + int(rng.expovariate(leave_per_year) * 365))
            end = min(stay, leave, eighteen)
            ends = end <= last
            rec = ("E17" if end == eighteen else "E13") if end < stay or end == eighteen else "X1"
            if (
                rng.random() < 0.08
                and rec == "X1"
                and end + timedelta(days=10) < min(leave, eighteen)
            ):
                # a short temporary placement, then back to the same carers
                episodes.append(
                    dict(
                        CHILD=child,
                        DECOM=t,
                        RNE=rne,
                        LS="C2",
                        PLACE=setting[0],
                        PLACE_PROVIDER=setting[1],
                        DEC=end,
                        REC="X1",
                    )
                )
                back = end + timedelta(days=7)
                episodes.append(
                    dict(
                        CHILD=child,
                        DECOM=end,
                        RNE="P",
                        LS="C2",
                        PLACE="T3",
                        PLACE_PROVIDER="",
                        DEC=back,
                        REC="X1",
                    )
                )
                t, rne = back, "P"
                continue
            episodes.append(dict(CHILD=child, DECOM=t, RNE=rne, LS="C2" if rne != "S" else "C1",
                                 PLACE=setting[0], PLACE_PROVIDER=setting[1],
                                 DEC=end if ends else None, REC=rec if ends else ""))  # fmt: skip
            if not ends or rec != "X1":
                if ends and rec == "E13" and rng.random() < returning:
                    again = end + timedelta(days=30 + rng.randrange(300))
                    if again < min(eighteen, last):
                        career(child, again, "S")
                return
            t, rne = end, "P"
            setting = rng.choice([s for s in _SETTINGS if s != setting])

    n = 0
    for _ in range(in_care):
        n += 1
        child = f"A{n:05d}"
        started = first - timedelta(days=1 + rng.randrange(2000))
        dob[child] = started - timedelta(days=rng.randrange(0, 17 * 365))
        career(child, started, "S")
    for i, per_year in enumerate(entries_per_year):
        lo = year_start(end_year - len(entries_per_year) + 1 + i)
        for _ in range(int(per_year)):
            n += 1
            child = f"A{n:05d}"
            started = lo + timedelta(days=rng.randrange(365))
            dob[child] = started - timedelta(days=rng.randrange(0, 17 * 365))
            career(child, started, "S")
    return episodes, dob
