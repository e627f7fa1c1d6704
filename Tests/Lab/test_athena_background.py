"""A query that takes long answers StartQueryExecution at once and runs on, as Athena does (in process, no lab server)."""

from __future__ import annotations

import gzip
import json
import threading
import time

import pytest

from custodylab import athena
from custodylab.errors import LabError

ACCOUNT, REGION = "123456789012", "us-east-1"
OUTPUT = {"ResultConfiguration": {"OutputLocation": "s3://background-results/"}}


@pytest.fixture()
def service():
    from moto.s3.models import s3_backends

    s3 = s3_backends[ACCOUNT]["aws"]
    for bucket in ("background-logs", "background-results"):
        s3.create_bucket(bucket, REGION)
    body = gzip.compress(json.dumps({"Records": [{"eventName": "ListUsers", "eventTime": "2026-01-02T03:04:05Z"}]}).encode())
    s3.put_object("background-logs", f"AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/2026/01/02/{ACCOUNT}_CloudTrail_{REGION}_x.json.gz", body)
    service = athena.Athena()
    for number, ddl in enumerate(("CREATE DATABASE trails", "CREATE EXTERNAL TABLE trails.logs (eventname STRING, eventtime STRING) LOCATION 's3://background-logs/AWSLogs/'")):
        service.start(ACCOUNT, REGION, {"QueryString": ddl, **OUTPUT}, f"ddl-{number}")
        assert service.handle("GetQueryExecution", ACCOUNT, REGION, {"QueryExecutionId": f"ddl-{number}"}, "") is not None
    yield service
    for bucket in ("background-logs", "background-results"):
        for key in list(s3.buckets[bucket].keys.keys()):
            s3.delete_object(bucket, key)
        s3.delete_bucket(bucket)


def state(service, query_id: str) -> str:
    return service.handle("GetQueryExecution", ACCOUNT, REGION, {"QueryExecutionId": query_id}, "")["QueryExecution"]["Status"]["State"]


def test_a_long_query_answers_at_once_and_reports_running_until_it_ends(service, monkeypatch) -> None:
    release = threading.Event()
    run = athena.Athena._query
    monkeypatch.setattr(athena, "INLINE_SECONDS", 0.05)
    monkeypatch.setattr(athena.Athena, "_query", staticmethod(lambda execution, plan: (release.wait(10), run(execution, plan))[1]))
    started = time.monotonic()
    service.start(ACCOUNT, REGION, {"QueryString": "SELECT eventname FROM trails.logs", **OUTPUT}, "long")
    assert time.monotonic() - started < 5
    assert [state(service, "long"), state(service, "long")] == ["RUNNING", "RUNNING"]
    with pytest.raises(LabError, match="not yet finished"):
        service.handle("GetQueryResults", ACCOUNT, REGION, {"QueryExecutionId": "long"}, "")
    release.set()
    deadline = time.monotonic() + 10
    while state(service, "long") == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert state(service, "long") == "SUCCEEDED"
    rows = service.handle("GetQueryResults", ACCOUNT, REGION, {"QueryExecutionId": "long"}, "")["ResultSet"]["Rows"]
    assert [r["Data"][0]["VarCharValue"] for r in rows] == ["eventname", "ListUsers"]
    from moto.s3.models import s3_backends

    assert "long.csv" in s3_backends[ACCOUNT]["aws"].buckets["background-results"].keys


def test_a_quick_query_is_finished_when_the_answer_goes_out(service) -> None:
    service.start(ACCOUNT, REGION, {"QueryString": "SELECT eventtime FROM trails.logs", **OUTPUT}, "quick")
    assert [state(service, "quick"), state(service, "quick")] == ["RUNNING", "SUCCEEDED"]
