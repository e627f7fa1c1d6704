"""CloudTrail records in the shape AWS documents, for each kind of identity."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from conftest import admin, events_named
from custodylab.client import Actor, Credentials

#: Fields every record carries (eventVersion 1.09, management API calls).
REQUIRED = {
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "requestParameters",
    "responseElements",
    "requestID",
    "eventID",
    "readOnly",
    "eventType",
    "managementEvent",
    "recipientAccountId",
    "eventCategory",
}
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
EVERYTHING = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


@pytest.fixture(scope="module")
def user(lab):
    """An IAM user with admin rights in account 1, its key and the calls it made."""
    name = f"records-{uuid.uuid4().hex[:6]}"
    iam = lab.client(admin(lab, 1), "iam")
    created = iam.create_user(UserName=name)["User"]
    iam.attach_user_policy(UserName=name, PolicyArn=ADMIN_POLICY)
    iam.create_login_profile(UserName=name, Password="Not-In-Any-Record-1!")
    key = Credentials.from_response(iam.create_access_key(UserName=name))
    actor = Actor(name, key, source_ip="203.0.113.9", user_agent="records-test/1.0")
    return {"name": name, "id": created["UserId"], "arn": created["Arn"], "key": key, "actor": actor, "account": lab.account(1)["id"]}


def _last(lab, account: str, name: str, access_key_id: str) -> dict:
    matching = [r for r in events_named(lab, account, name) if r["userIdentity"].get("accessKeyId") == access_key_id]
    assert matching, f"no {name} record for {access_key_id}"
    return matching[-1]


def _check_common(record: dict) -> None:
    assert REQUIRED <= set(record), REQUIRED - set(record)
    assert record["eventVersion"] == "1.09"
    assert ISO_TIME.match(record["eventTime"])
    assert record["eventType"] == "AwsApiCall"
    assert record["eventCategory"] == "Management"
    assert record["managementEvent"] is True
    uuid.UUID(record["eventID"])


def test_iam_user_record(lab, user) -> None:
    lab.client(user["actor"], "iam").list_users()
    record = _last(lab, user["account"], "ListUsers", user["key"].access_key_id)
    _check_common(record)
    assert record["userIdentity"] == {
        "type": "IAMUser",
        "principalId": user["id"],
        "arn": user["arn"],
        "accountId": user["account"],
        "accessKeyId": user["key"].access_key_id,
        "userName": user["name"],
    }
    assert record["eventSource"] == "iam.amazonaws.com"
    assert record["awsRegion"] == "us-east-1"
    assert record["sourceIPAddress"] == "203.0.113.9"
    assert record["userAgent"].startswith("records-test/1.0")
    assert record["readOnly"] is True
    assert record["responseElements"] is None
    assert record["recipientAccountId"] == user["account"]
    assert user["id"].startswith("AIDA")


def test_write_record_has_parameters_and_response_without_secrets(lab, user) -> None:
    iam = lab.client(user["actor"], "iam")
    target = f"target-{uuid.uuid4().hex[:6]}"
    iam.create_user(UserName=target)
    created = iam.create_access_key(UserName=target)["AccessKey"]
    record = _last(lab, user["account"], "CreateAccessKey", user["key"].access_key_id)
    _check_common(record)
    assert record["readOnly"] is False
    assert record["requestParameters"] == {"userName": target}
    assert record["responseElements"]["accessKey"]["accessKeyId"] == created["AccessKeyId"]
    assert record["responseElements"]["accessKey"]["status"] == "Active"
    assert re.match(r"^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d:\d\d [AP]M$", record["responseElements"]["accessKey"]["createDate"])
    text = json.dumps(record)
    assert created["SecretAccessKey"] not in text
    assert "secretAccessKey" not in text


def test_console_password_never_recorded(lab, user) -> None:
    record = [r for r in events_named(lab, user["account"], "CreateLoginProfile") if r["requestParameters"]["userName"] == user["name"]][-1]
    assert record["requestParameters"] == {"userName": user["name"]}
    assert "Not-In-Any-Record-1!" not in json.dumps(lab.events())


def test_parameter_values_and_mfa_codes_never_recorded(lab, user) -> None:
    ssm = lab.client(user["actor"], "ssm", region="us-east-1")
    ssm.put_parameter(Name="/records/db-password", Value="Not-In-Any-Record-2!", Type="SecureString")
    iam = lab.client(user["actor"], "iam")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{user['name']}-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName=user["name"], SerialNumber=serial, AuthenticationCode1="918273", AuthenticationCode2="645546")
    put = _last(lab, user["account"], "PutParameter", user["key"].access_key_id)
    assert put["requestParameters"]["value"] == "HIDDEN_DUE_TO_SECURITY_REASONS"
    enable = _last(lab, user["account"], "EnableMFADevice", user["key"].access_key_id)
    assert enable["requestParameters"] == {"userName": user["name"], "serialNumber": serial}
    text = json.dumps(lab.events())
    assert "Not-In-Any-Record-2!" not in text and "918273" not in text and "645546" not in text


def test_access_denied_record(lab, user) -> None:
    iam = lab.client(admin(lab, 1), "iam")
    name = f"readonly-{uuid.uuid4().hex[:6]}"
    iam.create_user(UserName=name)
    iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    key = Credentials.from_response(iam.create_access_key(UserName=name))
    with pytest.raises(Exception) as denied:
        lab.client(Actor(name, key), "iam").create_user(UserName="not-allowed")
    assert "AccessDenied" in str(denied.value)
    record = _last(lab, user["account"], "CreateUser", key.access_key_id)
    _check_common(record)
    assert record["errorCode"] == "AccessDenied"
    assert "not authorized to perform: iam:CreateUser" in record["errorMessage"]
    assert record["responseElements"] is None


def test_assumed_role_record(lab) -> None:
    member = lab.account(2)["id"]
    role_arn = f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
    answer = lab.client(admin(lab, 0), "sts").assume_role(RoleArn=role_arn, RoleSessionName="records-session")
    session = Credentials.from_response(answer)
    lab.client(Actor("role", session, source_ip="198.51.100.77"), "ec2", "eu-central-1").describe_instances()
    record = _last(lab, member, "DescribeInstances", session.access_key_id)
    _check_common(record)
    identity = record["userIdentity"]
    assert identity["type"] == "AssumedRole"
    assert identity["arn"] == f"arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/records-session"
    assert identity["principalId"].endswith(":records-session") and identity["principalId"].startswith("AROA")
    assert identity["accessKeyId"] == session.access_key_id and session.access_key_id.startswith("ASIA")
    issuer = identity["sessionContext"]["sessionIssuer"]
    assert issuer == {
        "type": "Role",
        "principalId": identity["principalId"].split(":")[0],
        "arn": role_arn,
        "accountId": member,
        "userName": "OrganizationAccountAccessRole",
    }
    assert ISO_TIME.match(identity["sessionContext"]["attributes"]["creationDate"])
    assert identity["sessionContext"]["attributes"]["mfaAuthenticated"] == "false"
    assert record["awsRegion"] == "eu-central-1"
    assert record["eventSource"] == "ec2.amazonaws.com"


def test_cross_account_assume_role_is_recorded_in_both_accounts(lab) -> None:
    management, member = lab.account(0)["id"], lab.account(2)["id"]
    role_arn = f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
    answer = lab.client(admin(lab, 0), "sts").assume_role(RoleArn=role_arn, RoleSessionName="both-sides")
    new_key = answer["Credentials"]["AccessKeyId"]
    caller_side = [r for r in events_named(lab, management, "AssumeRole") if r["responseElements"] and r["responseElements"]["credentials"]["accessKeyId"] == new_key]
    role_side = [r for r in events_named(lab, member, "AssumeRole") if r["responseElements"] and r["responseElements"]["credentials"]["accessKeyId"] == new_key]
    assert len(caller_side) == len(role_side) == 1
    assert caller_side[0]["userIdentity"]["type"] == "IAMUser"
    assert role_side[0]["userIdentity"] == {"type": "AWSAccount", "principalId": caller_side[0]["userIdentity"]["principalId"], "accountId": management}
    assert caller_side[0]["sharedEventID"] == role_side[0]["sharedEventID"]
    assert role_side[0]["recipientAccountId"] == member
    assert "sessionToken" not in json.dumps(role_side[0]["responseElements"])
    assert caller_side[0]["readOnly"] is True


def test_role_in_another_account_refuses_an_untrusted_caller(lab) -> None:
    role_arn = f"arn:aws:iam::{lab.account(2)['id']}:role/OrganizationAccountAccessRole"
    with pytest.raises(Exception) as denied:
        lab.client(admin(lab, 1), "sts").assume_role(RoleArn=role_arn, RoleSessionName="not-trusted")
    assert "AccessDenied" in str(denied.value)


def test_session_token_user_record(lab, user) -> None:
    answer = lab.client(user["actor"], "sts").get_session_token(DurationSeconds=900)
    session = Credentials.from_response(answer)
    issued = _last(lab, user["account"], "GetSessionToken", user["key"].access_key_id)
    assert issued["readOnly"] is False
    assert issued["requestParameters"] == {"durationSeconds": 900}
    assert issued["responseElements"]["credentials"]["accessKeyId"] == session.access_key_id
    assert set(issued["responseElements"]["credentials"]) == {"accessKeyId", "expiration"}
    assert session.session_token not in json.dumps(lab.events())

    caller = lab.client(user["actor"].using(session), "sts").get_caller_identity()
    assert caller["Arn"] == user["arn"]
    lab.client(user["actor"].using(session), "s3").list_buckets()
    record = _last(lab, user["account"], "ListBuckets", session.access_key_id)
    _check_common(record)
    identity = record["userIdentity"]
    assert identity["type"] == "IAMUser"
    assert identity["arn"] == user["arn"] and identity["userName"] == user["name"] and identity["principalId"] == user["id"]
    assert identity["accessKeyId"] == session.access_key_id and session.access_key_id.startswith("ASIA")
    assert identity["sessionContext"]["sessionIssuer"] == {}
    assert identity["sessionContext"]["attributes"]["mfaAuthenticated"] == "false"


def test_session_token_outlives_the_disabled_key_but_not_iam(lab, user) -> None:
    iam = lab.client(admin(lab, 1), "iam")
    name = f"outlive-{uuid.uuid4().hex[:6]}"
    iam.create_user(UserName=name)
    iam.attach_user_policy(UserName=name, PolicyArn=ADMIN_POLICY)
    key = Credentials.from_response(iam.create_access_key(UserName=name))
    session = Credentials.from_response(lab.client(Actor(name, key), "sts").get_session_token())
    iam.update_access_key(UserName=name, AccessKeyId=key.access_key_id, Status="Inactive")
    assert lab.client(Actor(name, session), "s3").list_buckets()["Buckets"] is not None
    with pytest.raises(Exception) as refused:
        lab.client(Actor(name, session), "iam").list_users()
    assert "InvalidClientTokenId" in str(refused.value)
    with pytest.raises(Exception) as again:
        lab.client(Actor(name, session), "sts").get_session_token()
    assert "AccessDenied" in str(again.value)


def test_federated_user_record(lab, user) -> None:
    answer = lab.client(user["actor"], "sts").get_federation_token(Name="fed-records", Policy=EVERYTHING)
    federated = Credentials.from_response(answer)
    assert answer["FederatedUser"]["Arn"] == f"arn:aws:sts::{user['account']}:federated-user/fed-records"
    issued = _last(lab, user["account"], "GetFederationToken", user["key"].access_key_id)
    assert issued["requestParameters"]["name"] == "fed-records"
    assert issued["responseElements"]["federatedUser"]["arn"] == answer["FederatedUser"]["Arn"]

    caller = lab.client(user["actor"].using(federated), "sts").get_caller_identity()
    assert caller["Arn"] == answer["FederatedUser"]["Arn"]
    lab.client(user["actor"].using(federated), "ec2", "ap-south-1").describe_vpcs()
    record = _last(lab, user["account"], "DescribeVpcs", federated.access_key_id)
    _check_common(record)
    identity = record["userIdentity"]
    assert identity["type"] == "FederatedUser"
    assert identity["arn"] == answer["FederatedUser"]["Arn"]
    assert identity["principalId"] == f"{user['account']}:fed-records"
    assert identity["sessionContext"]["sessionIssuer"] == {
        "type": "IAMUser",
        "principalId": user["id"],
        "arn": user["arn"],
        "accountId": user["account"],
        "userName": user["name"],
    }


def test_federation_token_is_limited_by_its_policy(lab, user) -> None:
    only_s3 = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
    federated = Credentials.from_response(lab.client(user["actor"], "sts").get_federation_token(Name="fed-s3", Policy=only_s3))
    actor = user["actor"].using(federated)
    lab.client(actor, "s3").list_buckets()
    with pytest.raises(Exception) as denied:
        lab.client(actor, "ec2", "us-east-1").describe_instances()
    assert "AccessDenied" in str(denied.value)
    record = _last(lab, user["account"], "DescribeInstances", federated.access_key_id)
    assert record["errorCode"].endswith("AccessDenied")


def test_source_ip_and_vpc_endpoint_come_from_lab_headers(lab, user) -> None:
    actor = user["actor"].using(user["key"], source_ip="10.1.2.3", vpc_endpoint_id="vpce-0123456789abcdef0")
    lab.client(actor, "ec2", "eu-west-3").describe_security_groups()
    record = _last(lab, user["account"], "DescribeSecurityGroups", user["key"].access_key_id)
    assert record["sourceIPAddress"] == "10.1.2.3"
    assert record["vpcEndpointId"] == "vpce-0123456789abcdef0"


def test_instance_role_credentials_and_their_records(lab) -> None:
    account = lab.account(3)["id"]
    boss = admin(lab, 3)
    iam = lab.client(boss, "iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="instance-role", AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName="instance-role", PolicyArn="arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess")
    iam.create_instance_profile(InstanceProfileName="instance-role")
    iam.add_role_to_instance_profile(InstanceProfileName="instance-role", RoleName="instance-role")
    ec2 = lab.client(boss, "ec2", "ca-central-1")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, IamInstanceProfile={"Name": "instance-role"})["Instances"][0]
    creds = lab.instance_credentials(account, "ca-central-1", instance["InstanceId"])
    delivered = [r for r in events_named(lab, account, "AssumeRole") if r["userIdentity"].get("invokedBy") == "ec2.amazonaws.com"][-1]
    assert delivered["userIdentity"] == {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}
    assert delivered["sourceIPAddress"] == "ec2.amazonaws.com"
    assert delivered["requestParameters"]["roleSessionName"] == instance["InstanceId"]
    lab.client(Actor("instance", creds, source_ip=instance["PrivateIpAddress"]), "ec2", "ca-central-1").describe_instances()
    record = _last(lab, account, "DescribeInstances", creds.access_key_id)
    assert record["userIdentity"]["type"] == "AssumedRole"
    assert record["userIdentity"]["arn"].endswith(f":assumed-role/instance-role/{instance['InstanceId']}")
    assert record["userIdentity"]["sessionContext"]["ec2RoleDelivery"] == "2.0"
    assert record["sourceIPAddress"] == instance["PrivateIpAddress"]


def test_journal_holds_every_record_and_no_secret(lab_process, lab) -> None:
    journal = (lab_process.state / "events.jsonl").read_text().splitlines()
    assert len(journal) >= len(lab.events())
    text = "\n".join(journal)
    for account in lab.accounts:
        assert account["administrator"]["secretAccessKey"] not in text
    for line in journal:
        json.loads(line)
