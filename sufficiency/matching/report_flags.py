"""Page 1's flags of the 8am match report: each a count, a plain sentence and the sheet
to look at (:mod:`.report` assembles the rest of the report)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from sufficiency import vocabulary
from sufficiency.matching.maybe_alongside import MAYBE_ONE_HOME
from sufficiency.matching.pets_unknown import PETS_NOT_KNOWN
from sufficiency.matching.proof import proof_sentence
from sufficiency.matching.sibling_risks import SIBLING_RISK

if TYPE_CHECKING:
    from sufficiency.matching.run import MatchRun


@dataclass(frozen=True)
class Flag:
    """One line of page 1's flags: how many, a plain sentence, and where to look."""

    key: str
    count: int
    sentence: str
    sheet: str

    @property
    def label(self) -> str:
        return vocabulary.match_flag(self.key)

    @property
    def raised(self) -> bool:
        return self.count > 0


def _n(count: int, one: str) -> str:
    """``1 sibling group``, ``2 sibling groups``."""
    return f"{count} {one if count == 1 else one + 's'}"


def sibling_risk_flag(matches: pd.DataFrame) -> Flag:
    """The children proposed in one home with a sibling where one is a risk to the other
    (:mod:`.sibling_risks`): their rows carry the check, and page 1 counts them, as it
    counts every other check a proposal carries."""
    flags = matches["flags"] if "flags" in matches else pd.Series([], dtype=object)
    count = int(flags.fillna("").astype(str).str.contains(SIBLING_RISK, regex=False).sum())
    return Flag("sibling_risks", count,
                "Children proposed in one home with a sibling where one is a risk of harm to "
                "the other (the hard rules never keep siblings apart): check the siblings' "
                "together-or-apart assessment before agreeing.", "Children placed")  # fmt: skip


def maybe_one_home_flag(matches: pd.DataFrame) -> Flag:
    """The children proposed on register rows that may be one home with another child's
    (:mod:`.maybe_alongside`): their rows carry the check, and page 1 counts them."""
    flags = matches["flags"] if "flags" in matches else pd.Series([], dtype=object)
    count = int(flags.fillna("").astype(str).str.contains(MAYBE_ONE_HOME, regex=False).sum())
    return Flag("maybe_one_home", count,
                "Children proposed on rows that may be one household with another child's "
                "(one provider at one postcode, no home_id): check before agreeing either.",
                "Children placed")  # fmt: skip


def pets_not_known_flag(matches: pd.DataFrame) -> Flag:
    """The children whose pets answer is not known proposed to a home that has, or may
    have, pets (:mod:`.pets_unknown`): their rows carry the check, and page 1 counts them."""
    flags = matches["flags"] if "flags" in matches else pd.Series([], dtype=object)
    count = int(flags.fillna("").astype(str).str.contains(PETS_NOT_KNOWN, regex=False).sum())
    return Flag("pets_not_known", count,
                # one line (its label says whose answer): the Summary keeps to two pages
                "Home with pets, or not saying: check before agreeing.",
                "Children placed")  # fmt: skip


def report_flags(run: MatchRun) -> tuple[Flag, ...]:
    """Page 1's flags for ``run``, in the order page 1 lists them."""
    s, plan = run.summary, run.summary.plan
    split = plan.sibling_groups - plan.sibling_groups_kept_together
    not_applied = len(run.decisions.with_status("refused")) + len(
        run.decisions.with_status("ignored")
    )
    return (
        Flag("distance_unknown", s.distance_unknown,
             "Proposals whose distance from home or school is unknown or assumed (a postcode "
             "could not be located): check the distance before agreeing.", "Children placed"),
        Flag("rows_set_aside", s.rows_set_aside,
             "Input rows set aside for errors (a referral set aside is listed as not "
             "placed): correct them and re-run.", "Set aside"),
        Flag("input_warnings", len(s.input_notes),
             "Warnings about the inputs (matching went ahead).", "Input notes"),
        Flag("siblings_split", split,
             f"Sibling groups not kept together (of {_n(plan.sibling_groups, 'group')}).",
             "Children placed"),
        sibling_risk_flag(run.matches),
        # listed when raised: rows that may be one home are few on a register with home_ids
        # (the Summary then prints on its two pages)
        *[f for f in (maybe_one_home_flag(run.matches), pets_not_known_flag(run.matches))
          if f.raised],
        Flag("ks4_school_moves", plan.ks4_school_moves, vocabulary.KS4_MOVES, "Children placed"),
        Flag("out_of_area", plan.placed_out_of_area, vocabulary.OUT_OF_AREA_FLAG,
             "Children placed"),
        Flag("ofsted_checks", plan.ofsted_checks, vocabulary.OFSTED_CHECKS, "Children placed"),
        Flag("over_20_miles", plan.placed_over_20_miles, "Children placed more than 20 miles "
             f"from home{plan.not_counted()}.", "Children placed"),
        Flag("decisions_not_applied", not_applied,
             "Team decisions (pins and exclusions) refused or ignored, each with the reason.",
             "Decisions"),
        Flag("not_proven", 0 if s.proven_optimal else 1,
             proof_sentence(s.proven_optimal, s.gap, s.status.value), "Technical detail"),
    )  # fmt: skip
