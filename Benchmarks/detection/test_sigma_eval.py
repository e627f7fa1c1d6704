"""The Sigma evaluator against vendored rules and records written by hand, each checked against
what the rule's YAML says. Run: Benchmarks/detection/run --test"""

import pathlib

import pytest

import sigma_eval

HERE = pathlib.Path(__file__).parent
RULES = {rule.path.name: rule for rule in sigma_eval.load_rules(sigma_eval.rule_folder(HERE / "sigma"))}


def matches(rule_file: str, *records: dict) -> list[bool]:
    """Whether the rule matches each record."""
    rule = RULES[rule_file]
    found = sigma_eval.Evaluator([rule]).match(list(records)).get(rule.id)
    assert found is not None, f"{rule_file} did not run: {rule.error}"
    return [index in found for index in range(len(records))]


def test_every_vendored_rule_converts():
    assert len(RULES) == 57
    assert {name: rule.error for name, rule in RULES.items() if rule.error} == {}


def test_list_of_values_is_an_or_and_fields_are_an_and():
    # eventSource: cloudtrail.amazonaws.com AND eventName in [StopLogging, UpdateTrail, DeleteTrail]
    assert matches(
        "aws_cloudtrail_disable_logging.yml",
        {"eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging"},
        {"eventSource": "cloudtrail.amazonaws.com", "eventName": "DeleteTrail"},
        {"eventSource": "cloudtrail.amazonaws.com", "eventName": "StartLogging"},
        {"eventSource": "s3.amazonaws.com", "eventName": "StopLogging"},
    ) == [True, True, False, False]


def test_nested_fields_and_case_insensitive_values():
    # MFAUsed: 'NO' must match CloudTrail's "No": Sigma's string matches ignore case.
    login = {
        "eventName": "ConsoleLogin",
        "additionalEventData": {"MFAUsed": "No"},
        "responseElements": {"ConsoleLogin": "Success"},
    }
    with_mfa = {**login, "additionalEventData": {"MFAUsed": "Yes"}}
    failed = {**login, "responseElements": {"ConsoleLogin": "Failure"}}
    assert matches(
        "aws_cloudtrail_console_login_success_without_mfa.yml", login, with_mfa, failed, {"eventName": "ConsoleLogin"}
    ) == [
        True,
        False,
        False,
        False,
    ]


def test_not_filter_is_true_when_the_field_is_missing():
    # selection and not filter (userIdentity.type: AssumedRole)
    listing = {"eventSource": "s3.amazonaws.com", "eventName": "ListBuckets"}
    assert matches(
        "aws_enum_buckets.yml",
        {**listing, "userIdentity": {"type": "IAMUser"}},
        {**listing, "userIdentity": {"type": "AssumedRole"}},
        listing,
    ) == [True, False, True]


def test_one_of_with_null_and_contains_wildcard():
    # selection and not 1 of filter*: errorMessage|contains '*', errorCode|contains '*', responseElements|contains Failure
    export = {"eventName": "CreateInstanceExportTask", "eventSource": "ec2.amazonaws.com"}
    assert matches(
        "aws_ec2_vm_export_failure.yml",
        {**export, "responseElements": {"exportTask": {"state": "active"}}},
        {**export, "errorCode": "Client.UnauthorizedOperation"},
        {**export, "responseElements": {"exportTask": {"state": "Failure"}}},
        export,
    ) == [True, False, False, True]
    # selection_event_name and 1 of selection_status_* (errorCode: Success, errorCode: null)
    assert matches(
        "aws_cloudtrail_vpc_flow_logs_deleted.yml",
        {"eventName": "DeleteFlowLogs"},
        {"eventName": "DeleteFlowLogs", "errorCode": None},
        {"eventName": "DeleteFlowLogs", "errorCode": "Client.UnauthorizedOperation"},
    ) == [True, True, False]


def test_startswith_and_contains_of_any_value():
    # eventName|startswith UpdateFunctionConfiguration, requestParameters.layers|contains '*'
    update = {"eventSource": "lambda.amazonaws.com", "eventName": "UpdateFunctionConfiguration20150331v2"}
    assert matches(
        "aws_new_lambda_layer_attached.yml",
        {**update, "requestParameters": {"layers": ["arn:aws:lambda:us-east-1:111122223333:layer:x:1"]}},
        {**update, "requestParameters": {"functionName": "f"}},
    ) == [True, False]


