"""The nightly match job reads ``nightly.decisions`` and records them; pseudonyms cover them."""

from __future__ import annotations

import json
import re

import pandas as pd
from test_nightly import DAY, _config, _store

from sufficiency.nightly import EXIT_OK, run_nightly


def test_nightly_match_obeys_records_and_pseudonymises_decisions(tmp_path, sample_dir, monkeypatch):
    """Decisions named in [nightly] are applied and stored; with pseudonyms on, no referred
    child's ID appears anywhere in the outputs, the why_not and decision sentences included."""
    ids = pd.read_csv(sample_dir / "referrals.csv", dtype=str)["child_id"].tolist()
    plc = pd.read_csv(sample_dir / "placements.csv", dtype=str)["placement_id"].tolist()
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "child_id,placement_id,decision,reason,decided_by,until\n"
        f"{ids[0]},{plc[0]},exclude,carer unwell,J Smith,\n"
        f"{ids[1]},{plc[0]},pin,agreed,J Smith,01/01/2026\n",
        encoding="utf-8",
    )
    cfg = _config(tmp_path, sample_dir, jobs=("match",))
    cfg.write_text(cfg.read_text() + f'decisions = "{decisions}"\n')
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", "a-secret-key-of-some-length")
    report = run_nightly(cfg, DAY, pseudonymise=True)
    assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-01" / "match"
    summary = json.loads((out / "summary.json").read_text())
    assert [len(summary["decisions"][k]) for k in ("applied", "ignored", "refused")] == [1, 1, 0]
    for f in out.iterdir():
        if f.suffix != ".xlsx":
            text = f.read_text(encoding="utf-8")
            assert not any(re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text) for c in ids)
    store = _store(tmp_path)
    (run,) = store.list_runs()
    got = store.get(run["id"])["decisions"]
    assert [(d["child_id"], d["status"]) for d in got] == [(ids[0], "applied"), (ids[1], "ignored")]
    assert any(f["label"] == "decisions" for f in store.get(run["id"])["files"])
    store.close()
