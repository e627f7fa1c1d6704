"""Athena's query API over the CloudTrail log files that delivery wrote to S3.

``StartQueryExecution``, ``GetQueryExecution`` and ``GetQueryResults`` as
AWS answers them (JSON 1.1, ``AmazonAthena.<Op>``). DDL: ``CREATE
DATABASE``, ``CREATE EXTERNAL TABLE`` (the CloudTrail table of AWS's
documentation, partition projection included) and ``DROP TABLE``. Queries
run for real: the Trino SQL is translated with sqlglot and run by DuckDB
over a table with the DDL's columns and types, filled from the log files
in the table's S3 location as they are stored now, with the pseudo-column
``"$path"`` naming each row's file. ``DataScannedInBytes`` is the
compressed size of the files in the partitions the WHERE clause's
constraints on partition columns select (every file without such
constraints). Results go to ``<OutputLocation>/<QueryExecutionId>.csv``
as Athena writes them. A query the lab cannot translate or run FAILS with
the translator's or DuckDB's message as ``StateChangeReason``.

A query starts while ``StartQueryExecution`` is answered: which files
it reads (and so ``DataScannedInBytes``) is settled then, from S3 as it
is. One that finishes within ``INLINE_SECONDS`` is finished when the
answer goes out; a longer one (millions of records) goes on in the
background, outside the lab's lock, and ``GetQueryExecution`` says
``RUNNING`` until it ends, as Athena answers at once and runs the query
after. Either way the first ``GetQueryExecution`` of a query reports
``RUNNING``, later ones its state, so that a client has to poll as it
must against AWS.
"""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import duckdb
from sqlglot import exp

from . import s3objects, sqlrun, timefmt
from .errors import LabError
from .hivetypes import HiveType, HiveTypeError, parse_type, split_columns

MAX_RESULTS = 1000
#: How long StartQueryExecution waits for a query before answering and letting it run on.
INLINE_SECONDS = 10.0
DEFAULT_CATALOG = "AwsDataCatalog"
DEFAULT_WORKGROUP = "primary"
ENGINE = {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}

_NAME = r"(?:`[^`]+`|\"[^\"]+\"|[A-Za-z0-9_]+)"
_CREATE_DATABASE = re.compile(rf"^\s*CREATE\s+(?:DATABASE|SCHEMA)\s+(?P<exists>IF\s+NOT\s+EXISTS\s+)?(?P<name>{_NAME})", re.I | re.S)
_CREATE_TABLE = re.compile(
    rf"^\s*CREATE\s+EXTERNAL\s+TABLE\s+(?P<exists>IF\s+NOT\s+EXISTS\s+)?(?:(?P<db>{_NAME})\.)?(?P<name>{_NAME})\s*\(", re.I | re.S
)
_DROP_TABLE = re.compile(rf"^\s*DROP\s+TABLE\s+(?P<exists>IF\s+EXISTS\s+)?(?:(?P<db>{_NAME})\.)?(?P<name>{_NAME})\s*$", re.I | re.S)
_LOCATION = re.compile(r"\bLOCATION\s+'(?P<url>[^']+)'", re.I)
_PROPERTIES = re.compile(r"\bTBLPROPERTIES\s*\((?P<body>.*)\)\s*$", re.I | re.S)
_PROPERTY = re.compile(r"'(?P<key>(?:[^']|'')*)'\s*=\s*'(?P<value>(?:[^']|'')*)'")
_DATE_PARTS = {"yyyy": r"\d{4}", "MM": r"\d{2}", "dd": r"\d{2}", "HH": r"\d{2}", "mm": r"\d{2}"}
_STRFTIME = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M"}


def _unquote(name: str) -> str:
    return name.strip("`\"").lower()


@dataclass
class Table:
    """An external table: its columns, partition columns, location and properties."""

    database: str
    name: str
    columns: list[tuple[str, HiveType]]
    partitions: list[tuple[str, HiveType]]
    location: str
    properties: dict[str, str]

    @property
    def projected(self) -> bool:
        """Whether partition projection is on and says where partitions are."""
        return self.properties.get("projection.enabled", "").lower() == "true" and "storage.location.template" in self.properties


@dataclass
class LogFile:
    """One object under a table's location and the partition values its key gives."""

    object: s3objects.S3Object
    partition: dict[str, str | None]


