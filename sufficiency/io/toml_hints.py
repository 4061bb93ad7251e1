"""What to do about a TOML file tomllib cannot read, for a file written by hand.

tomllib names the line and column but not the mistake: "Invalid value" for a path or name
not in quotes and for Word's curly quotes, "Cannot overwrite a value" for a key given twice
in one table, "Expected newline or end of document after a statement" for a line ending in
a comma, "Unescaped '\\' in a string" for a Windows path in double quotes. Each is said in
words, with what to write instead.
"""

from __future__ import annotations

import re

#: Quotes a word processor or mail program types for " and '.
_CURLY = "“”‘’"
#: A key at the start of a line, bare or quoted, and its value.
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_\-.]+))\s*=\s*(.*)$""")
#: Values TOML reads without quotes: numbers, true/false, dates, arrays and inline tables.
_BARE = re.compile(
    r"^([-+]?[\d_.]+([eE][-+]?\d+)?|true|false|[-+]?(inf|nan)|\d{4}-\d\d-\d\d.*|[\[{].*)$"
)


def toml_hint(text: str, error: str) -> str:
    """A sentence (with a leading space) saying what the line tomllib stopped at should
    be, or ``""`` when there is nothing more to say than its error."""
    at = re.search(r"at line (\d+)", error)
    number = int(at.group(1)) if at else 0
    lines = text.splitlines()
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    if "\\" in line and '"' in line:
        return (
            f" Line {number} has a backslash in double quotes, where it begins "
            'an escape: write a Windows path with forward slashes ("aville/ssda903") or in '
            "single quotes ('aville\\ssda903')."
        )
    if any(c in line for c in _CURLY):
        return (
            f" Line {number} has curly quotes ({' '.join(c for c in _CURLY if c in line)}), "
            "as Word or Outlook types them: TOML reads straight quotes only (\" or '), so "
            "type them again in a text editor such as Notepad."
        )
    key = _KEY.match(line)
    if key is None:
        return ""
    name = next(g for g in key.groups()[:3] if g is not None)
    if error.startswith("Cannot overwrite a value"):
        return (
            f" Line {number} gives '{name}' a second time in its table (a line copied and "
            "not changed, or the heading of the next table missing above it?): keep the one "
            "you mean."
        )
    given = key.group(4).split("#")[0].strip()
    if error.startswith("Expected newline") and given.endswith(","):
        return (
            f" Line {number} ends with a comma: write each key = value on a line of its own, "
            "without one."
        )
    if not given or given[0] in "'\"" or (_BARE.match(given) and error.startswith("Invalid")):
        return ""
    if error.startswith(("Invalid value", "Expected newline")):
        quote = "'" if "\\" in given else '"'  # a Windows path: in single quotes
        return (
            f" Line {number}'s value is not in quotes: write text and paths in quotes "
            f"({name} = {quote}{given}{quote})."
        )
    return ""
