"""Generated parts of a Markdown file: the text between a pair of HTML comments, replaced whole on each run."""

from __future__ import annotations

from pathlib import Path


def replace_between(path: Path, start: str, end: str, text: str) -> None:
    """Replace what is between ``start`` and ``end`` (both must be in the file) with ``text``; the rest stays."""
    content = path.read_text()
    begin, finish = content.index(start) + len(start), content.index(end)
    path.write_text(content[:begin] + "\n" + text + "\n" + content[finish:])