@dataclass
class Execution:
    """One query execution and, once finished, its result."""

    id: str
    query: str
    database: str | None
    catalog: str
    workgroup: str
    output: str | None
    submitted: float
    statement_type: str = "DML"
    substatement_type: str = "SELECT"
    state: str = "QUEUED"
    reason: str | None = None
    completed: float | None = None
    engine_ms: int = 0
    scanned: int = 0
    result: sqlrun.Result | None = None
    polled: bool = False
    #: Set once the query has run (by its thread), and once the answer went out without it (by StartQueryExecution).
    computed: bool = False
    detached: bool = False
    statement: Any = None

    def shape(self) -> dict[str, Any]:
        """``QueryExecution`` as GetQueryExecution returns it; the first call of a finished query says RUNNING."""
        reported = self.state if self.polled else "RUNNING"
        self.polled = True
        status: dict[str, Any] = {"State": reported, "SubmissionDateTime": self.submitted}
        statistics: dict[str, Any] = {"DataScannedInBytes": 0, "EngineExecutionTimeInMillis": 0, "TotalExecutionTimeInMillis": 0}
        if reported in ("SUCCEEDED", "FAILED"):
            status["CompletionDateTime"] = self.completed
            if self.reason:
                status["StateChangeReason"] = self.reason
                status["AthenaError"] = {"ErrorCategory": 2, "ErrorType": 1100 if "TABLE_NOT_FOUND" in self.reason else 1000, "Retryable": False, "ErrorMessage": self.reason}
            statistics = {
                "DataScannedInBytes": self.scanned,
                "EngineExecutionTimeInMillis": self.engine_ms,
                "TotalExecutionTimeInMillis": self.engine_ms,
                "QueryQueueTimeInMillis": 0,
                "ServicePreProcessingTimeInMillis": 0,
                "QueryPlanningTimeInMillis": 0,
                "ServiceProcessingTimeInMillis": 0,
            }
            if self.output and self.statement_type == "DML":
                statistics["DataManifestLocation"] = f"{self.output_file()}.metadata"
        context: dict[str, Any] = {"Catalog": self.catalog}
        if self.database:
            context["Database"] = self.database
        shape: dict[str, Any] = {
            "QueryExecutionId": self.id,
            "Query": self.query,
            "StatementType": self.statement_type,
            "QueryExecutionContext": context,
            "Status": status,
            "Statistics": statistics,
            "WorkGroup": self.workgroup,
            "EngineVersion": dict(ENGINE),
            "SubstatementType": self.substatement_type,
        }
        if self.output:
            shape["ResultConfiguration"] = {"OutputLocation": self.output_file()}
        return shape

    def output_file(self) -> str:
        """``<OutputLocation>/<id>.csv`` (``.txt`` for DDL, as Athena names them)."""
        assert self.output is not None
        suffix = "csv" if self.statement_type == "DML" else "txt"
        return f"{self.output.rstrip('/')}/{self.id}.{suffix}"


