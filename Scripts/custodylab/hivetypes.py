"""Hive column types (as Athena's DDL writes them) and how a JSON value reads as one.

``STRUCT<type: STRING, arn: STRING>``, ``ARRAY<STRUCT<…>>``, ``MAP<STRING,STRING>``
and scalars become a small tree, the DuckDB type with the same shape, and a
reader that turns a CloudTrail record's JSON value into that shape as
Athena's JSON SerDe does: field names matched case-insensitively, a JSON
object or array read as a ``STRING`` column kept as its JSON text, numbers
and booleans as their text, missing fields null.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from typing import Any

_SCALARS = {
    "string": "VARCHAR",
    "varchar": "VARCHAR",
    "char": "VARCHAR",
    "boolean": "BOOLEAN",
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}


class HiveTypeError(ValueError):
    """A column type the lab cannot read."""


@dataclass(frozen=True)
class HiveType:
    """One Hive type: ``kind`` is a scalar name, ``struct``, ``array`` or ``map``."""

    kind: str
    fields: tuple[tuple[str, "HiveType"], ...] = ()
    element: "HiveType | None" = None
    key: "HiveType | None" = None

    def duckdb(self) -> str:
        """The DuckDB type of the same shape."""
        if self.kind == "struct":
            return "STRUCT(" + ", ".join(f'"{name}" {t.duckdb()}' for name, t in self.fields) + ")"
        if self.kind == "array":
            assert self.element is not None
            return f"{self.element.duckdb()}[]"
        if self.kind == "map":
            assert self.key is not None and self.element is not None
            return f"MAP({self.key.duckdb()}, {self.element.duckdb()})"
        return _SCALARS[self.kind]

    def read(self, value: Any) -> Any:
        """``value`` (from JSON) in this type's shape, as the JSON SerDe reads it; None when it does not fit."""
        if value is None:
            return None
        if self.kind == "struct":
            if not isinstance(value, dict):
                return None
            lowered = {str(k).lower(): v for k, v in value.items()}
            return {name: t.read(lowered.get(name.lower())) for name, t in self.fields}
        if self.kind == "array":
            assert self.element is not None
            return [self.element.read(v) for v in value] if isinstance(value, list) else None
        if self.kind == "map":
            assert self.key is not None and self.element is not None
            return {str(k): self.element.read(v) for k, v in value.items()} if isinstance(value, dict) else None
        if self.kind in ("string", "varchar", "char"):
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, (dict, list)):
                return json.dumps(value, separators=(",", ":"))
            return str(value)
        if self.kind == "boolean":
            return value if isinstance(value, bool) else str(value).lower() == "true"
        if self.kind in ("tinyint", "smallint", "int", "integer", "bigint"):
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
        if self.kind == "timestamp":
            try:
                moment = _dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                return None
            return moment.astimezone(_dt.timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment
        if self.kind in ("float", "double"):
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
        return str(value)


_TOKEN = re.compile(r"\s*(?:(?P<word>`[^`]+`|[A-Za-z_$][A-Za-z0-9_$]*)|(?P<punct>[<>,:()])|(?P<number>\d+))")


def _tokens(text: str) -> list[str]:
    out, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise HiveTypeError(f"cannot read the column type at {text[position:position + 30]!r}")
        out.append(match.group("word") or match.group("punct") or match.group("number"))
        position = match.end()
    return out


def parse_type(text: str) -> HiveType:
    """The :class:`HiveType` of ``text``, e.g. ``ARRAY<STRUCT<arn: STRING>>``."""
    tokens = _tokens(text)
    parsed, rest = _parse(tokens, 0)
    if rest != len(tokens):
        raise HiveTypeError(f"unexpected {tokens[rest]!r} after the type {text!r}")
    return parsed


def _expect(tokens: list[str], at: int, token: str) -> int:
    if at >= len(tokens) or tokens[at] != token:
        raise HiveTypeError(f"expected {token!r} in the column type, found {tokens[at] if at < len(tokens) else 'the end'!r}")
    return at + 1


def _parse(tokens: list[str], at: int) -> tuple[HiveType, int]:
    if at >= len(tokens):
        raise HiveTypeError("a column type is missing")
    word = tokens[at].lower()
    at += 1
    if word == "struct":
        at = _expect(tokens, at, "<")
        fields = []
        while True:
            name = tokens[at].strip("`")
            at = _expect(tokens, at + 1, ":")
            field_type, at = _parse(tokens, at)
            fields.append((name, field_type))
            if tokens[at] == ",":
                at += 1
                continue
            return HiveType("struct", fields=tuple(fields)), _expect(tokens, at, ">")
    if word == "array":
        element, at = _parse(tokens, _expect(tokens, at, "<"))
        return HiveType("array", element=element), _expect(tokens, at, ">")
    if word == "map":
        key, at = _parse(tokens, _expect(tokens, at, "<"))
        value, at = _parse(tokens, _expect(tokens, at, ","))
        return HiveType("map", key=key, element=value), _expect(tokens, at, ">")
    if word not in _SCALARS and word != "decimal":
        raise HiveTypeError(f"the column type {word!r} is not one the lab reads")
    if at < len(tokens) and tokens[at] == "(":  # varchar(65535), decimal(10,2): the size does not matter here
        while tokens[at] != ")":
            at += 1
        at += 1
    return HiveType("double" if word == "decimal" else word), at


def split_columns(text: str) -> list[tuple[str, str]]:
    """``name TYPE, name TYPE …`` (a column list's inside) as (name, type text) pairs; COMMENTs dropped."""
    columns, depth, current = [], 0, []
    for char in text + ",":
        if char in "<(":
            depth += 1
        elif char in ">)":
            depth -= 1
        if char == "," and depth == 0:
            item = "".join(current).strip()
            current = []
            if item:
                item = re.sub(r"\s+COMMENT\s+'(?:[^']|'')*'\s*$", "", item, flags=re.IGNORECASE)
                match = re.match(r"(`[^`]+`|\S+)\s+(.*)$", item, re.DOTALL)
                if match is None:
                    raise HiveTypeError(f"a column needs a name and a type: {item!r}")
                columns.append((match.group(1).strip("`").lower(), match.group(2).strip()))
            continue
        current.append(char)
    return columns
