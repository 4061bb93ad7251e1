"""Whether a child's proposed home is of the type their referral prefers, in words.

A referral marks each type of home ``preferred``, ``suitable`` or ``unsuitable``
(``foster_suitability``, ``residential_suitability``, ``supported_suitability``). A child
placed in a type that is only suitable, when another is preferred, is told so in the
report's "Why this home" and flagged, read from the referral itself: the flag read the
objective's term, so it vanished with a zero weight, and the sentence never said it
(R045 of the sample, preferring a children's home, was proposed foster care with no word
of it). An option in "Other options" (and the "Next best option") of a type other than
the one preferred is flagged so too, in the same words.
"""

from __future__ import annotations

import pandas as pd

#: The flag of a proposal or an option whose type of home is not the one the child prefers.
NOT_PREFERRED = "not the preferred type of home"
#: A register setting, the referral column saying how the child is suited to it, and the
#: type of home in words.
SUITABILITY: dict[str, tuple[str, str]] = {
    "foster": ("foster_suitability", "foster care"),
    "residential": ("residential_suitability", "a children's home"),
    "supported": ("supported_suitability", "supported accommodation"),
}


def preferred_settings(referrals: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Each referred child's preferred settings (none when the referral prefers none)."""
    if referrals.empty or "child_id" not in referrals:
        return {}
    ids = referrals["child_id"].astype(str).tolist()
    marked = {
        s: referrals[col].astype("string").str.strip().str.lower().eq("preferred").fillna(False)
        for s, (col, _) in SUITABILITY.items()
        if col in referrals
    }
    return {
        cid: tuple(s for s, flags in marked.items() if bool(flags.iloc[k]))
        for k, cid in enumerate(ids)
    }


def preference_note(preferred: tuple[str, ...], setting: str) -> str:
    """``foster care is not the child's preferred type of home (a children's home is)``, or
    ``""`` when the home's type is preferred or the referral prefers none."""
    if not preferred or setting in preferred:
        return ""
    words = SUITABILITY.get(setting, ("", "this type of home"))[1]
    wanted = " or ".join(SUITABILITY[s][1] for s in preferred)
    return f"{words} is not the child's preferred type of home ({wanted} is)"


def with_preference(why: str, note: str) -> str:
    """The sentence ``why`` (ending in a full stop) with ``note`` added as its last part."""
    if not note:
        return why
    return f"{why.removesuffix('.')}; but {note}."


def with_preference_flags(options: pd.DataFrame, referrals: pd.DataFrame) -> pd.DataFrame:
    """``options`` (one row per child and home, with ``child_id``, ``setting`` and
    ``flags``) with :data:`NOT_PREFERRED` added to the flags of each option whose type of
    home the child's referral does not prefer (none when it prefers none): the "Other
    options" sheet flagged none, so an option the child would not want read as good as
    the proposal."""
    if options.empty or "setting" not in options:
        return options
    liked = preferred_settings(referrals)
    flags = options["flags"].astype(object).where(options["flags"].notna(), "")
    out = [
        f"{flag}; {NOT_PREFERRED}" if flag and note else (NOT_PREFERRED if note else flag)
        for flag, note in zip(
            flags,
            (preference_note(liked.get(str(c), ()), str(s))
             for c, s in zip(options["child_id"], options["setting"], strict=True)),
            strict=True,
        )
    ]  # fmt: skip
    return options.assign(flags=out)
