"""CloudTrail Lake: an organization event data store and SQL queries over it, as a client meets them."""

from __future__ import annotations

import json
import time

import pytest
from conftest import ORG_TRAIL_HOME, recorded


@pytest.fixture(scope="module")
def lake(org_lab):
    client = org_lab["lab"].client(org_lab["management"], "cloudtrail", ORG_TRAIL_HOME)
    store_id = org_lab["event_data_store"].rsplit("/", 1)[1]
    return {**org_lab, "client": client, "store_id": store_id}


def start(lake, statement: str) -> str:
    return lake["client"].start_query(QueryStatement=statement)["QueryId"]


def wait(lake, query_id: str) -> dict:
    for _ in range(50):
        described = lake["client"].describe_query(EventDataStore=lake["event_data_store"], QueryId=query_id)
        if described["QueryStatus"] in ("FINISHED", "FAILED", "CANCELLED", "TIMED_OUT"):
            return described
        time.sleep(0.05)
    raise AssertionError("the query never finished")


def results(lake, query_id: str, page_size: int = 1000) -> tuple[list[list[dict[str, str]]], int]:
    found, token, pages = [], None, 0
    while True:
        params = {"QueryId": query_id, "MaxQueryResults": page_size}
        if token:
            params["NextToken"] = token
        page = lake["client"].get_query_results(**params)
        pages += 1
        found += page["QueryResultRows"]
        token = page.get("NextToken")
        if not token:
            return found, pages


def key_statement(lake) -> str:
    return (
        f"SELECT eventID, eventTime, eventName, awsRegion FROM {lake['store_id']} "
        f"WHERE userIdentity.accessKeyId = '{lake['subject_key']}' ORDER BY eventTime, eventID"
    )


def test_the_organization_event_data_store_is_listed(lake) -> None:
    stores = lake["client"].list_event_data_stores()["EventDataStores"]
    assert [s["EventDataStoreArn"] for s in stores] == [lake["event_data_store"]]
    store = lake["client"].get_event_data_store(EventDataStore=lake["store_id"])
    assert store["OrganizationEnabled"] is True and store["MultiRegionEnabled"] is True and store["Status"] == "ENABLED"


def test_a_keys_events_are_exactly_the_labs_records_of_that_key(lake) -> None:
    query_id = start(lake, key_statement(lake))
    described = wait(lake, query_id)
    assert described["QueryStatus"] == "FINISHED", described
    rows, _ = results(lake, query_id)
    expected = {r["eventID"]: r for r in recorded(lake["process"]) if r["userIdentity"].get("accessKeyId") == lake["subject_key"]}
    assert len(rows) == len(expected) == 6
    for row in rows:
        assert all(len(cell) == 1 for cell in row)
        cells = {k: v for cell in row for k, v in cell.items()}
        record = expected[cells["eventID"]]
        assert (cells["eventName"], cells["awsRegion"]) == (record["eventName"], record["awsRegion"])
        assert cells["eventTime"] == record["eventTime"].replace("T", " ").replace("Z", ".000")
    statistics = described["QueryStatistics"]
    assert statistics["EventsMatched"] == 6
    assert statistics["EventsScanned"] > 6 and statistics["BytesScanned"] > 0 and statistics["ExecutionTimeInMillis"] > 0


def test_event_json_is_the_whole_record(lake) -> None:
    query_id = start(lake, f"SELECT eventID, eventJson FROM {lake['store_id']} WHERE userIdentity.accessKeyId = '{lake['subject_key']}'")
    assert wait(lake, query_id)["QueryStatus"] == "FINISHED"
    rows, _ = results(lake, query_id)
    expected = {r["eventID"]: r for r in recorded(lake["process"]) if r["userIdentity"].get("accessKeyId") == lake["subject_key"]}
    assert len(rows) == len(expected) == 6
    for row in rows:
        cells = {k: v for cell in row for k, v in cell.items()}
        assert json.loads(cells["eventJson"]) == expected[cells["eventID"]]


def test_the_first_describe_reports_running(lake) -> None:
    query_id = start(lake, key_statement(lake))
    assert lake["client"].get_query_results(QueryId=query_id)["QueryStatus"] == "RUNNING"
    assert lake["client"].describe_query(QueryId=query_id)["QueryStatus"] == "RUNNING"
    assert wait(lake, query_id)["QueryStatus"] == "FINISHED"


def test_the_organization_store_holds_every_accounts_events(lake) -> None:
    query_id = start(lake, f"SELECT recipientAccountId, count(*) AS events FROM {lake['store_id']} GROUP BY recipientAccountId")
    assert wait(lake, query_id)["QueryStatus"] == "FINISHED"
    rows, _ = results(lake, query_id)
    accounts = {row[0]["recipientAccountId"] for row in rows}
    management, member, _ = lake["accounts"]
    assert {management, member} <= accounts


def test_paging_with_max_query_results(lake) -> None:
    query_id = start(lake, key_statement(lake))
    wait(lake, query_id)
    whole, _ = results(lake, query_id)
    paged, pages = results(lake, query_id, page_size=4)
    assert paged == whole and pages == 2


def test_an_unreadable_statement_is_refused(lake) -> None:
    with pytest.raises(lake["client"].exceptions.InvalidQueryStatementException):
        start(lake, f"SELEC eventID FROM {lake['store_id']}")
    with pytest.raises(lake["client"].exceptions.InvalidQueryStatementException):
        start(lake, "SELECT eventID FROM no_such_store")


def test_a_statement_the_engine_cannot_run_fails_with_its_message(lake) -> None:
    query_id = start(lake, f"SELECT noSuchColumn FROM {lake['store_id']}")
    described = wait(lake, query_id)
    assert described["QueryStatus"] == "FAILED"
    assert "noSuchColumn" in described["ErrorMessage"]


def test_responses_use_only_members_of_cloudtrails_model(lake) -> None:
    from conftest import raw_responses, undeclared_members

    seen = raw_responses(lake["client"])
    lake["client"].list_event_data_stores()
    lake["client"].get_event_data_store(EventDataStore=lake["store_id"])
    query_id = start(lake, key_statement(lake))
    wait(lake, query_id)
    results(lake, query_id, page_size=4)
    wait(lake, start(lake, f"SELECT noSuchColumn FROM {lake['store_id']}"))
    assert len({name for name, _ in seen}) == 5
    for name, document in seen:
        assert undeclared_members(lake["client"], name, document) == []