class Athena:
    """The Data Catalog's databases and tables, and the query executions, per account and region."""

    def __init__(self, moto_lock: Any = None) -> None:
        """``moto_lock``: the lock that serialises calls into moto, which a query running on its own takes to write its result."""
        self._moto_lock = moto_lock or threading.RLock()
        self._lock = threading.RLock()
        self._catalogs: dict[tuple[str, str], dict[str, dict[str, Table]]] = {}
        self._executions: dict[tuple[str, str], dict[str, Execution]] = {}

    # API ----------------------------------------------------------------------

    def handle(self, name: str, account: str, region: str, params: dict[str, Any], new_id: str) -> dict[str, Any]:
        """Answer operation ``name``; ``new_id`` names a new query execution."""
        if name == "StartQueryExecution":
            return self.start(account, region, params, new_id)
        if name == "GetQueryExecution":
            return {"QueryExecution": self._execution(account, region, params).shape()}
        if name == "GetQueryResults":
            return self.results(account, region, params)
        if name == "StopQueryExecution":  # every query has finished already: nothing to stop, as for a finished one in AWS
            self._execution(account, region, params)
            return {}
        if name == "BatchGetQueryExecution":
            found, missing = [], []
            for query_id in params.get("QueryExecutionIds") or []:
                try:
                    found.append(self._execution(account, region, {"QueryExecutionId": query_id}).shape())
                except LabError as error:
                    missing.append({"QueryExecutionId": query_id, "ErrorCode": error.code, "ErrorMessage": error.message})
            return {"QueryExecutions": found, "UnprocessedQueryExecutionIds": missing}
        if name == "ListQueryExecutions":
            workgroup = params.get("WorkGroup") or DEFAULT_WORKGROUP
            with self._lock:
                executions = [e for e in self._executions.get((account, region), {}).values() if e.workgroup == workgroup]
            ids = [e.id for e in reversed(executions)]  # newest first: kept in the order they were started
            max_results = params.get("MaxResults", 50)
            start = _decode_token(params.get("NextToken"), f"list:{workgroup}")
            answer: dict[str, Any] = {"QueryExecutionIds": ids[start : start + max_results]}
            if start + max_results < len(ids):
                answer["NextToken"] = _encode_token(start + max_results, f"list:{workgroup}")
            return answer
        raise LabError(f"The lab does not implement Athena's {name}.", code="InvalidRequestException")

    def start(self, account: str, region: str, params: dict[str, Any], query_id: str) -> dict[str, Any]:
        """StartQueryExecution: run the query (or DDL) now and keep its outcome."""
        query = params.get("QueryString")
        if not isinstance(query, str) or not query.strip():
            raise LabError("QueryString must not be empty.", code="InvalidRequestException")
        context = params.get("QueryExecutionContext") or {}
        output = ((params.get("ResultConfiguration") or {}).get("OutputLocation")) or _workgroup_output(account, region, params.get("WorkGroup"))
        if not output:
            raise LabError(
                "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.",
                code="InvalidRequestException",
            )
        try:
            s3objects.split_url(output)
        except ValueError as error:
            raise LabError(str(error), code="InvalidRequestException") from None
        execution = Execution(
            id=query_id,
            query=query,
            database=(context.get("Database") or "").lower() or None,
            catalog=context.get("Catalog") or DEFAULT_CATALOG,
            workgroup=params.get("WorkGroup") or DEFAULT_WORKGROUP,
            output=output,
            submitted=timefmt.utcnow().timestamp(),
        )
        with self._lock:
            self._executions.setdefault((account, region), {})[query_id] = execution
            catalog = self._catalogs.setdefault((account, region), {"default": {}})
        started = time.monotonic()
        try:
            plan = self._plan(execution, catalog)
        except sqlrun.QueryError as error:
            self._end(execution, started, error)
            return {"QueryExecutionId": query_id}
        if plan is None:  # DDL: done
            self._end(execution, started, None)
            return {"QueryExecutionId": query_id}
        execution.state = "RUNNING"
        runner = threading.Thread(target=self._compute, args=(execution, plan, started), name=f"athena-{query_id}", daemon=True)
        runner.start()
        runner.join(INLINE_SECONDS)
        with self._lock:
            finish_here = execution.computed
            execution.detached = not finish_here
        if finish_here:  # the caller holds the moto lock already
            self._finish(execution, started)
        return {"QueryExecutionId": query_id}

    def _compute(self, execution: Execution, plan: list[tuple["Table", list["LogFile"]]], started: float) -> None:
        """Load the planned files into DuckDB and run the query (no moto access); finish it here if nobody waits."""
        try:
            execution.result = self._query(execution, plan)
        except sqlrun.QueryError as error:
            execution.reason = str(error)
        except Exception as error:  # a lab bug: the query fails, the lab goes on
            execution.reason = f"INTERNAL_ERROR: {error}"
        with self._lock:
            execution.computed = True
            detached = execution.detached
        if detached:
            with self._moto_lock:
                self._finish(execution, started)

    def _finish(self, execution: Execution, started: float) -> None:
        """Write the result file (the one S3 write) and settle the state."""
        error = sqlrun.QueryError(execution.reason) if execution.reason else None
        if error is None and execution.result is not None and not _write_csv(execution, execution.result):
            bucket = s3objects.split_url(execution.output or "")[0]
            error = sqlrun.QueryError(f"Unable to verify/create output bucket {bucket}")
        self._end(execution, started, error)

    def _end(self, execution: Execution, started: float, error: sqlrun.QueryError | None) -> None:
        with self._lock:
            execution.engine_ms = max(1, int((time.monotonic() - started) * 1000))
            execution.completed = timefmt.utcnow().timestamp()
            if error is None:
                execution.state, execution.reason = "SUCCEEDED", None
            else:
                execution.state, execution.reason = "FAILED", str(error)

    def results(self, account: str, region: str, params: dict[str, Any]) -> dict[str, Any]:
        """GetQueryResults: a page of rows, the header row first, as Athena pages them."""
        execution = self._execution(account, region, params)
        if not execution.polled or execution.state != "SUCCEEDED":
            shown = execution.state if execution.polled else "RUNNING"
            if shown == "FAILED":
                raise LabError(f"Query did not finish successfully. Final query state: FAILED\n{execution.reason}", code="InvalidRequestException")
            raise LabError(f"Query has not yet finished. Current state: {shown}", code="InvalidRequestException")
        max_results = params.get("MaxResults", MAX_RESULTS)
        if not isinstance(max_results, int) or not 1 <= max_results <= MAX_RESULTS:
            raise LabError(f"MaxResults must be between 1 and {MAX_RESULTS}.", code="InvalidRequestException")
        result = execution.result or sqlrun.Result(columns=[], types=[], rows=[])
        table = ([tuple(result.columns)] if result.columns else []) + result.rows
        start = _decode_token(params.get("NextToken"), execution.id)
        page = table[start : start + max_results]
        rows = [{"Data": [_datum(v) for v in row]} for row in page]
        answer: dict[str, Any] = {
            "UpdateCount": 0,
            "ResultSet": {
                "Rows": rows,
                "ResultSetMetadata": {
                    "ColumnInfo": [
                        {
                            "CatalogName": "hive",
                            "SchemaName": "",
                            "TableName": "",
                            "Name": name,
                            "Label": name,
                            "Type": kind,
                            "Precision": 2147483647 if kind == "varchar" else 0,
                            "Scale": 0,
                            "Nullable": "UNKNOWN",
                            "CaseSensitive": kind == "varchar",
                        }
                        for name, kind in zip(result.columns, result.types)
                    ]
                },
            },
        }
        if start + max_results < len(table):
            answer["NextToken"] = _encode_token(start + max_results, execution.id)
        return answer

    def _execution(self, account: str, region: str, params: dict[str, Any]) -> Execution:
        query_id = params.get("QueryExecutionId")
        with self._lock:
            execution = self._executions.get((account, region), {}).get(query_id or "")
        if execution is None:
            raise LabError(f"QueryExecution {query_id} was not found", code="InvalidRequestException")
        return execution

    # Running ------------------------------------------------------------------

    def _plan(self, execution: Execution, catalog: dict[str, dict[str, Table]]) -> list[tuple[Table, list[LogFile]]] | None:
        """Run DDL (None); for a query, the files of each table it reads, counted as scanned."""
        sql = execution.query.strip().rstrip(";").strip()
        for pattern, substatement in ((_CREATE_DATABASE, "CREATE_DATABASE"), (_CREATE_TABLE, "CREATE_TABLE"), (_DROP_TABLE, "DROP_TABLE")):
            if pattern.match(sql):
                execution.statement_type, execution.substatement_type = "DDL", substatement
        if execution.statement_type == "DDL":
            with self._lock:
                self._ddl(sql, execution.database or "default", catalog)
            bucket, key = s3objects.split_url(execution.output_file())
            s3objects.put_object(bucket, key, b"", "text/plain")  # Athena leaves an empty result file for DDL too
            return None
        statement = sqlrun.parse(sql)
        if not isinstance(statement, exp.Query):
            raise sqlrun.QueryError(f"Queries of this type are not supported by the lab: {statement.key.upper()}")
        with self._lock:
            tables = _referenced_tables(statement, execution.database or "default", catalog)
        plan = []
        for table in tables:
            # Rows of the other partitions cannot pass the WHERE clause: only the files scanned are loaded.
            files = _pruned(_files(table), table, statement)
            execution.scanned += sum(f.object.size for f in files)
            plan.append((table, files))
        execution.statement = statement
        return plan

    @staticmethod
    def _query(execution: Execution, plan: list[tuple[Table, list[LogFile]]]) -> sqlrun.Result:
        connection = duckdb.connect()
        try:
            for table, files in plan:
                _load(connection, table, files)
            return sqlrun.run(connection, sqlrun.translate(execution.statement))
        finally:
            connection.close()

    @staticmethod
    def _ddl(sql: str, database: str, catalog: dict[str, dict[str, Table]]) -> None:
        if match := _CREATE_DATABASE.match(sql):
            name = _unquote(match["name"])
            if name in catalog and not match["exists"]:
                raise sqlrun.QueryError(f"FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. Database {name} already exists")
            catalog.setdefault(name, {})
            return
        if match := _DROP_TABLE.match(sql):
            db = _unquote(match["db"]) if match["db"] else database
            name = _unquote(match["name"])
            if name not in catalog.get(db, {}) and not match["exists"]:
                raise sqlrun.QueryError(f"FAILED: SemanticException [Error 10001]: Table not found {db}.{name}")
            catalog.get(db, {}).pop(name, None)
            return
        match = _CREATE_TABLE.match(sql)
        assert match is not None
        db = _unquote(match["db"]) if match["db"] else database
        if db not in catalog:
            raise sqlrun.QueryError(f"FAILED: SemanticException [Error 10072]: Database does not exist: {db}")
        name = _unquote(match["name"])
        if name in catalog[db] and not match["exists"]:
            raise sqlrun.QueryError(f"FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. AlreadyExistsException(message:Table {name} already exists)")
        inside, rest = _parenthesised(sql, match.end() - 1)
        partitions: list[tuple[str, str]] = []
        partitioned = re.match(r"\s*(?:COMMENT\s+'(?:[^']|'')*'\s*)?PARTITIONED\s+BY\s*", rest, re.I)
        if partitioned:
            partition_text, rest = _parenthesised(rest, partitioned.end())
            partitions = split_columns(partition_text)
        location = _LOCATION.search(rest)
        if location is None:
            raise sqlrun.QueryError("FAILED: an external table needs a LOCATION 's3://bucket/prefix/'")
        properties = {}
        if found := _PROPERTIES.search(rest):
            properties = {m["key"].replace("''", "'"): m["value"].replace("''", "'") for m in _PROPERTY.finditer(found["body"])}
        try:
            table = Table(
                database=db,
                name=name,
                columns=[(n, parse_type(t)) for n, t in split_columns(inside)],
                partitions=[(n, parse_type(t)) for n, t in partitions],
                location=location["url"],
                properties=properties,
            )
            s3objects.split_url(table.location)
            if table.projected:
                s3objects.split_url(table.properties["storage.location.template"])
        except (HiveTypeError, ValueError) as error:
            raise sqlrun.QueryError(f"FAILED: ParseException: {error}") from None
        if name in catalog[db] and match["exists"]:
            return
        catalog[db][name] = table


