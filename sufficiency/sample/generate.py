"""Write the whole synthetic sample authority to a folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency.io.atomic import atomic_write_bytes as write_atomic
from sufficiency.sample.history import simulate
from sufficiency.sample.places import SAMPLE_LA, build_estate
from sufficiency.sample.ssda903 import year_tables

#: "Tonight" for the sample: the register and referrals are as at 1 April 2026,
#: the day after the history (the 2025-26 collection year) ends.
SAMPLE_RUN_DATE = date(2026, 4, 1)
#: Collection years written, named by the year each ends (2026 = 2025-26).
SAMPLE_YEARS = tuple(range(2021, 2027))

README = """# Synthetic sample authority

All data in this folder is synthetic: a fictional population of looked-after children
for Worcestershire ({la}), placed over real postcodes from the ONS Postcode Directory
(Office for National Statistics, Open Government Licence v3.0). No record describes a real
child, carer or provider; child IDs, dates of birth, UPNs and URNs are random. It was generated
by `sufficiency sample --seed {seed} --out data/sample`. Layout: `ssda903/<YYYY>/header.csv`,
`episodes.csv` and `uasc.csv` are the SSDA903 returns for the collection year ending 31 March
YYYY ({first}-{last}); `placements.csv` is the placement register and `referrals.csv` the
children needing a placement, both as at {run}. `budget.csv`, `supply.toml`, `levers.toml`
and `scenarios/` are written by hand for the examples in the docs; the generator leaves
them as they are.

Some children who went home come back into care later: a new period of care (RNE S) for
the same CHILD, months or years after the last one ended. Semi-independent accommodation
(H5) left DfE's specification in 2025-26: a child still there on 31 March 2025 stays in
the same episode, coded H5 in the 2024-25 return and K3 (registered supported
accommodation) from the 2025-26 return: the one change of placement type between a
year's open episode and the next return that DfE's continuity rule 503D exempts.
"""


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV with Unix line endings and no index."""
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def generate_sample(seed: int, out_dir: Path) -> list[Path]:
    """Generate the synthetic sample authority into ``out_dir``.

    Parameters
    ----------
    seed
        Seed for the random streams; the same seed gives byte-identical files. The
        estate and children's first periods of care come from ``default_rng(seed)``;
        returns to care, the register and the referrals each from their own stream
        spawned from ``SeedSequence(seed)``, so that changing how children come back
        into care leaves their first periods as they were, and no change to the
        history alters tonight's register or referrals.
    out_dir
        Folder to write to (created if needed). Existing files of the same names are replaced.

    Returns
    -------
    list of pathlib.Path
        Every file written, in a fixed order.
    """
    from sufficiency.sample.register import make_referrals, make_register

    rng = np.random.default_rng(seed)
    reentry_rng, register_rng, referrals_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    estate = build_estate(rng)
    children = simulate(rng, estate, reentry_rng)
    out_dir = Path(out_dir)
    written: list[Path] = []
    for year in SAMPLE_YEARS:
        tables = year_tables(children, year)
        for name, df in zip(("header", "episodes", "uasc"), tables, strict=True):
            path = out_dir / "ssda903" / str(year) / f"{name}.csv"
            write_atomic(path, csv_bytes(df))
            written.append(path)
    for name, df in (
        ("placements.csv", make_register(register_rng, estate, SAMPLE_RUN_DATE)),
        ("referrals.csv", make_referrals(referrals_rng, estate, SAMPLE_RUN_DATE)),
    ):
        write_atomic(out_dir / name, csv_bytes(df))
        written.append(out_dir / name)
    readme = README.format(
        la=SAMPLE_LA,
        seed=seed,
        first=SAMPLE_YEARS[0],
        last=SAMPLE_YEARS[-1],
        run=SAMPLE_RUN_DATE.strftime("%d/%m/%Y"),
    )
    write_atomic(out_dir / "README.md", readme.encode("utf-8"))
    written.append(out_dir / "README.md")
    return written
