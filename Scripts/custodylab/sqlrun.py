"""Running a Trino-dialect query (Athena's, CloudTrail Lake's) on DuckDB, and showing its values as they do.

The SQL is translated with sqlglot (``read="trino"``, ``write="duckdb"``);
a statement the translation or DuckDB cannot run is an error whose message
is the sqlglot or DuckDB one, which the services report as a failed query.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import os
import tempfile
from dataclasses import dataclass
from typing import Any, Iterable

import duckdb
import sqlglot
from sqlglot import exp

#: Athena's names of DuckDB's result types (``ColumnInfo.Type``).
_ATHENA_TYPES = {
    "VARCHAR": "varchar",
    "BOOLEAN": "boolean",
    "TINYINT": "tinyint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "bigint",
    "UBIGINT": "bigint",
    "FLOAT": "float",
    "DOUBLE": "double",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "JSON": "json",
}


class QueryError(Exception):
    """A query that cannot run; the message is the translator's or engine's."""


@dataclass
class Result:
    """Column names, Athena's type names, and rows of Python values."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


def parse(sql: str) -> exp.Expression:
    """``sql`` parsed as Trino; :class:`QueryError` if it cannot be read."""
    try:
        parsed = sqlglot.parse(sql, read="trino")
    except sqlglot.errors.SqlglotError as error:
        raise QueryError(str(error)) from None
    statements = [p for p in parsed if p is not None]
    if len(statements) != 1:
        raise QueryError("Only one sql statement is allowed.")
    return statements[0]


def translate(statement: exp.Expression) -> str:
    """The DuckDB SQL of a parsed Trino statement."""
    try:
        return statement.sql(dialect="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.SqlglotError as error:
        raise QueryError(str(error)) from None


def run(connection: duckdb.DuckDBPyConnection, sql: str) -> Result:
    """Run DuckDB ``sql`` and fetch every row."""
    try:
        cursor = connection.execute(sql)
        rows = cursor.fetchall()
        description = cursor.description or []
    except duckdb.Error as error:
        raise QueryError(str(error)) from None
    columns = [d[0] for d in description]
    types = [athena_type(str(d[1])) for d in description]
    return Result(columns=columns, types=types, rows=rows)


def load(connection: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str]], rows: Iterable[list[Any]]) -> None:
    """Create ``table`` (already quoted) with ``columns`` (name, DuckDB type) and fill it with ``rows``.

    The rows go through a newline-delimited JSON file that DuckDB reads with the columns' types:
    inserting nested values row by row takes milliseconds each, reading them takes microseconds.
    """
    definition = ", ".join(f'"{name}" {kind}' for name, kind in columns)
    handle, path = tempfile.mkstemp(prefix="custodylab-", suffix=".ndjson")
    written = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(dict(zip((name for name, _ in columns), row)), default=str, separators=(",", ":")))
                out.write("\n")
                written += 1
        if not written:
            connection.execute(f"CREATE TABLE {table} ({definition})")
            return
        types = ", ".join("'" + name.replace("'", "''") + "': '" + kind.replace("'", "''") + "'" for name, kind in columns)
        connection.execute(f"CREATE TABLE {table} ({definition})")
        connection.execute(
            f"INSERT INTO {table} SELECT * FROM read_json(?, format='newline_delimited', columns={{{types}}})", [path]
        )
    finally:
        os.unlink(path)


def athena_type(duckdb_type: str) -> str:
    """Athena's name of a DuckDB type (``row``, ``array``, ``map`` for nested ones)."""
    upper = duckdb_type.upper()
    if upper.endswith("[]"):
        return "array"
    if upper.startswith("STRUCT"):
        return "row"
    if upper.startswith("MAP"):
        return "map"
    if upper.startswith("DECIMAL"):
        return "decimal"
    return _ATHENA_TYPES.get(upper, upper.lower())


def text(value: Any) -> str | None:
    """A value as Athena and Lake print it: Trino's rendering (``{a=1, b=x}``, ``[a, b]``, ``true``); None for null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}" + (" UTC" if value.tzinfo else "")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_nested(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if isinstance(value, (float, decimal.Decimal)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    return str(value)


def _nested(value: Any) -> str:
    shown = text(value)
    return "null" if shown is None else shown
