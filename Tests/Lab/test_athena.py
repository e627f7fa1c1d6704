"""Athena over the organization trail's log files: AWS's CloudTrail table, real queries, results in S3."""

from __future__ import annotations

import csv
import io
import time

import pytest
from conftest import ORG_TRAIL_HOME, recorded

DATABASE = "custody"
TABLE = "cloudtrail_org"
RESULTS_BUCKET = "athena-results-lab"

#: AWS's CloudTrail table (Athena user guide, "Create the table for CloudTrail logs in Athena using partition
#: projection"), with the account partition of an organization trail.
CREATE_TABLE = """
CREATE EXTERNAL TABLE {table}(
    eventversion STRING,
    useridentity STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        invokedby: STRING,
        accesskeyid: STRING,
        username: STRING,
        onbehalfof: STRUCT<
             userid: STRING,
             identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<
                mfaauthenticated: STRING,
                creationdate: STRING>,
            sessionissuer: STRUCT<
                type: STRING,
                principalid: STRING,
                arn: STRING,
                accountid: STRING,
                username: STRING>,
            ec2roledelivery:string,
            webidfederationdata: STRUCT<
                federatedprovider: STRING,
                attributes: map<string,string>>
        >
    >,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<
        arn: STRING,
        accountid: STRING,
        type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    vpcendpointaccountid STRING,
    eventcategory STRING,
    addendum STRUCT<
      reason:STRING,
      updatedfields:STRING,
      originalrequestid:STRING,
      originaleventid:STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT<
      tlsversion:STRING,
      ciphersuite:STRING,
      clientprovidedhostheader:STRING>
  )
PARTITIONED BY (
   `account` string,
   `region` string,
   `timestamp` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION
  's3://{bucket}/AWSLogs/{organization}/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.account.type'='enum',
  'projection.account.values'='{accounts}',
  'projection.region.type'='enum',
  'projection.region.values'='us-east-1,eu-west-1,us-west-2',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='2020/01/01,NOW',
  'projection.timestamp.type'='date',
  'storage.location.template'='s3://{bucket}/AWSLogs/{organization}/${{account}}/CloudTrail/${{region}}/${{timestamp}}')
"""


@pytest.fixture(scope="module")
def athena(org_lab):
    """The logging account's Athena, with the results bucket, the database and AWS's table made."""
    lab = org_lab["lab"]
    client = lab.client(org_lab["logging"], "athena", ORG_TRAIL_HOME)
    s3 = lab.client(org_lab["logging"], "s3", ORG_TRAIL_HOME)
    s3.create_bucket(Bucket=RESULTS_BUCKET)
    context = {**org_lab, "client": client, "s3": s3}
    assert run(context, f"CREATE DATABASE IF NOT EXISTS {DATABASE}", database=None)["Status"]["State"] == "SUCCEEDED"
    ddl = CREATE_TABLE.format(
        table=TABLE, bucket=org_lab["bucket"], organization=org_lab["organization_id"], accounts=",".join(org_lab["accounts"])
    )
    created = run(context, ddl)
    assert created["Status"]["State"] == "SUCCEEDED", created["Status"]
    assert created["StatementType"] == "DDL"
    return context


def start(athena, query: str, database: str | None = DATABASE) -> str:
    params = {"QueryString": query, "ResultConfiguration": {"OutputLocation": f"s3://{RESULTS_BUCKET}/queries/"}}
    if database:
        params["QueryExecutionContext"] = {"Database": database, "Catalog": "AwsDataCatalog"}
    return athena["client"].start_query_execution(**params)["QueryExecutionId"]


