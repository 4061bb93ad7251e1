"""One hand-written 903 return (2025-26) for the tests that plant a few episodes in it."""

from __future__ import annotations

from pathlib import Path

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN\n"
)


def ep(child: str, decom: str, dec: str, rec: str, place: str = "U4") -> str:
    """One episode row: started ``decom``, ended ``dec`` for ``rec`` (blank: open)."""
    return f"{child},{decom},S,C2,N1,{place},PR1,{dec},{rec},,WR9 8DS,WR1 1AA,\n"


def write_return(root: Path, episodes: list[str]) -> Path:
    """``root`` holding a 2026 folder: ``episodes`` and a header row for each child."""
    d = root / "2026"
    d.mkdir(parents=True)
    children = sorted({e.split(",")[0] for e in episodes})
    (d / "header.csv").write_text(HEADER + "".join(f"{c},1,01/01/2012,WBRI,,,\n" for c in children))
    (d / "episodes.csv").write_text(EPISODES + "".join(episodes))
    return root
