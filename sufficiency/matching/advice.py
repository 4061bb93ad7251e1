"""What a placement team can do for a child the plan could not place, read against the
law (docs/matching.md, "Hard rules"), never a blanket "consider an exemption":

- **Usual fostering limit** (rule 2): the council where the foster carer lives can grant
  a named-child exemption (Children Act 1989, Schedule 7): the one exemption in law.
- **A foster carer's terms of approval** (number, age range, sex; rules 1, 3 and 5): a
  placement outside them is allowed only in an emergency, for a short period (Fostering
  Services (England) Regulations 2011, reg 27): offered for a child needed today or within
  5 days, not one needed in more than 5 days.
- **A children's home's or supported accommodation's registration** (the same rules):
  no exemption; only Ofsted can vary the registration.
- **Supported accommodation for a child under 16**: not allowed in law at all.
- Every other rule (the child's own suitability, a DoLO, risks, pets, communication,
  adaptations, who the child lives alongside, harm to others, the date needed, an
  unlocatable postcode, a team decision) has no exemption: the advice is a wider
  search, a setting type the child's suitability allows, recruiting or a spot purchase.

Sentences name children by ID only, and no child at all here.
"""

from __future__ import annotations

import numpy as np

from sufficiency.matching.decisions import rule_label
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import age_when_it_opens
from sufficiency.vocabulary import listed

LIMIT_EXEMPTION = (
    "the council where the foster carer lives can grant a named-child exemption to the "
    "usual fostering limit (Children Act 1989, Schedule 7)"
)
TERMS_EMERGENCY = (
    "a foster carer may take a child outside their terms of approval only in an "
    "emergency, for a short period (Fostering Services (England) Regulations 2011, reg 27)"
)
NO_ROUTE = "Consider a wider search, recruiting or a spot purchase."
#: Setting types in words, in the register's order.
_TYPES = (("foster", "foster care"), ("residential", "a children's home"),
          ("supported", "supported accommodation"))  # fmt: skip


def lawful_types(prob: MatchProblem, c: int) -> list[str]:
    """The setting types child ``c`` may be placed in: those the referral does not mark
    unsuitable, only a children's home under a DoLO, supported accommodation only at
    16-17 (rules 3 and 4)."""
    r = prob.referrals.iloc[c]
    age = int(prob.child_age_years[c])
    out = []
    for code, words in _TYPES:
        if str(r[f"{code}_suitability"]) == "unsuitable":
            continue
        if bool(r["dolo"]) and code != "residential":
            continue
        if code == "supported" and not 16 <= age <= 17:
            continue
        out.append(words)
    return out


def _route(prob: MatchProblem, code: str, c: int, p: int) -> str | None:
    """The lawful way past rule ``code`` at placement ``p`` for child ``c``, or ``None``
    when the law has none."""
    setting = str(prob.placements["setting"].iat[p])
    if code == "fostering_limit":  # a foster household's limit, on any of its rows
        return LIMIT_EXEMPTION
    if code not in ("capacity", "age", "sex"):
        return None
    if setting == "foster" and _emergency(prob, c):
        return TERMS_EMERGENCY
    return None  # a registered home: only Ofsted varies its registration


def _emergency(prob: MatchProblem, c: int) -> bool:
    """Whether child ``c`` is needed within 5 days: a foster carer's emergency route (up to
    about 6 working days outside their terms of approval, DOMAIN.md 5.3) is no route for a
    child needed in more than 5 days, who is not an emergency."""
    return bool(prob.child_needed_days[c] <= 5)