def wait(athena, query_id: str) -> dict:
    for _ in range(50):
        execution = athena["client"].get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        if execution["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return execution
        time.sleep(0.05)
    raise AssertionError("the query never finished")


def run(athena, query: str, database: str | None = DATABASE) -> dict:
    return wait(athena, start(athena, query, database))


def rows(athena, query_id: str, page_size: int = 1000) -> tuple[list[list[str | None]], int]:
    """Every row (the header first) and how many pages it took."""
    found, token, pages = [], None, 0
    while True:
        params = {"QueryExecutionId": query_id, "MaxResults": page_size}
        if token:
            params["NextToken"] = token
        page = athena["client"].get_query_results(**params)
        pages += 1
        found += [[d.get("VarCharValue") for d in row["Data"]] for row in page["ResultSet"]["Rows"]]
        token = page.get("NextToken")
        if not token:
            return found, pages


def key_query(athena) -> str:
    member = athena["accounts"][1]
    return (
        f'SELECT eventid, eventname, awsregion, "$path" FROM {TABLE} '
        f"WHERE account = '{member}' AND useridentity.accesskeyid = '{athena['subject_key']}' ORDER BY eventtime, eventid"
    )


def test_a_query_reports_running_before_its_final_state(athena) -> None:
    query_id = start(athena, f"SELECT count(*) FROM {TABLE}")
    with pytest.raises(athena["client"].exceptions.InvalidRequestException, match="not yet finished"):
        athena["client"].get_query_results(QueryExecutionId=query_id)
    first = athena["client"].get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
    assert first["Status"]["State"] == "RUNNING"
    assert wait(athena, query_id)["Status"]["State"] == "SUCCEEDED"


def test_a_keys_events_are_exactly_the_labs_records_of_that_key(athena) -> None:
    execution = run(athena, key_query(athena))
    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    found, _ = rows(athena, execution["QueryExecutionId"])
    assert found[0] == ["eventid", "eventname", "awsregion", "$path"]
    expected = {r["eventID"]: r for r in recorded(athena["process"]) if r["userIdentity"].get("accessKeyId") == athena["subject_key"]}
    assert {row[0] for row in found[1:]} == set(expected)
    assert len(found) - 1 == len(expected) == 6
    for event_id, name, region, _ in found[1:]:
        assert (name, region) == (expected[event_id]["eventName"], expected[event_id]["awsRegion"])


def test_path_names_the_log_file_each_row_came_from(athena) -> None:
    found, _ = rows(athena, run(athena, key_query(athena))["QueryExecutionId"])
    prefix = f"s3://{athena['bucket']}/AWSLogs/{athena['organization_id']}/{athena['accounts'][1]}/CloudTrail/"
    for event_id, _, region, path in found[1:]:
        assert path.startswith(prefix + region + "/"), path
        key = path.removeprefix(f"s3://{athena['bucket']}/")
        body = athena["s3"].get_object(Bucket=athena["bucket"], Key=key)["Body"].read()
        import gzip
        import json

        assert event_id in {r["eventID"] for r in json.loads(gzip.decompress(body))["Records"]}


def _log_sizes(athena, prefix: str) -> int:
    listing = athena["s3"].list_objects_v2(Bucket=athena["bucket"], Prefix=prefix)
    return sum(o["Size"] for o in listing.get("Contents", []))


def test_data_scanned_is_the_compressed_size_of_the_partitions_the_query_selects(athena) -> None:
    organization, member = athena["organization_id"], athena["accounts"][1]
    one_account = run(athena, key_query(athena))["Statistics"]
    assert one_account["DataScannedInBytes"] == _log_sizes(athena, f"AWSLogs/{organization}/{member}/CloudTrail/")
    assert one_account["EngineExecutionTimeInMillis"] > 0
    one_region = run(athena, f"SELECT eventid FROM {TABLE} WHERE account = '{member}' AND region = 'eu-west-1'")["Statistics"]
    assert one_region["DataScannedInBytes"] == _log_sizes(athena, f"AWSLogs/{organization}/{member}/CloudTrail/eu-west-1/")
    everything = run(athena, f"SELECT count(*) FROM {TABLE}")["Statistics"]
    all_logs = sum(_log_sizes(athena, f"AWSLogs/{organization}/{account}/CloudTrail/") for account in athena["accounts"])
    assert everything["DataScannedInBytes"] == all_logs > one_account["DataScannedInBytes"] > one_region["DataScannedInBytes"] > 0
    nothing = run(athena, f"SELECT count(*) FROM {TABLE} WHERE timestamp < '2020/01/01'")
    assert nothing["Statistics"]["DataScannedInBytes"] == 0
    assert rows(athena, nothing["QueryExecutionId"])[0][1] == ["0"]


def test_results_are_written_as_csv_to_the_output_location(athena) -> None:
    execution = run(athena, key_query(athena))
    location = execution["ResultConfiguration"]["OutputLocation"]
    assert location == f"s3://{RESULTS_BUCKET}/queries/{execution['QueryExecutionId']}.csv"
    body = athena["s3"].get_object(Bucket=RESULTS_BUCKET, Key=location.removeprefix(f"s3://{RESULTS_BUCKET}/"))["Body"].read().decode()
    assert body.splitlines()[0] == '"eventid","eventname","awsregion","$path"'
    assert list(csv.reader(io.StringIO(body))) == rows(athena, execution["QueryExecutionId"])[0]


def test_nested_columns_and_trino_functions_translate(athena) -> None:
    member = athena["accounts"][1]
    query = (
        f"SELECT useridentity.username, json_extract_scalar(responseelements, '$.account') AS account_id, "
        f"date_format(from_iso8601_timestamp(eventtime), '%Y') AS year FROM {TABLE} "
        f"WHERE account = '{member}' AND eventname = 'GetCallerIdentity' AND useridentity.accesskeyid = '{athena['subject_key']}'"
    )
    execution = run(athena, query)
    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    found, _ = rows(athena, execution["QueryExecutionId"])
    assert found[1][0] == "subject"
    assert found[1][2].isdigit() and len(found[1][2]) == 4


@pytest.mark.parametrize(
    "query, reason",
    [
        (f"SELECT no_such_column FROM {TABLE}", "no_such_column"),
        (f"SELECT approx_set(eventname) FROM {TABLE}", "approx_set"),
        ("SELEC eventid FROM cloudtrail_org", "SELEC"),
        ("SELECT eventid FROM no_such_table", "TABLE_NOT_FOUND"),
    ],
)
def test_a_query_that_cannot_run_fails_with_the_reason(athena, query: str, reason: str) -> None:
    execution = run(athena, query)
    assert execution["Status"]["State"] == "FAILED"
    assert reason in execution["Status"]["StateChangeReason"]
    with pytest.raises(athena["client"].exceptions.InvalidRequestException):
        athena["client"].get_query_results(QueryExecutionId=execution["QueryExecutionId"])


def test_max_results_pages_with_the_header_on_the_first_page_only(athena) -> None:
    query_id = run(athena, key_query(athena))["QueryExecutionId"]
    whole, _ = rows(athena, query_id)
    paged, pages = rows(athena, query_id, page_size=2)
    assert paged == whole
    assert pages == 4  # the header and six rows, two a page
    with pytest.raises(athena["client"].exceptions.ClientError):
        athena["client"].get_query_results(QueryExecutionId=query_id, MaxResults=1001)


def test_a_query_without_an_output_location_is_refused(athena) -> None:
    with pytest.raises(athena["client"].exceptions.InvalidRequestException):
        athena["client"].start_query_execution(QueryString=f"SELECT 1 FROM {TABLE}")


def test_athena_calls_are_recorded_in_cloudtrail(athena) -> None:
    logging_account = athena["accounts"][2]
    names = {r["eventName"] for r in recorded(athena["process"]) if r["recipientAccountId"] == logging_account and r["eventSource"] == "athena.amazonaws.com"}
    assert {"StartQueryExecution", "GetQueryExecution", "GetQueryResults"} <= names


def test_responses_use_only_members_of_athenas_model(athena) -> None:
    from conftest import raw_responses, undeclared_members

    seen = raw_responses(athena["client"])
    execution = run(athena, key_query(athena))
    rows(athena, execution["QueryExecutionId"], page_size=3)
    run(athena, "SELECT no_such_column FROM cloudtrail_org")
    assert {name for name, _ in seen} == {"StartQueryExecution", "GetQueryExecution", "GetQueryResults"}
    for name, document in seen:
        assert undeclared_members(athena["client"], name, document) == []


def test_list_batch_get_and_stop_know_the_labs_executions(athena) -> None:
    client = athena["client"]
    query_id = run(athena, f"SELECT count(*) FROM {TABLE}")["QueryExecutionId"]
    listed = [i for page in client.get_paginator("list_query_executions").paginate(PaginationConfig={"PageSize": 3}) for i in page["QueryExecutionIds"]]
    assert listed[0] == query_id and len(listed) == len(set(listed)) > 3
    batch = client.batch_get_query_execution(QueryExecutionIds=[query_id, "00000000-0000-4000-8000-000000000000"])
    assert [e["QueryExecutionId"] for e in batch["QueryExecutions"]] == [query_id]
    assert batch["QueryExecutions"][0]["Status"]["State"] == "SUCCEEDED"
    assert [u["QueryExecutionId"] for u in batch["UnprocessedQueryExecutionIds"]] == ["00000000-0000-4000-8000-000000000000"]
    client.stop_query_execution(QueryExecutionId=query_id)
    assert client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]["State"] == "SUCCEEDED"
