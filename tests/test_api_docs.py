"""docs/api.md: every Python example runs as written, on the bundled sample."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "api.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_api_doc_has_an_example_for_every_job():
    """Each job has a section with examples, and each example checks something."""
    text = DOC.read_text(encoding="utf-8")
    for heading in ("## Forecast", "## Backtest", "## Spend", "## Commission", "## Matching"):
        assert heading in text, heading
    for name in ("api.forecast(", "api.backtest(", "api.spend(", "api.commission(", "api.match("):
        assert any(name in block for block in BLOCKS), name
    assert all(re.search(r"^\s*(assert|print)\b", b, flags=re.M) for b in BLOCKS)


@pytest.fixture(scope="module")
def namespace() -> dict[str, object]:
    """One namespace for the page, as in a notebook: later blocks use earlier names."""
    return {}


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_api_doc_example_runs(index, namespace, monkeypatch, capsys):
    """The example runs from the repository root and its assertions hold."""
    monkeypatch.chdir(ROOT)
    exec(compile(BLOCKS[index], f"{DOC}:block{index + 1}", "exec"), namespace)
    captured = capsys.readouterr()
    if re.search(r"^\s*print\(", BLOCKS[index], flags=re.M):
        assert captured.out.strip()


def test_api_doc_table_gives_every_parameter_of_each_job():
    """The table of jobs names each function's parameters as its signature has them, in
    order (it lacked ``run_date`` on forecast and commission after both gained it)."""
    import inspect

    from sufficiency import api

    rows = re.findall(r"^\| `(\w+)\((.*?)\)` \|", DOC.read_text(encoding="utf-8"), flags=re.M)
    assert {name for name, _ in rows} >= {"forecast", "backtest", "spend", "commission", "match"}
    for name, listed in rows:
        said = [p.strip().lstrip("*").split("=")[0] for p in listed.split(",")]
        said = [p for p in said if p]
        assert said == list(inspect.signature(getattr(api, name)).parameters), name