def _why_none(prob: MatchProblem, code: str, c: int, p: int) -> str:
    """Why rule ``code`` cannot be set aside at ``p`` for ``c``, in a clause."""
    setting = str(prob.placements["setting"].iat[p])
    if code == "decision":
        return "the team's decision rules it out (review the decision if circumstances changed)"
    if code == "unlocatable":
        return "its postcode cannot be located (correct it on the register to have it considered)"
    if (setting == "supported" and code == "age"
            and int(age_when_it_opens(prob, np.array([c]), np.array([p]))[0]) < 16):  # fmt: skip
        return "the law does not allow supported accommodation for a child under 16"
    if code in ("capacity", "age", "sex") and setting == "foster":
        return (
            f"{rule_label(code)} is the foster carer's terms of approval, set aside only in an "
            "emergency, and the child is needed in more than 5 days"
        )
    if code in ("capacity", "age", "sex") and setting != "foster":
        return (
            f"{rule_label(code)} has no exemption for a registered home (only Ofsted can "
            "vary its registration)"
        )
    return f"{rule_label(code)} has no exemption"


def unplaced_advice(prob: MatchProblem, c: int, p: int, codes: list[str]) -> str:
    """What to consider for child ``c``, whose nearest option ``p`` breaks the rules
    ``codes``: the lawful route past each when every one has one, else why not and what
    the team can do instead (another setting type the child's suitability allows)."""
    routes = [_route(prob, code, c, p) for code in codes]
    if codes and all(routes):
        said = listed(list(dict.fromkeys(str(r) for r in routes)))
        return f"For this option, {said}. Otherwise consider a wider search or a spot purchase."
    blocked = [_why_none(prob, code, c, p) for code, r in zip(codes, routes, strict=True) if not r]
    plain = [b.removesuffix(" has no exemption") for b in blocked if b.endswith(" exemption")]
    if len(plain) > 1:  # rules 4 (setting) and 12 (availability) have no exemption
        said = listed([plain[0].replace("rule ", "rules ")] + [b[5:] for b in plain[1:]])
        blocked = [b for b in blocked if not b.endswith(" exemption")] + [
            f"{said} have no exemption"
        ]
    head = "; ".join(blocked)
    head = f"{head[0].upper()}{head[1:]}. " if head else ""
    types = lawful_types(prob, c)
    setting = str(prob.placements["setting"].iat[p])
    if not types:
        r = prob.referrals.iloc[c]
        why = (
            "under a DoLO the child may live only in a children's home, which the referral "
            "marks unsuitable"
            if bool(r["dolo"])
            else "the referral's suitability leaves no setting type the law allows at the "
            "child's age (supported accommodation only at 16-17)"
        )
        return f"{head}{why[0].upper()}{why[1:]}: review the referral (no search can help)."
    if dict(_TYPES).get(setting, setting) not in types:
        return f"{head}The child's suitability allows {listed(types)}. {NO_ROUTE}"
    return f"{head}{NO_ROUTE}"


def full_home_advice(prob: MatchProblem, c: int, p: int, placed: int) -> str:
    """What to consider for child ``c`` when the nearest home meeting every rule, ``p``,
    is full in the plan with ``placed`` referred children: the fostering limit's exemption
    when the limit is what binds there (a vacancy left that only the usual limit of three
    closes; not when the plan fills every vacancy, as a sibling group under the exemption
    does), a foster carer's emergency route for a child needed within 5 days, or a wider
    search."""
    foster = bool(prob.foster_home[p])
    if foster and prob.place_capacity[p] <= placed < prob.place_vacancies[p]:
        return f"For {prob.placements['placement_id'].iat[p]}, {LIMIT_EXEMPTION}. {NO_ROUTE}"
    if foster and _emergency(prob, c):
        return f"For {prob.placements['placement_id'].iat[p]}, {TERMS_EMERGENCY}. {NO_ROUTE}"
    return NO_ROUTE


def home_advice(prob: MatchProblem, c: int, p: int) -> str:
    """What to consider for child ``c`` when ``p``'s home, on several rows of the
    register, is full across them: the named-child exemption where the usual fostering
    limit of three is what binds (the household has places left), otherwise the rows
    checked (one bed offered twice, or separate beds: ``home_places``) or a wider search."""
    if prob.place_home_room[p] < prob.place_home_places[p]:
        return f"For {prob.placements['placement_id'].iat[p]}, {LIMIT_EXEMPTION}. {NO_ROUTE}"
    return (
        "If its rows are separate beds, say so with the register's home_places column "
        f"(the home's places across its rows) and run again. {NO_ROUTE}"
    )
