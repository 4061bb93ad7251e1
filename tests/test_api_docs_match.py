"""The matching example in docs/api_match_section.md runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "api_match_section.md"


def python_blocks(path: Path) -> list[str]:
    """Every ```python block of a Markdown file, in order."""
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.M | re.S)


def test_match_section_has_an_example() -> None:
    """The section holds at least one Python example that calls match."""
    blocks = python_blocks(DOC)
    assert blocks and any("match(" in b for b in blocks)


def test_match_section_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Python example runs from the repository root and its asserts hold."""
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in python_blocks(DOC):
        exec(compile(block, str(DOC), "exec"), namespace)