def test_contains_all_over_an_object_and_through_arrays():
    policy = {
        "eventSource": "iam.amazonaws.com",
        "eventName": "PutUserPolicy",
        "userAgent": "S3 Browser 9.5.5 https://s3browser.com",
        "requestParameters": {
            "policyDocument": {
                "Statement": [
                    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::<YOUR-BUCKET-NAME>/*"]}
                ]
            }
        },
    }
    no_get = {**policy, "requestParameters": {"policyDocument": {"Effect": "Allow", "Action": "s3:PutObject"}}}
    # CloudTrail gives the document as a string: inside the object's JSON text its quotes are
    # escaped, so the rule's quoted words are not there.
    as_string = {**policy, "requestParameters": {"policyDocument": '{"Effect":"Allow","Action":"s3:GetObject"}'}}
    assert matches("aws_iam_s3browser_templated_s3_bucket_policy_creation.yml", policy, no_get, as_string) == [
        True,
        False,
        False,
    ]
    task = {
        "eventSource": "ecs.amazonaws.com",
        "eventName": "RegisterTaskDefinition",
        "requestParameters": {
            "containerDefinitions": [
                {"command": ["sh"]},
                {"command": ["curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]},
            ]
        },
    }
    underscore_only = {
        **task,
        "requestParameters": {"containerDefinitions": [{"command": ["$AWS-CONTAINER-CREDENTIALS-RELATIVE-URI"]}]},
    }
    assert matches("aws_ecs_task_definition_cred_endpoint_query.yml", task, underscore_only) == [True, False]


def test_regular_expression_with_a_list_filter():
    # userIdentity.arn|re '.+:assumed-role/aws:.+' and not 1 of filter_main_* (a list: any one of three)
    stolen = {
        "userIdentity": {"arn": "arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0abc"},
        "eventSource": "s3.amazonaws.com",
    }
    assert matches(
        "aws_cloudtrail_imds_malicious_usage.yml",
        stolen,
        {**stolen, "eventSource": "ssm.amazonaws.com"},
        {**stolen, "sourceIPAddress": "AWS Internal"},
        {**stolen, "userIdentity": {"arn": "arn:aws:sts::111122223333:assumed-role/admin/alice"}},
    ) == [True, False, False, False]


def test_field_reference():
    # not userIdentity.arn|fieldref requestParameters.userName
    update = {"eventSource": "iam.amazonaws.com", "eventName": "UpdateLoginProfile"}
    assert matches(
        "aws_update_login_profile.yml",
        {
            **update,
            "userIdentity": {"arn": "arn:aws:iam::111122223333:user/mallory"},
            "requestParameters": {"userName": "alice"},
        },
        {**update, "userIdentity": {"arn": "alice"}, "requestParameters": {"userName": "alice"}},
        update,
    ) == [True, False, True]


def test_boolean_json_values_match_their_text():
    # requestParameters.enable: 'false' against the JSON boolean false
    update = {"eventSource": "guardduty.amazonaws.com", "eventName": "UpdateDetector"}
    assert matches(
        "aws_cloudtrail_guardduty_detector_deleted_or_updated.yml",
        {**update, "requestParameters": {"detectorId": "d", "enable": False}},
        {**update, "requestParameters": {"detectorId": "d", "enable": True}},
        {**update, "requestParameters": {"detectorId": "d", "enable": False}, "errorCode": "AccessDenied"},
    ) == [True, False, False]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a.b", "x"),
        ("a.n", "3"),
        ("a.t", "true"),
        ("a", '{"b":"x","l":[{"c":1},{"c":2}],"n":3,"t":true,"z":null}'),
        ("a.l.c", "[1,2]"),
        ("a.z", None),
        ("a.missing", None),
        ("a.b.deeper", None),
    ],
)
def test_field_values(path, expected):
    record = {"a": {"b": "x", "n": 3, "t": True, "z": None, "l": [{"c": 1}, {"c": 2}]}}
    assert sigma_eval.field_value(record, path) == expected