def _parenthesised(text: str, open_at: int) -> tuple[str, str]:
    """The text inside the parenthesis opening at ``open_at``, and what follows it."""
    depth = 0
    quoted = False
    for position in range(open_at, len(text)):
        char = text[position]
        if char == "'":
            quoted = not quoted
        if quoted:
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : position], text[position + 1 :]
    raise sqlrun.QueryError("FAILED: ParseException: unbalanced parentheses in the statement")


def _referenced_tables(statement: exp.Expression, database: str, catalog: dict[str, dict[str, Table]]) -> list[Table]:
    """The tables ``statement`` reads, each qualified with its database in the statement itself."""
    defined = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    found: dict[tuple[str, str], Table] = {}
    for node in list(statement.find_all(exp.Table)):
        name = node.name.lower()
        if not node.db and name in defined:
            continue
        db = node.db.lower() if node.db else database
        if node.catalog and node.catalog.lower() != DEFAULT_CATALOG.lower():
            raise sqlrun.QueryError(f"CATALOG_NOT_FOUND: Catalog '{node.catalog}' does not exist")
        table = catalog.get(db, {}).get(name)
        if table is None:
            raise sqlrun.QueryError(f"TABLE_NOT_FOUND: Table '{DEFAULT_CATALOG.lower()}.{db}.{name}' does not exist")
        node.set("catalog", None)
        node.set("db", exp.to_identifier(db, quoted=True))
        node.set("this", exp.to_identifier(name, quoted=True))
        found[(db, name)] = table
    return list(found.values())


