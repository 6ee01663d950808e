"""Generated regions of a hand-written file (template.yaml): each sits between two marker lines that
name it and its source, so a reader sees what not to edit, and `python -m contract` rewrites only
what lies between them."""

from __future__ import annotations

import re

_BEGIN = "# >>> generated: {name} (python -m contract, from {source}; edit that, not this)"
_END = "# <<< generated: {name}"


class RegionMissing(ValueError):
    """The file has no markers for a region the generator writes."""


def replace(text: str, name: str, source: str, body: str, indent: str = "  ") -> str:
    """`text` with region `name`'s lines replaced by `body` (markers kept, rewritten with `source`)."""
    quoted = re.escape(name)
    begin, end = rf"^(?P<indent>[ \t]*)# >>> generated: {quoted} \(.*?\)\n", rf"^[ \t]*# <<< generated: {quoted}\n"
    pattern = re.compile(begin + ".*?" + end, re.MULTILINE | re.DOTALL)
    match = pattern.search(text)
    if match is None:
        raise RegionMissing(f"no '# >>> generated: {name}' region")
    indent = match.group("indent")
    block = (f"{indent}{_BEGIN.format(name=name, source=source)}\n{body.rstrip()}\n"
             f"{indent}{_END.format(name=name)}\n")
    return text[:match.start()] + block + text[match.end():]
