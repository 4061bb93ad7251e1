"""No date of birth or postcode of a referred child leaks into outputs or logs."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd

from sufficiency.nightly import EXIT_OK, run_nightly


def _texts(folder: Path) -> dict[str, str]:
    """Every output's text: CSV/JSON/HTML/logs as read, workbooks as their XML parts."""
    out = {}
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        if f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                out[str(f)] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            out[str(f)] = f.read_text(encoding="utf-8", errors="replace")
    return out


def _personal_strings(sample_dir: Path) -> set[str]:
    """The referrals' dates of birth (several spellings) and home and school postcodes."""
    ref = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    found: set[str] = set()
    for dob in ref["dob"]:
        d = dt.datetime.strptime(dob, "%d/%m/%Y").date()
        found |= {dob, d.isoformat(), d.strftime("%d-%m-%Y")}
    for col in ("home_postcode", "school_postcode"):
        for pc in ref[col]:
            if pc:
                found |= {pc, pc.replace(" ", "")}
    return found


def test_nightly_outputs_and_logs_hold_no_dob_or_postcode(tmp_path, sample_dir):
    """Run validate, match and spend over the sample; scan every output and the log."""
    cfg = tmp_path / "nightly.toml"
    cfg.write_text(
        "[nightly]\n"
        'jobs = ["validate", "match", "spend"]\n'
        'output_dir = "out/{date}"\n'
        f'referrals = "{sample_dir / "referrals.csv"}"\n'
        f'placements = "{sample_dir / "placements.csv"}"\n'
        f'history = "{sample_dir / "ssda903"}"\n'
        f'budget = "{sample_dir / "budget.csv"}"\n'
        f'store = "sqlite:///{tmp_path / "runs.sqlite"}"\n'
        'log_format = "json"\nlog_file = "logs/nightly.log"\n'
        "[forecast]\nnum_paths = 100\n"
    )
    report = run_nightly(cfg, dt.date(2026, 4, 1))
    assert report.exit_code == EXIT_OK, report.messages
    texts = _texts(tmp_path / "out") | _texts(tmp_path / "logs")
    assert any(name.endswith("matches.csv") for name in texts)
    personal = _personal_strings(sample_dir)
    leaks = sorted((name, s) for name, text in texts.items() for s in personal if s in text)
    assert leaks == []