def _template(table: Table) -> tuple[str, str, re.Pattern[str], list[str]]:
    """Bucket, fixed key prefix, key pattern and partition names of the table's storage."""
    url = table.properties["storage.location.template"] if table.projected else table.location
    bucket, key = s3objects.split_url(url)
    names: list[str] = []
    pattern = ""
    for piece in re.split(r"(\$\{[^}]+\})", key):
        if piece.startswith("${"):
            name = piece[2:-1].lower()
            names.append(name)
            pattern += f"(?P<p{len(names) - 1}>{_value_pattern(table, name)})"
        else:
            pattern += re.escape(piece)
    prefix = key.split("${", 1)[0]
    pattern = "^" + pattern.rstrip("/") + "/"
    return bucket, prefix, re.compile(pattern), names


def _value_pattern(table: Table, name: str) -> str:
    if table.properties.get(f"projection.{name}.type", "").lower() == "date":
        fmt = table.properties.get(f"projection.{name}.format", "yyyy/MM/dd")
        out = re.escape(fmt)
        for part, regex in _DATE_PARTS.items():
            out = out.replace(part, regex)
        return out
    return r"[^/]+"


def _in_projection(table: Table, name: str, value: str) -> bool:
    """Whether ``value`` is one of partition ``name``'s projected values (enum values, date range)."""
    kind = table.properties.get(f"projection.{name}.type", "").lower()
    if kind == "enum":
        return value in [v.strip() for v in table.properties.get(f"projection.{name}.values", "").split(",")]
    if kind == "date":
        fmt = table.properties.get(f"projection.{name}.format", "yyyy/MM/dd")
        bounds = [b.strip() for b in table.properties.get(f"projection.{name}.range", "").split(",")]
        if len(bounds) != 2:
            return True
        strftime = fmt
        for part, code in _STRFTIME.items():
            strftime = strftime.replace(part, code)
        now = timefmt.utcnow().strftime(strftime)
        low, high = (now if b.upper().startswith("NOW") else b for b in bounds)
        return low <= value <= high
    return True


