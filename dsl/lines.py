"""Split a policy's text into statements: logical lines and their comments.

A statement runs over several physical lines when a line ends with ``,`` or
the next line that holds code is indented more than the statement's first line.
Comments travel with the statement they stand above (or beside), so that the
formatter can keep them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StatementText:
    """One logical statement: ``text`` is its physical lines joined by newlines,
    starting at column 1 of ``line`` (1-based), comments still in place."""

    line: int
    text: str
    comments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Physical:
    code: str  # the line without its comment, right-stripped
    comment: str | None  # the comment's text after '#', stripped


def _split_comment(line: str) -> _Physical:
    in_string = False
    escaped = False
    for index, char in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "#":
            return _Physical(line[:index].rstrip(), line[index + 1 :].strip())
    return _Physical(line.rstrip(), None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def source_lines(source: str) -> list[str]:
    """The physical lines of a policy's text, whichever of ``\\r\\n``, ``\\r`` or ``\\n`` ends them."""
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def split_statements(raw: list[str]) -> tuple[list[StatementText], tuple[str, ...]]:
    """The statements of a text given as its :func:`source_lines`, and the comments after the last one."""
    lines = [_split_comment(line) for line in raw]
    statements: list[StatementText] = []
    pending: list[str] = []
    index = 0
    while index < len(lines):
        physical = lines[index]
        if not physical.code.strip():
            if physical.comment is not None:
                pending.append(physical.comment)
            index += 1
            continue
        first = index
        indent = _indent(raw[first])
        comments = list(pending)
        pending = []
        last = index
        while True:
            trailing = lines[last].comment
            if trailing is not None:
                comments.append(trailing)
            following = last + 1
            while following < len(lines) and not lines[following].code.strip():
                following += 1
            if following >= len(lines):
                break
            ends_with_comma = lines[last].code.endswith(",")
            if not (ends_with_comma or _indent(raw[following]) > indent):
                break
            # comment-only lines inside the statement belong to it
            comments.extend(c.comment for c in lines[last + 1 : following] if c.comment is not None)
            last = following
        statements.append(StatementText(first + 1, "\n".join(raw[first : last + 1]), tuple(comments)))
        index = last + 1
    return statements, tuple(pending)
