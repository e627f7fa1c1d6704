"""Evaluates Sigma rules over CloudTrail records with pySigma and its DuckDB backend.

Each record is one row of a DuckDB table whose columns are named exactly as the rules name
their fields (`eventName`, `userIdentity.type`, `requestParameters.attribute`, ...), each filled
from the record's nested JSON by following the dotted path. So the SQL the backend writes for a
rule runs as it is, with no field-mapping pipeline. A path that crosses an array reaches every
element (`requestParameters.containerDefinitions.command`); an object or array is matched as its
JSON text (`requestParameters|contains: Suspended`); booleans and numbers as their JSON text.
A JSON document CloudTrail gives as a string inside an object (a policy document) keeps its
escaped quotes in that text, so a rule looking for quoted words in the whole object
(`s3browser_templated_s3_bucket_policy_creation`) finds them only where the document is an object.

The backend is used with two corrections, both to follow the Sigma specification:
- every comparison is null-safe: a field the record lacks does not match, so `not filter` is
  true for it (plain SQL makes `NOT (NULL = 'x')` unknown, and the row would be dropped);
- string matches ignore case, as Sigma's do (the backend writes a case-sensitive `=` for plain
  values, and `additionalEventData.MFAUsed: 'NO'` would never match CloudTrail's `"No"`), and a
  literal `%`, `_` or backslash in a value matches only itself (the backend leaves them as wildcards).
"""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass, field

import duckdb
from sigma.collection import SigmaCollection
from sigma.conditions import ConditionFieldEqualsValueExpression
from sigma.processing.pipeline import ProcessingPipeline
from sigma.rule import SigmaDetection, SigmaDetectionItem, SigmaRule
from sigma.types import SigmaFieldReference
from sigma_backend_duckdb import DuckDBBackend


class SigmaDuckDB(DuckDBBackend):
    """The DuckDB backend with null-safe comparisons and case-insensitive, escaped string matches."""

    def convert_condition_field_eq_val(self, cond: ConditionFieldEqualsValueExpression, state):
        expression = super().convert_condition_field_eq_val(cond, state)
        return f"coalesce({expression}, false)" if isinstance(expression, str) else expression

    def convert_condition_field_eq_val_str(self, cond: ConditionFieldEqualsValueExpression, state):
        # Sigma's wildcards become ILIKE's, a literal %, _ or backslash is escaped (the backend leaves
        # them as wildcards), and the match ignores case as Sigma's does.
        pattern = cond.value.convert(escape_char="\\", wildcard_multi="%", wildcard_single="_", add_escaped="\\")
        pattern = pattern.replace("'", "''")
        return f"{self.escape_and_quote_field(cond.field)} ILIKE '{pattern}' ESCAPE '\\'"

    def convert_condition_field_eq_val_bool(self, cond: ConditionFieldEqualsValueExpression, state):
        return f"lower({self.escape_and_quote_field(cond.field)}) = '{'true' if cond.value.boolean else 'false'}'"

    def convert_condition_field_eq_val_num(self, cond: ConditionFieldEqualsValueExpression, state):
        return f"{self.escape_and_quote_field(cond.field)} = '{cond.value}'"


@dataclass
class Rule:
    """One Sigma rule: what it is, who wrote it (the DRL asks to name the author with every
    match), the SQL it became, or why it could not become any."""

    path: pathlib.Path
    id: str
    title: str
    author: str
    level: str
    fields: set[str] = field(default_factory=set)
    query: str | None = None
    error: str | None = None

    @property
    def name(self) -> str:
        """The file name without `aws_` and `.yml`: short enough for a table cell."""
        stem = self.path.stem
        return stem[4:] if stem.startswith("aws_") else stem


def rule_folder(sigma_root: pathlib.Path) -> pathlib.Path:
    """Where a Sigma checkout (or the vendored copy) keeps its CloudTrail rules."""
    return sigma_root / "rules" / "cloud" / "aws" / "cloudtrail"


def _fields(detection_items, into: set[str]) -> None:
    for item in detection_items:
        if isinstance(item, SigmaDetection):
            _fields(item.detection_items, into)
        elif isinstance(item, SigmaDetectionItem):
            if item.field:
                into.add(item.field)
            for value in item.value:
                if isinstance(value, SigmaFieldReference):
                    into.add(value.field)


def load_rules(folder: pathlib.Path) -> list[Rule]:
    """Every `*.yml` rule of `folder`, sorted by file name, each converted to DuckDB SQL (or
    carrying the reason it could not be)."""
    backend = SigmaDuckDB(processing_pipeline=ProcessingPipeline())
    rules = []
    for path in sorted(folder.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        try:
            collection = SigmaCollection.from_yaml(text)
            sigma_rule = next(r for r in collection.rules if isinstance(r, SigmaRule))
        except Exception as error:  # a rule pySigma cannot read is reported, not fatal
            rules.append(Rule(path, path.stem, path.stem, "", "", error=f"unreadable: {error}"))
            continue
        rule = Rule(
            path,
            str(sigma_rule.id),
            sigma_rule.title,
            sigma_rule.author or "",
            str(sigma_rule.level.name.lower()) if sigma_rule.level else "",
        )
        for detection in sigma_rule.detection.detections.values():
            _fields(detection.detection_items, rule.fields)
        try:
            queries = backend.convert(SigmaCollection([sigma_rule]))
            rule.query = queries[0]
        except Exception as error:
            rule.error = f"not convertible: {type(error).__name__}: {error}"
        rules.append(rule)
    return rules


def field_value(record, path: str) -> str | None:
    """The value a Sigma field names in a record: the dotted path followed through objects and
    into every element of arrays; strings as they are, anything else as JSON text; several values
    (through arrays) as the JSON text of their list; None when missing or null."""
    values = [record]
    for key in path.split("."):
        reached = []
        for value in values:
            for element in value if isinstance(value, list) else [value]:
                if isinstance(element, dict) and key in element and element[key] is not None:
                    reached.append(element[key])
        values = reached
        if not values:
            return None
    value = values[0] if len(values) == 1 else values
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class Evaluator:
    """The rules' SQL run over a table of records, one row each."""

    name = "pySigma with the DuckDB backend"

    def __init__(self, rules: list[Rule]):
        self.rules = rules
        self.fields = sorted(set().union(*(r.fields for r in rules if r.query)) if rules else set())
        self.failed: dict[str, str] = {r.id: r.error for r in rules if r.error}

    def match(self, records: list[dict]) -> dict[str, set[int]]:
        """For each rule that ran, the indexes (into `records`) of the records it matched.
        A rule whose SQL DuckDB refuses is added to `failed` with the reason."""
        connection = duckdb.connect()
        columns = ", ".join(f'"{name}" VARCHAR' for name in self.fields)
        connection.execute(f"CREATE TABLE logs (_row INTEGER{', ' + columns if columns else ''})")
        rows = [[index] + [field_value(record, name) for name in self.fields] for index, record in enumerate(records)]
        if rows:
            connection.executemany(f"INSERT INTO logs VALUES ({', '.join('?' * (len(self.fields) + 1))})", rows)
        matches: dict[str, set[int]] = {}
        for rule in self.rules:
            if not rule.query:
                continue
            try:
                found = connection.execute(f"SELECT _row FROM ({rule.query})").fetchall()
            except duckdb.Error as error:
                self.failed[rule.id] = f"DuckDB refused its SQL: {error}"
                continue
            matches[rule.id] = {row for (row,) in found}
        connection.close()
        return matches