def _files(table: Table) -> list[LogFile]:
    """The log files under the table's location (projected partitions only), with their partition values."""
    bucket, prefix, pattern, names = _template(table)
    found = []
    for stored in s3objects.list_objects(bucket, prefix):
        if not stored.key.endswith((".json.gz", ".json")) or "/CloudTrail-Digest/" in stored.key:
            continue
        match = pattern.match(stored.key) if table.projected else (stored if stored.key.startswith(prefix) else None)
        if not match:
            continue
        partition: dict[str, str | None] = {name: None for name, _ in table.partitions}
        if table.projected:
            values = {names[i]: match.group(f"p{i}") for i in range(len(names))}
            if not all(_in_projection(table, n, v) for n, v in values.items()):
                continue
            partition.update({n: v for n, v in values.items() if n in partition})
        found.append(LogFile(object=stored, partition=partition))
    return found


def _load(connection: duckdb.DuckDBPyConnection, table: Table, files: list[LogFile]) -> None:
    """Create the table in DuckDB and fill it with the records of ``files``."""
    connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{table.database}"')
    columns = [(n, t.duckdb()) for n, t in table.columns + table.partitions] + [("$path", "VARCHAR")]
    sqlrun.load(connection, f'"{table.database}"."{table.name}"', columns, _rows(table, files))


def _rows(table: Table, files: list[LogFile]):
    """Each record of ``files`` as a row of the table: its columns, its file's partition values, its file's URL."""
    for log_file in files:
        body = log_file.object.body
        try:
            document = json.loads(gzip.decompress(body) if log_file.object.key.endswith(".gz") else body)
        except (OSError, ValueError) as error:
            raise sqlrun.QueryError(f"HIVE_CURSOR_ERROR: {log_file.object.url}: {error}") from None
        partition = [t.read(log_file.partition.get(n)) for n, t in table.partitions]
        for record in document.get("Records", []) if isinstance(document, dict) else []:
            lowered = {str(k).lower(): v for k, v in record.items()} if isinstance(record, dict) else {}
            yield [t.read(lowered.get(n)) for n, t in table.columns] + partition + [log_file.object.url]


