"""Every output folder a command creates is owner-only (docs/data-protection.md)."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import openpyxl

from sufficiency import api
from sufficiency.io.xlsx import save_workbook


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_match_outputs_folder_is_owner_only(tmp_path, sample_dir):
    """The match's own folder is 0700, as forecast's and spend's are (it was 0755)."""
    run = api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                    run_date=dt.date(2026, 4, 1))  # fmt: skip
    out = tmp_path / "night" / "match"
    run.write(out)
    assert _mode(out) == 0o700
    assert all(_mode(p) == 0o600 for p in out.iterdir())


def test_a_workbook_saved_into_a_new_folder_makes_it_owner_only(tmp_path):
    """save_workbook creates its missing folder owner-only, as every other writer does."""
    target = tmp_path / "new" / "deeper" / "book.xlsx"
    save_workbook(openpyxl.Workbook(), target)
    assert _mode(target) == 0o600
    assert _mode(target.parent) == 0o700


def test_every_folder_created_for_outputs_is_owner_only(tmp_path):
    """The folders above an output folder that the tool creates are owner-only too (a
    region's OUT and OUT/members were 0755, made as parents of a member's folder); a
    folder that was already there is left as it is."""
    from sufficiency.io.atomic import ensure_private_dir

    tmp_path.chmod(0o755)
    leaf = ensure_private_dir(tmp_path / "out" / "members" / "E10000034")
    assert [_mode(p) for p in (leaf, leaf.parent, leaf.parent.parent)] == [0o700] * 3
    assert _mode(tmp_path) == 0o755
