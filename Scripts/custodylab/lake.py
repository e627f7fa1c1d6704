"""CloudTrail Lake: event data stores and SQL queries over them (moto has neither).

``CreateEventDataStore``, ``GetEventDataStore``, ``ListEventDataStores``,
``StartQuery``, ``DescribeQuery`` and ``GetQueryResults`` on CloudTrail's
JSON 1.1 endpoint, shaped as botocore's model says. An event data store
holds the management events recorded from its creation on: of its account,
or of every account of the Organization when ``OrganizationEnabled``; of
every region, or only its own when ``MultiRegionEnabled`` is false; only
events that are visible (``--event-delay``). A query names the store by id
(or ARN) after ``FROM`` as Lake's SQL does; it is translated from Trino
with sqlglot and run by DuckDB over a table with Lake's column names and
types (``eventTime`` a timestamp, ``userIdentity`` a struct,
``requestParameters`` a map of strings, ``eventJson`` the whole record's
JSON text). ``BytesScanned`` is the size of
the events' JSON. A statement that cannot be parsed is refused at
``StartQuery`` (``InvalidQueryStatementException``), as Lake refuses it;
one DuckDB cannot run FAILS with its message. The first ``DescribeQuery``
of a query reports ``RUNNING``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import duckdb
from sqlglot import exp

from . import sqlrun, timefmt
from .errors import LabError
from .hivetypes import HiveType, parse_type

MAX_RESULTS = 1000

#: Lake's event schema: column name and type (Hive syntax, read by ``hivetypes``).
_IDENTITY = (
    "STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, accessKeyId: STRING, userName: STRING,"
    " invokedBy: STRING, sessionContext: STRUCT<attributes: STRUCT<creationDate: STRING, mfaAuthenticated: STRING>,"
    " sessionIssuer: STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, userName: STRING>,"
    " ec2RoleDelivery: STRING, sourceIdentity: STRING>>"
)
SCHEMA: list[tuple[str, HiveType]] = [
    (name, parse_type(kind))
    for name, kind in [
        ("eventVersion", "STRING"),
        ("eventCategory", "STRING"),
        ("eventType", "STRING"),
        ("eventID", "STRING"),
        ("eventTime", "TIMESTAMP"),
        ("eventSource", "STRING"),
        ("eventName", "STRING"),
        ("awsRegion", "STRING"),
        ("sourceIPAddress", "STRING"),
        ("userAgent", "STRING"),
        ("userIdentity", _IDENTITY),
        ("errorCode", "STRING"),
        ("errorMessage", "STRING"),
        ("requestParameters", "MAP<STRING,STRING>"),
        ("responseElements", "MAP<STRING,STRING>"),
        ("additionalEventData", "MAP<STRING,STRING>"),
        ("requestID", "STRING"),
        ("readOnly", "BOOLEAN"),
        ("resources", "ARRAY<STRUCT<accountId: STRING, type: STRING, arn: STRING, arnPrefix: STRING>>"),
        ("managementEvent", "BOOLEAN"),
        ("recipientAccountId", "STRING"),
        ("sharedEventID", "STRING"),
        ("vpcEndpointId", "STRING"),
        ("vpcEndpointAccountId", "STRING"),
        ("tlsDetails", "STRUCT<tlsVersion: STRING, cipherSuite: STRING, clientProvidedHostHeader: STRING>"),
    ]
]
#: The column that holds the whole event, as Lake's schema has it: the record's JSON text.
EVENT_JSON = "eventJson"


@dataclass
class EventDataStore:
    """One event data store."""

    arn: str
    id: str
    name: str
    account: str
    region: str
    organization: bool
    multi_region: bool
    retention: int
    created: float
    selectors: list[dict[str, Any]]

    def shape(self) -> dict[str, Any]:
        """As CreateEventDataStore, GetEventDataStore and ListEventDataStores return it."""
        return {
            "EventDataStoreArn": self.arn,
            "Name": self.name,
            "Status": "ENABLED",
            "AdvancedEventSelectors": self.selectors,
            "MultiRegionEnabled": self.multi_region,
            "OrganizationEnabled": self.organization,
            "RetentionPeriod": self.retention,
            "TerminationProtectionEnabled": True,
            "CreatedTimestamp": self.created,
            "UpdatedTimestamp": self.created,
            "BillingMode": "EXTENDABLE_RETENTION_PRICING",
        }


@dataclass
class LakeQuery:
    """One query and its outcome."""

    id: str
    statement: str
    created: float
    status: str = "QUEUED"
    error: str | None = None
    result: sqlrun.Result | None = None
    scanned_events: int = 0
    scanned_bytes: int = 0
    elapsed_ms: int = 0
    described: bool = False

    def shown_status(self) -> str:
        """``RUNNING`` until the query has been described once, then its final status."""
        return self.status if self.described else "RUNNING"


class Lake:
    """Event data stores and queries, per account."""

    def __init__(self, events: Callable[[], list[dict[str, Any]]], organization_of: Callable[[str], tuple[str, str] | None]) -> None:
        """``events``: every visible record, oldest first; ``organization_of``: an account's (Organization id, management account)."""
        self._events = events
        self._organization_of = organization_of
        self._lock = threading.RLock()
        self._stores: dict[str, EventDataStore] = {}
        self._queries: dict[tuple[str, str], LakeQuery] = {}

    def handles(self, name: str) -> bool:
        """Whether ``name`` is a Lake operation the lab answers."""
        return name in ("CreateEventDataStore", "GetEventDataStore", "ListEventDataStores", "StartQuery", "DescribeQuery", "GetQueryResults")

    def handle(self, name: str, account: str, region: str, params: dict[str, Any], new_id: str) -> dict[str, Any]:
        """Answer operation ``name``; ``new_id`` names a new store or query."""
        with self._lock:
            if name == "CreateEventDataStore":
                return self._create(account, region, params, new_id)
            if name == "GetEventDataStore":
                return self._store(account, params.get("EventDataStore")).shape()
            if name == "ListEventDataStores":
                # The listing's entries have no BillingMode (botocore's EventDataStore shape).
                stores = [{k: v for k, v in s.shape().items() if k != "BillingMode"} for s in self._stores.values() if s.account == account]
                return {"EventDataStores": stores}
            if name == "StartQuery":
                return self._start(account, region, params, new_id)
            if name == "DescribeQuery":
                return self._describe(account, params)
            return self._results(account, params)

    def _create(self, account: str, region: str, params: dict[str, Any], new_id: str) -> dict[str, Any]:
        name = params.get("Name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-zA-Z0-9._\-]{3,128}", name):
            raise LabError("Event data store name is not valid: 3 to 128 letters, digits, '.', '_' or '-'.", code="InvalidParameterException")
        if any(s.account == account and s.name == name for s in self._stores.values()):
            raise LabError(f"An event data store named {name} already exists.", code="EventDataStoreAlreadyExistsException")
        organization = bool(params.get("OrganizationEnabled", False))
        if organization and self._organization_of(account) is None:
            raise LabError("This account is not in an Organization.", code="OrganizationsNotInUseException")
        if organization and (self._organization_of(account) or ("", ""))[1] != account:
            raise LabError("Only the management account can create an organization event data store.", code="NotOrganizationMasterAccountException")
        store = EventDataStore(
            arn=f"arn:aws:cloudtrail:{region}:{account}:eventdatastore/{new_id}",
            id=new_id,
            name=name,
            account=account,
            region=region,
            organization=organization,
            multi_region=bool(params.get("MultiRegionEnabled", True)),
            retention=int(params.get("RetentionPeriod") or 2557),
            created=timefmt.utcnow().timestamp(),
            selectors=params.get("AdvancedEventSelectors")
            or [{"Name": "Default management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}],
        )
        self._stores[store.arn] = store
        return store.shape()

    def _store(self, account: str, reference: Any) -> EventDataStore:
        for store in self._stores.values():
            if reference in (store.arn, store.id) and store.account == account:
                return store
        raise LabError(f"The event data store {reference} was not found.", code="EventDataStoreNotFoundException")

    def _start(self, account: str, region: str, params: dict[str, Any], query_id: str) -> dict[str, Any]:
        statement_text = params.get("QueryStatement")
        if not isinstance(statement_text, str) or not statement_text.strip():
            raise LabError("QueryStatement must not be empty.", code="InvalidParameterException")
        text, stores = statement_text, []
        for store in self._stores.values():
            if store.account != account:
                continue
            replaced = re.sub(re.escape(store.arn) + "|" + re.escape(store.id), f'"eds_{len(stores)}"', text, flags=re.I)
            if replaced != text:
                stores.append(store)
                text = replaced
        if not stores:
            raise LabError("The query does not name an event data store of this account after FROM.", code="InvalidQueryStatementException")
        try:
            statement = sqlrun.parse(text)
        except sqlrun.QueryError as error:
            raise LabError(f"Query statement is not valid: {error}", code="InvalidQueryStatementException") from None
        if not isinstance(statement, exp.Query):
            raise LabError("Only SELECT queries are allowed.", code="InvalidQueryStatementException")
        query = LakeQuery(id=query_id, statement=statement_text, created=timefmt.utcnow().timestamp())
        self._queries[(account, query_id)] = query
        started = time.monotonic()
        connection = duckdb.connect()
        try:
            for position, store in enumerate(stores):
                events = self._events_of(store)
                query.scanned_events += len(events)
                query.scanned_bytes += sum(len(_event_json(e)) for e in events)
                _load(connection, f"eds_{position}", events)
            query.result = sqlrun.run(connection, sqlrun.translate(statement))
            query.status = "FINISHED"
        except sqlrun.QueryError as error:
            query.status, query.error = "FAILED", str(error)
        finally:
            connection.close()
        query.elapsed_ms = max(1, int((time.monotonic() - started) * 1000))
        return {"QueryId": query_id, "EventDataStoreOwnerAccountId": account}

    def _events_of(self, store: EventDataStore) -> list[dict[str, Any]]:
        """The events ``store`` holds: since its creation, of its account or Organization, of its region(s)."""
        organization = self._organization_of(store.account) if store.organization else None

        def included(account: str) -> bool:
            if organization is None:
                return account == store.account
            return (self._organization_of(account) or ("", ""))[0] == organization[0]

        since = timefmt.iso_z(_dt.datetime.fromtimestamp(int(store.created), _dt.timezone.utc))
        return [
            r
            for r in self._events()
            if included(str(r.get("recipientAccountId")))
            and r.get("eventTime", "") >= since
            and (store.multi_region or r.get("awsRegion") == store.region)
            and r.get("managementEvent", True)
        ]

    def _query(self, account: str, params: dict[str, Any]) -> LakeQuery:
        query = self._queries.get((account, str(params.get("QueryId") or "")))
        if query is None:
            raise LabError(f"The query {params.get('QueryId')} was not found.", code="QueryIdNotFoundException")
        return query

    def _describe(self, account: str, params: dict[str, Any]) -> dict[str, Any]:
        query = self._query(account, params)
        status = query.shown_status()
        query.described = True
        answer: dict[str, Any] = {
            "QueryId": query.id,
            "QueryString": query.statement,
            "QueryStatus": status,
            "QueryStatistics": {
                "EventsMatched": len(query.result.rows) if query.result and status == "FINISHED" else 0,
                "EventsScanned": query.scanned_events if status != "RUNNING" else 0,
                "BytesScanned": query.scanned_bytes if status != "RUNNING" else 0,
                "ExecutionTimeInMillis": query.elapsed_ms if status != "RUNNING" else 0,
                "CreationTime": query.created,
            },
        }
        if status == "FAILED" and query.error:
            answer["ErrorMessage"] = query.error
        return answer

    def _results(self, account: str, params: dict[str, Any]) -> dict[str, Any]:
        query = self._query(account, params)
        status = query.shown_status()
        max_results = params.get("MaxQueryResults", MAX_RESULTS)
        if not isinstance(max_results, int) or not 1 <= max_results <= MAX_RESULTS:
            raise LabError(f"MaxQueryResults must be between 1 and {MAX_RESULTS}.", code="InvalidMaxResultsException")
        answer: dict[str, Any] = {"QueryStatus": status}
        if status == "FAILED":
            answer["ErrorMessage"] = query.error
        if status != "FINISHED" or query.result is None:
            answer["QueryResultRows"] = []
            answer["QueryStatistics"] = {"ResultsCount": 0, "TotalResultsCount": 0, "BytesScanned": 0}
            return answer
        start = _decode_token(params.get("NextToken"), query.id)
        rows = query.result.rows[start : start + max_results]
        answer["QueryResultRows"] = [
            [{column: (sqlrun.text(value) if sqlrun.text(value) is not None else "")} for column, value in zip(query.result.columns, row)]
            for row in rows
        ]
        answer["QueryStatistics"] = {"ResultsCount": len(rows), "TotalResultsCount": len(query.result.rows), "BytesScanned": query.scanned_bytes}
        if start + max_results < len(query.result.rows):
            answer["NextToken"] = _encode_token(start + max_results, query.id)
        return answer


def _load(connection: duckdb.DuckDBPyConnection, table: str, events: list[dict[str, Any]]) -> None:
    columns = [(name, kind.duckdb()) for name, kind in SCHEMA] + [(EVENT_JSON, "VARCHAR")]
    rows = ([kind.read(event.get(name)) for name, kind in SCHEMA] + [_event_json(event)] for event in events)
    sqlrun.load(connection, f'"{table}"', columns, rows)


def _event_json(event: dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"))


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
    raise LabError("The NextToken is not valid for this query.", code="InvalidNextTokenException")
