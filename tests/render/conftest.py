"""Render fixtures: the sample jobs run small into a temporary outputs folder, then
rendered with ``scripts/rendering.py``, the code ``make render`` uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import rendering
from render_jobs import demo_jobs, require


@pytest.fixture(scope="session")
def demo_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of ``make demo``'s jobs (small), in a temporary ``out`` folder."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    require()  # before the jobs: no minute spent on outputs that cannot be rendered
    work = tmp_path_factory.mktemp("demo")
    out = work / "out"
    store = ["--store", f"sqlite:///{work / 'runs.sqlite'}"]
    for job, args in demo_jobs(out).items():
        result = CliRunner().invoke(main, [*args, *store])
        assert result.exit_code == 0, f"{job} exited {result.exit_code}: {result.output[-2000:]}"
    return out


@pytest.fixture(scope="session")
def rendered(demo_outputs: Path) -> dict[str, rendering.Rendered]:
    """Every human-facing output rendered to PDF and PNGs, by path under ``out``
    (``"spend/spend.xlsx"``)."""
    done = rendering.render_outputs(demo_outputs)
    return {r.source.relative_to(demo_outputs).as_posix(): r for r in done}


@pytest.fixture(scope="session")
def sheets(
    demo_outputs: Path, rendered: dict[str, rendering.Rendered], tmp_path_factory
) -> dict[str, list[rendering.SheetPages]]:
    """Each workbook's sheets printed alone, as set up and one page wide, by path."""
    books = {name: r.source for name, r in rendered.items() if name.endswith(".xlsx")}
    found = rendering.sheet_pages(list(books.values()), tmp_path_factory.mktemp("sheets"))
    return {name: found[path] for name, path in books.items()}


@pytest.fixture(scope="module")
def chrome():
    """One headless Chromium for the accessibility checks, closed with their module: a
    sync Playwright left running would stop later tests (tests/web) starting their own."""
    require(workbooks=False)
    with rendering.browser() as launched:
        yield launched