def _pruned(files: list[LogFile], table: Table, statement: exp.Expression) -> list[LogFile]:
    """The files in the partitions the WHERE clause's constraints on partition columns leave.

    Only a query reading one table with one WHERE is pruned; any other reads every file.
    """
    names = {n for n, _ in table.partitions}
    wheres = list(statement.find_all(exp.Where))
    if len(wheres) != 1 or len(list(statement.find_all(exp.Table))) != 1:
        return files  # a WHERE of a subquery or join need not bound what the rest of the query reads
    where = wheres[0].this
    constraints = list(where.flatten()) if isinstance(where, exp.And) else [where]
    checks = [check for c in constraints if (check := _constraint(c, names)) is not None]
    return [f for f in files if all(check(f.partition) for check in checks)]


def _constraint(node: exp.Expression, names: set[str]):
    """A test of partition values for one conjunct, or None when it does not constrain partitions simply."""

    def column(side: exp.Expression) -> str | None:
        return side.name.lower() if isinstance(side, exp.Column) and side.name.lower() in names else None

    def literal(side: exp.Expression) -> str | None:
        return side.name if isinstance(side, exp.Literal) else None

    if isinstance(node, exp.In):
        name = column(node.this)
        values = [literal(v) for v in node.expressions]
        if name and values and all(v is not None for v in values):
            return lambda p: p.get(name) in values
        return None
    if isinstance(node, exp.Between):
        name, low, high = column(node.this), literal(node.args["low"]), literal(node.args["high"])
        if name and low is not None and high is not None:
            return lambda p: p.get(name) is not None and low <= p[name] <= high
        return None
    comparisons = {exp.EQ: lambda a, b: a == b, exp.GT: lambda a, b: a > b, exp.GTE: lambda a, b: a >= b, exp.LT: lambda a, b: a < b, exp.LTE: lambda a, b: a <= b}
    flipped = {exp.EQ: exp.EQ, exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE}
    for kind, compare in comparisons.items():
        if type(node) is kind:
            left, right = node.this, node.expression
            if column(left) and literal(right) is not None:
                name, value, test = column(left), literal(right), compare
            elif column(right) and literal(left) is not None:
                name, value, test = column(right), literal(left), comparisons[flipped[kind]]
            else:
                return None
            return lambda p: p.get(name) is not None and test(p[name], value)
    return None


def _write_csv(execution: Execution, result: sqlrun.Result) -> bool:
    """Write the result as Athena does: every field quoted, nulls empty, a header row; False if the bucket is missing."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        out.write(",".join("" if (t := sqlrun.text(v)) is None else '"' + t.replace('"', '""') + '"' for v in row) + "\n")
    bucket, key = s3objects.split_url(execution.output_file())
    if not s3objects.put_object(bucket, key, out.getvalue().encode(), "text/csv"):
        return False
    manifest = f"{execution.output_file()}\n".encode()
    s3objects.put_object(bucket, f"{key}.metadata", manifest, "application/octet-stream")
    return True


def _datum(value: Any) -> dict[str, str]:
    shown = value if isinstance(value, str) else sqlrun.text(value)
    return {} if shown is None else {"VarCharValue": shown}


def _encode_token(position: int, query_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([query_id, position]).encode()).decode()


def _decode_token(token: Any, query_id: str) -> int:
    if token is None:
        return 0
    try:
        owner, position = json.loads(base64.urlsafe_b64decode(str(token).encode()))
        if owner == query_id and isinstance(position, int) and position >= 0:
            return position
    except (ValueError, TypeError):
        pass
    raise LabError("The NextToken is not valid for this query.", code="InvalidRequestException")


def _workgroup_output(account: str, region: str, workgroup: str | None) -> str | None:
    """The workgroup's result location, when moto keeps one."""
    try:
        from moto.athena.models import athena_backends

        group = athena_backends[account][region].work_groups.get(workgroup or DEFAULT_WORKGROUP)
    except (KeyError, AttributeError):
        return None
    configuration = getattr(group, "configuration", None) or {}
    return ((configuration.get("ResultConfiguration") or {}).get("OutputLocation")) if isinstance(configuration, dict) else None
