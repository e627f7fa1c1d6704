"""Compares custody's CloudTrail detection with SigmaHQ's CloudTrail rules on the repository's
real attack data, and scores custody against Panther's expected results. Run it through
Benchmarks/detection/run, which builds custody and installs the pinned Python packages."""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import importlib.metadata
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

import sigma_eval

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
RESOURCES = ROOT / "Tests" / "DiffTests" / "Resources"

# The custody rule that answers each Stratus Red Team technique specifically (any one of a set).
STRATUS_SPECIFIC: dict[str, tuple[str, ...]] = {
    "ec2-get-password-data": ("credential-access.secrets",),
    "ec2-steal-instance-credentials": ("credentials.instance-role.outside",),
    "secretsmanager-batch-retrieve-secrets": ("credential-access.secrets",),
    "secretsmanager-retrieve-secrets": ("credential-access.secrets",),
    "ssm-retrieve-securestring-parameters": ("credential-access.secrets",),
    "cloudtrail-delete": ("logging.trail.impaired",),
    "cloudtrail-event-selectors": ("logging.trail.impaired",),
    "cloudtrail-stop": ("logging.trail.impaired",),
    "dns-delete-logs": ("logging.dns-query-logs.removed",),
    "organizations-leave": ("organizations.left",),
    "vpc-remove-flow-logs": ("logging.flow-logs.deleted",),
    "ec2-download-user-data": ("credential-access.user-data",),
    "ec2-launch-unusual-instances": ("impact.resource-hijacking",),
    "ec2-user-data": ("execution.instance-command",),
    "ssm-send-command": ("execution.instance-command",),
    "ssm-start-session": ("execution.instance-command",),
    "ec2-security-group-open-port-22-ingress": ("ec2.security-group.opened",),
    "ec2-share-ami": ("exfiltration.resource-shared",),
    "ec2-share-ebs-snapshot": ("exfiltration.resource-shared",),
    "rds-share-snapshot": ("exfiltration.resource-shared",),
    "bedrock-invoke-model": ("impact.resource-hijacking",),
    "console-login-without-mfa": ("signin.console-login",),
    "ec2-instance-connect": ("lateral.instance-access",),
    "ec2-serial-console-send-ssh-public-key": ("lateral.instance-access",),
    "iam-backdoor-role": ("iam.role.trust-changed",),
    "iam-backdoor-user": ("iam.access-key.created",),
    "iam-create-admin-user": ("iam.user.created", "iam.policy.privileged-attached"),
    "iam-create-backdoor-role": ("iam.role.created",),
    "iam-create-user-login-profile": ("iam.login-profile.created",),
    "lambda-backdoor-function": ("lambda.policy.external-access",),
    "lambda-layer-extension": ("lambda.function.backdoored",),
    "lambda-overwrite-code": ("lambda.function.backdoored",),
    "rolesanywhere-create-trust-anchor": ("iam.roles-anywhere.trust-anchor",),
    "sts-federation-token": ("sts.federation-token.issued",),
    "iam-update-user-login-profile": ("iam.login-profile.changed",),
}

# Rules that fire on behaviour of any kind, not on one technique: they never count as specific.
GENERIC = {"discovery.enumeration", "auth.denied-burst", "identity.new-source", "ec2.region.first-use"}

# Panther rules that mean what a custody rule means, and that rule (or rules). Panther rules
# about something custody does not judge (tooling, allow-lists, thresholds over many events of
# other kinds, services custody has no rule for) are left out.
PANTHER_FAMILIES: dict[str, tuple[str, ...]] = {
    "AWS.CloudTrail.Stopped": ("logging.trail.impaired",),
    "AWS.CloudTrail.EventSelectorsDisabled": ("logging.trail.impaired",),
    "AWS.CloudTrail.DNSLogsDeleted": ("logging.dns-query-logs.removed",),
    "AWS.VPCFlow.LogsDeleted": ("logging.flow-logs.deleted",),
    "AWS.CloudTrail.AttemptToLeaveOrg": ("organizations.left",),
    "AWS.IAM.Backdoor.User.Keys": ("iam.access-key.created",),
    "AWS.IAM.CreateUser": ("iam.user.created",),
    "Standard.NewUserAccountCreated": ("iam.user.created",),
    "AWS.IAM.CreateRole": ("iam.role.created",),
    "AWS.IAM.BackdoorRole": ("iam.role.trust-changed",),
    "AWS.IAM.AttachAdminUserPolicy": ("iam.policy.privileged-attached",),
    "AWS.IAM.AttachAdminRolePolicy": ("iam.policy.privileged-attached",),
    "AWS.User.Login.Profile.Modified": ("iam.login-profile.changed",),
    "AWS.CloudTrail.LoginProfileCreatedOrModified": ("iam.login-profile.created", "iam.login-profile.changed"),
    "AWS.Suspicious.SAML.Activity": ("iam.identity-provider.changed",),
    "AWS.EC2.SecurityGroupModified": ("ec2.security-group.opened",),
    "AWS.STS.GetSessionToken.Misuse": ("sts.session-token.issued",),
    "AWS.Console.GetSigninToken.Abuse": ("sts.federation-token.issued",),
    "AWS.Console.LoginWithoutMFA": ("signin.console-login",),
    "AWS.SecretsManager.RetrieveSecrets": ("credential-access.secrets",),
    "AWS.SecretsManager.BatchRetrieveSecrets": ("credential-access.secrets",),
    "AWS.SecretsManager.BatchRetrieveSecretsCatchAll": ("credential-access.secrets",),
    "AWS.SecretsManager.RetrieveSecretsMultiRegion": ("credential-access.secrets",),
    "AWS.SSM.DecryptSSMParams": ("credential-access.secrets",),
    "AWS.EC2.ManyPasswordReadAttempts": ("credential-access.secrets",),
    "AWS.EC2.DownloadInstanceUserData": ("credential-access.user-data",),
    "AWS.CloudTrail.IMDSCredentialExfiltration": ("credentials.instance-role.outside",),
    "AWS.EC2.Startup.Script.Change": ("execution.instance-command",),
    "AWS.SSM.DistributedCommand": ("execution.instance-command",),
    "AWS.EC2.LaunchUnusualEC2Instances": ("impact.resource-hijacking",),
    "AWS.EC2.MultiInstanceConnect": ("lateral.instance-access",),
    "AWS.CloudTrail.SnapshotMadePublic": ("exfiltration.resource-shared",),
    "AWS.CloudTrail.AMIModifiedForPublicAccess": ("exfiltration.resource-shared",),
    "AWS.RDS.SnapshotShared": ("exfiltration.resource-shared",),
    "AWS.CloudTrail.ResourceMadePublic": ("exfiltration.resource-shared",),
    "AWS.Potential.Backdoor.Lambda": ("lambda.policy.external-access",),
    "AWS.Lambda.UpdateFunctionCode": ("lambda.function.backdoored",),
    "AWS.Lambda.UpdateFunctionConfiguration": ("lambda.function.backdoored",),
}

# Sigma rules that match whatever a kind of principal does, whatever it does: counted, and
# counted apart, as the generic custody rules are.
SIGMA_CATCH_ALL = {"905d389b-b853-46d0-9d3d-dea0d3a3cd49": "every call made by an assumed role"}

SEVERITY = {"low": 1, "medium": 2, "high": 3}
DEFAULT_ACCOUNT = "111122223333"


@dataclass
class Finding:
    rule: str
    severity: str
    reason: str


@dataclass
class Unit:
    """What one custody hunt and the Sigma rules judge: a fixture file, or one Panther record."""

    dataset: str
    name: str
    records: list[dict]
    path: pathlib.Path | None = None  # imported as it is; else the records are written out
    expected: bool | None = None  # Panther's expected_result
    panther_rule: str = ""
    findings: list[Finding] = field(default_factory=list)
    custody_error: str = ""
    import_gaps: bool = False
    incomplete: bool = False  # read whole, but a record lacks eventTime, eventName or eventSource
    sigma: set[str] = field(default_factory=set)  # ids of the Sigma rules that matched a record
    sigma_matches: int = 0  # (rule, record) pairs that matched


# Reading the fixtures


def records_of(value) -> list[dict]:
    if isinstance(value, dict) and isinstance(value.get("Records"), list):
        value = value["Records"]
    if isinstance(value, dict):
        value = [value]
    return [record for record in value if isinstance(record, dict)] if isinstance(value, list) else []


def stratus_units(folder: pathlib.Path) -> list[Unit]:
    units = []
    for path in sorted(folder.glob("*.json")):
        technique = path.stem.split(".", 2)[-1]
        units.append(Unit("Stratus Red Team", technique, records_of(json.loads(path.read_text())), path))
    return units


def traildiscover_units(folder: pathlib.Path) -> list[Unit]:
    units = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.upper().startswith("LICENSE")):
        try:
            records = records_of(json.loads(path.read_text()))
        except ValueError:
            records = []
        units.append(Unit("TrailDiscover", path.name, records, path))
    return units


def panther_units(path: pathlib.Path) -> list[Unit]:
    units = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        units.append(
            Unit(
                "Panther",
                f"{entry['rule_id']}: {entry['test_name']}",
                records_of(entry.get("log")),
                expected=bool(entry.get("expected_result")),
                panther_rule=entry["rule_id"],
            )
        )
    return units


# custody


def account_of(records: list[dict]) -> str:
    """The account whose chain the records join: the one most of them were delivered to, so the
    account itself is known to the rules (as it would be in a real import)."""
    seen = collections.Counter()
    for record in records:
        for value in (record.get("recipientAccountId"), (record.get("userIdentity") or {}).get("accountId")):
            if isinstance(value, str) and re.fullmatch(r"\d{12}", value):
                seen[value] += 1
                break
    return seen.most_common(1)[0][0] if seen else DEFAULT_ACCOUNT


def run_custody(custody: str, key: pathlib.Path, work: pathlib.Path, index: int, unit: Unit) -> None:
    """Imports the unit into a case of its own and hunts it; fills the unit's findings."""
    if not unit.records and unit.path is None:
        unit.custody_error = "no record to import"
        return
    folder = work / f"unit-{index:05d}"
    folder.mkdir()
    if unit.path is not None:
        source = unit.path
    else:
        source = folder / "record.json"
        source.write_text(json.dumps(unit.records[0] if len(unit.records) == 1 else unit.records))
    case = folder / "case"
    imported = subprocess.run(
        [
            custody,
            "import-cloudtrail",
            "--case",
            str(case),
            "--account",
            account_of(unit.records),
            "--sign-key",
            str(key),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    # 3: records it could not read; 4: every record read, some incomplete (Docs/collect.md).
    if imported.returncode not in (0, 3, 4):
        unit.custody_error = (
            "import: " + (imported.stderr.strip().splitlines() or ["exit %d" % imported.returncode])[-1]
        )
        return
    unit.import_gaps = imported.returncode == 3
    unit.incomplete = imported.returncode == 4
    hunted = subprocess.run(
        [custody, "hunt", "--trust", f"{key}.pub", "--json", str(case)], capture_output=True, text=True
    )
    if hunted.returncode not in (0, 1):
        unit.custody_error = "hunt: " + (hunted.stderr.strip().splitlines() or ["exit %d" % hunted.returncode])[-1]
        return
    try:
        report = json.loads(hunted.stdout)
    except ValueError as error:
        unit.custody_error = f"hunt --json printed no JSON report: {error}"
        return
    unit.findings = [Finding(f["rule"], f["severity"], f.get("reason", "")) for f in report.get("findings", [])]


def hunt_all(custody: str, units: list[Unit], jobs: int, scratch: pathlib.Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="custody-detection-", dir=scratch) as directory:
        work = pathlib.Path(directory)
        key = work / "bench.key"
        subprocess.run([custody, "keygen", "--out", str(key)], check=True, capture_output=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            for future in [pool.submit(run_custody, custody, key, work, i, u) for i, u in enumerate(units)]:
                future.result()


# Sigma


def match_sigma(evaluator: sigma_eval.Evaluator, units: list[Unit]) -> None:
    records, owner = [], []
    for unit in units:
        for record in unit.records:
            records.append(record)
            owner.append(unit)
    for rule_id, rows in evaluator.match(records).items():
        for row in rows:
            owner[row].sigma.add(rule_id)
            owner[row].sigma_matches += 1


# Tables


def rules_fired(unit: Unit) -> list[tuple[str, str]]:
    """Each custody rule that fired on the unit with its highest severity, by rule id."""
    best: dict[str, str] = {}
    for finding in unit.findings:
        if SEVERITY.get(finding.severity, 0) > SEVERITY.get(best.get(finding.rule, ""), 0):
            best[finding.rule] = finding.severity
    return sorted(best.items())


def specific(unit: Unit) -> list[Finding]:
    return [f for f in unit.findings if f.rule not in GENERIC]


def one_line(text: str, limit: int = 200) -> str:
    """A reason as one table-safe line, cut at a word near `limit`."""
    line = " ".join(text.split()).replace("|", "\\|")
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def cell(items: list[str]) -> str:
    return ", ".join(items) if items else "–"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    low: int = 0  # negatives by severity: the rule fired, judged the act benign (low)

    def count(self, expected: bool, alerted: bool) -> None:
        if expected and alerted:
            self.tp += 1
        elif expected:
            self.fn += 1
        elif alerted:
            self.fp += 1
        else:
            self.tn += 1


def alerts(findings: list[Finding]) -> bool:
    """Whether custody alerts on these findings: one at medium or high (a low one was judged benign)."""
    return any(SEVERITY.get(f.severity, 0) >= SEVERITY["medium"] for f in findings)


def panther_verdict(unit: Unit) -> tuple[bool, list[Finding]]:
    """Whether custody alerts (a mapped rule at medium or high) and the mapped findings."""
    mapped = [f for f in unit.findings if f.rule in PANTHER_FAMILIES[unit.panther_rule]]
    return alerts(mapped), mapped


def disagreement(unit: Unit, alerted: bool, mapped: list[Finding]) -> str:
    rules = " or ".join(PANTHER_FAMILIES[unit.panther_rule])
    if unit.custody_error:
        return f"custody could not read it ({unit.custody_error})"
    if alerted:
        top = max(mapped, key=lambda f: SEVERITY.get(f.severity, 0))
        return f"custody {top.rule} {top.severity}: {one_line(top.reason)}"
    if mapped:
        return f"custody {mapped[0].rule} low: {one_line(mapped[0].reason)}"
    record = unit.records[0] if unit.records else {}
    if record.get("errorCode"):
        return f"no finding by {rules}; the call failed ({record['errorCode']})"
    return f"no finding by {rules} on {record.get('eventName', 'a record without eventName')}"


def data_dates(units: list[Unit]) -> str:
    times = sorted(
        r["eventTime"][:10]
        for u in units
        for r in u.records
        if isinstance(r.get("eventTime"), str) and re.match(r"\d{4}-\d\d-\d\dT", r["eventTime"])
    )
    return f"{times[0]} to {times[-1]}" if times else "no dated records"


def render(evaluator: sigma_eval.Evaluator, stratus: list[Unit], traildiscover: list[Unit], panther: list[Unit]) -> str:
    rules_by_id = {r.id: r for r in evaluator.rules}
    out: list[str] = []
    add = out.append

    def sigma_names(unit: Unit) -> list[str]:
        return sorted(rules_by_id[i].name for i in unit.sigma)

    # Stratus
    custody_found = [u for u in stratus if any(rule in STRATUS_SPECIFIC.get(u.name, ()) for rule, _ in rules_fired(u))]
    any_found = [u for u in stratus if u.findings]
    sigma_found = [u for u in stratus if u.sigma]
    catch_all = " or ".join(f"`{rules_by_id[i].name}`" for i in sorted(SIGMA_CATCH_ALL) if i in rules_by_id)

    def pointed(units: list[Unit]) -> int:
        return sum(1 for u in units if u.sigma - SIGMA_CATCH_ALL.keys())

    add("## Totals\n")
    add("| | custody | SigmaHQ |")
    add("|---|---|---|")
    add(
        f"| Stratus Red Team techniques found ({len(stratus)}) | {len(custody_found)} by the technique's own rule "
        f"({len(any_found)} by any rule) | {len(sigma_found)} by any rule ({pointed(stratus)} without {catch_all}) |"
    )
    for name, units in (("TrailDiscover", traildiscover), ("Panther", panther)):
        kind = "records" if name == "Panther" else "files"
        add(
            f"| {name} {kind} with a finding ({len(units)}) | {sum(1 for u in units if specific(u))} by a specific rule "
            f"({sum(1 for u in units if u.findings)} by any rule) | {sum(1 for u in units if u.sigma)} by any rule "
            f"({pointed(units)} without {catch_all}) |"
        )
    scores, sigma_scores = score_panther(panther), score_panther(panther, sigma=True)

    def summed(scores: dict[str, Score]) -> Score:
        return Score(*(sum(getattr(s, k) for s in scores.values()) for k in ("tp", "fp", "fn", "tn", "low")))

    def agreed(score: Score) -> str:
        return (
            f"{score.tp + score.tn} ({score.tp} true positives, {score.tn} true negatives; {score.fp} false positives, "
            f"{score.fn} false negatives)"
        )

    total, sigma_total = summed(scores), summed(sigma_scores)
    add(
        f"| Panther tests custody's rules cover ({total.tp + total.fp + total.fn + total.tn}): agree with `expected_result` | "
        f"{agreed(total)} | {agreed(sigma_total)}, any rule but {catch_all} |"
    )
    everything = score_all_panther(panther)
    add(
        f"| All Panther records ({len(panther)}; {everything['custody'].tp + everything['custody'].fn} should alert): "
        f"agree with `expected_result` | {agreed(everything['custody'])}, any rule at medium or high; "
        f"{agreed(everything['custody specific'])}, a specific rule | {agreed(everything['sigma'])}, any rule but "
        f"{catch_all}; {agreed(everything['sigma with catch-all'])} with it |"
    )
    add("")
    add(
        "On Panther's records, a finding is not a success by itself: "
        f"{everything['custody'].fp + everything['custody'].tn} of the {len(panther)} are written to be "
        "benign (`expected_result` false), so the tools are compared by how many records they judge as "
        "Panther's authors do. custody alerts with a finding at medium or high (a low finding is a call "
        "seen and judged benign); SigmaHQ alerts with a match."
    )
    add("")
    add(
        "A technique counts for custody when the rule written for it fired (the table below names it), "
        "at any severity; the generic rules ("
        + ", ".join(f"`{r}`" for r in sorted(GENERIC))
        + ") never count as specific. "
        "It counts for SigmaHQ when any of its CloudTrail rules matched any record of the technique; "
        + "; ".join(
            f"`{rules_by_id[i].name}` matches {why}" for i, why in sorted(SIGMA_CATCH_ALL.items()) if i in rules_by_id
        )
        + ", so the counts without it are given too."
    )
    add("")

    add(f"## Stratus Red Team: {len(stratus)} techniques\n")
    add(
        "| Technique | custody rule for it | Found | custody rules that fired (highest severity) | SigmaHQ rules that matched |"
    )
    add("|---|---|---|---|---|")
    for unit in stratus:
        wanted = STRATUS_SPECIFIC.get(unit.name, ())
        fired = rules_fired(unit)
        hit = [f"{rule} ({severity})" for rule, severity in fired if rule in wanted]
        found = (
            "yes: " + ", ".join(hit)
            if hit
            else ("**no**" if not unit.custody_error else f"**error**: {unit.custody_error}")
        )
        add(
            f"| {unit.name} | {' or '.join(f'`{r}`' for r in wanted) or '(none mapped)'} | {found} | "
            f"{cell([f'{r} ({s})' for r, s in fired])} | {cell(sigma_names(unit))} |"
        )
    add("")

    add(f"## TrailDiscover: {len(traildiscover)} attack steps\n")
    add(
        "Each file is one example of an attack step, mostly refused (AccessDenied, UnauthorizedOperation). "
        "A step whose call was refused made nothing, so a custody rule about what it would have made does not fire."
    )
    add("")
    add("| File | Refused | custody rules that fired (highest severity) | SigmaHQ rules that matched |")
    add("|---|---|---|---|")
    for unit in traildiscover:
        refused = sum(1 for r in unit.records if r.get("errorCode"))
        fired = [f"{r} ({s})" for r, s in rules_fired(unit)]
        if unit.custody_error:
            fired = [f"**error**: {unit.custody_error}"]
        add(f"| {unit.name} | {refused} of {len(unit.records)} | {cell(fired)} | {cell(sigma_names(unit))} |")
    add("")

    add("## Datasets\n")
    add(
        "| Dataset | Judged | Refused calls | custody: with any finding | custody: with a specific finding | custody findings | "
        f"SigmaHQ: with a match | SigmaHQ: with a match other than {catch_all} | SigmaHQ matches (rule × record) |"
    )
    add("|---|---|---|---|---|---|---|---|---|")
    for name, units, kind in (
        ("Stratus Red Team", stratus, "files"),
        ("TrailDiscover", traildiscover, "files"),
        ("Panther", panther, "records"),
    ):
        records = sum(len(u.records) for u in units)
        judged = f"{len(units)} {kind}" + (f" ({records} records)" if kind == "files" else "")
        refused = sum(1 for u in units for r in u.records if r.get("errorCode"))
        add(
            f"| {name} | {judged} | {refused} | {sum(1 for u in units if u.findings)} | "
            f"{sum(1 for u in units if specific(u))} | {sum(len(u.findings) for u in units)} | "
            f"{sum(1 for u in units if u.sigma)} | {pointed(units)} | {sum(u.sigma_matches for u in units)} |"
        )
    add("")
    add(
        "A refused call (`errorCode` set) changed nothing: custody makes no finding for what was not made (a user, a key, "
        "a role), but a refused attempt to leave the Organization, read a secret or user data, run commands on instances, "
        "launch hijack-sized instances, enable Bedrock models, or impair logging or GuardDuty is itself a finding (an "
        "attempt, medium), and every refused call counts toward `auth.denied-burst` (5 within 10 minutes from one key, "
        "which one file or record alone cannot show). Most SigmaHQ rules do not look at `errorCode`."
    )
    problems = [u for u in stratus + traildiscover + panther if u.custody_error]
    gaps = [u for u in stratus + traildiscover + panther if u.import_gaps]
    incomplete = [u for u in stratus + traildiscover + panther if u.incomplete]
    add("")
    add(
        f"custody could not import or hunt {len(problems)} of them"
        + (": " + "; ".join(f"{u.dataset} {u.name}: {u.custody_error}" for u in problems) if problems else "")
        + f"; {len(gaps)} were imported with records it could not read"
        + (" (" + ", ".join(f"{u.dataset} {u.name}" for u in gaps) + ")" if gaps else "")
        + f"; {len(incomplete)} held a record without a valid `eventTime`, `eventName` or `eventSource`, kept and "
        "judged by the rules that do not need what it lacks (Docs/rules.md)"
        + (" (" + ", ".join(sorted({u.dataset for u in incomplete})) + ")" if incomplete else "")
        + "."
    )
    add("")

    add("## custody against Panther's expected results\n")
    add(
        "Each Panther test record whose rule means what a custody rule means, hunted on its own. custody alerts when that "
        "rule fires at medium or high; a low finding (seen and judged benign) counts as no alert and is shown as *low*. "
        "Panther's `expected_result` is the truth."
    )
    add("")
    add("| Panther rule | custody rule | Tests | TP | FP | FN | TN | of the negatives, low | SigmaHQ TP/FP/FN/TN |")
    add("|---|---|---|---|---|---|---|---|---|")

    def sigma_cell(score: Score) -> str:
        return f"{score.tp}/{score.fp}/{score.fn}/{score.tn}"

    for panther_rule, score in sorted(scores.items()):
        rules = " or ".join(f"`{r}`" for r in PANTHER_FAMILIES[panther_rule])
        add(
            f"| {panther_rule} | {rules} | {score.tp + score.fp + score.fn + score.tn} | {score.tp} | {score.fp} | "
            f"{score.fn} | {score.tn} | {score.low} | {sigma_cell(sigma_scores[panther_rule])} |"
        )
    add(
        f"| **all** | | {total.tp + total.fp + total.fn + total.tn} | {total.tp} | {total.fp} | {total.fn} | {total.tn} | "
        f"{total.low} | {sigma_cell(sigma_total)} |"
    )
    add("")
    add("Disagreements:\n")
    listed = 0
    for unit in sorted(panther, key=lambda u: u.name):
        if unit.panther_rule not in PANTHER_FAMILIES:
            continue
        alerted, mapped = panther_verdict(unit)
        if alerted == unit.expected:
            continue
        listed += 1
        side = "FN" if unit.expected else "FP"
        add(f"- {side} {unit.name}: {disagreement(unit, alerted, mapped)}")
    if not listed:
        add("- none")
    add("")

    add("## SigmaHQ rules that matched\n")
    add(
        "The authors are named as the Detection Rule License 1.1 asks of every message based on a match "
        "(the rules: https://github.com/SigmaHQ/sigma `rules/cloud/aws/cloudtrail/`, vendored in "
        "`Benchmarks/detection/sigma/`)."
    )
    add("")
    add("| Rule | Title | Level | Author | Stratus techniques | TrailDiscover files | Panther records |")
    add("|---|---|---|---|---|---|---|")
    for rule in sorted(evaluator.rules, key=lambda r: r.name):
        counts = [sum(1 for u in units if rule.id in u.sigma) for units in (stratus, traildiscover, panther)]
        if any(counts):
            add(
                f"| {rule.name} | {rule.title} | {rule.level} | {rule.author} | {counts[0]} | {counts[1]} | {counts[2]} |"
            )
    silent = [
        r.name
        for r in evaluator.rules
        if r.query and not any(r.id in u.sigma for u in stratus + traildiscover + panther)
    ]
    add("")
    add(f"{len(silent)} rules matched nothing: {', '.join(sorted(silent))}.")
    return "\n".join(out) + "\n"


def score_all_panther(panther: list[Unit]) -> dict[str, Score]:
    """Every Panther record, whatever its rule, judged by each tool against `expected_result`."""
    verdicts = {
        "custody": lambda u: alerts(u.findings),
        "custody specific": lambda u: alerts(specific(u)),
        "sigma": lambda u: bool(u.sigma - SIGMA_CATCH_ALL.keys()),
        "sigma with catch-all": lambda u: bool(u.sigma),
    }
    scores = {name: Score() for name in verdicts}
    for unit in panther:
        for name, verdict in verdicts.items():
            scores[name].count(bool(unit.expected), verdict(unit))
    return scores


def score_panther(panther: list[Unit], sigma: bool = False) -> dict[str, Score]:
    """custody's verdicts on the Panther tests its rules cover; with `sigma`, SigmaHQ's on the same
    tests: an alert when any of its rules but the catch-all matched the record."""
    scores: dict[str, Score] = {}
    for unit in panther:
        if unit.panther_rule not in PANTHER_FAMILIES:
            continue
        score = scores.setdefault(unit.panther_rule, Score())
        if sigma:
            alerted, mapped = bool(unit.sigma - SIGMA_CATCH_ALL.keys()), []
        else:
            alerted, mapped = panther_verdict(unit)
        score.count(bool(unit.expected), alerted)
        if not alerted and mapped:
            score.low += 1
    return scores


PROVENANCE = {
    "stratus": "Stratus Red Team detonation logs, DataDog/stratus-red-team @ 7c9a7a5a63dc",
    "traildiscover": "TrailDiscover's attack-step examples by Adan Alvarez, adanalvarez/TrailDiscover @ f96cbdb0591f, CC-BY-4.0",
    "panther": "Panther's hand-written test events, panther-labs/panther-analysis @ daa10c888566",
}


def shown(path: pathlib.Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def header(args, sigma_info: dict, evaluator: sigma_eval.Evaluator, units: list[Unit]) -> str:
    versions = {name: importlib.metadata.version(name) for name in ("pySigma", "pySigma-backend-duckdb", "duckdb")}
    runnable = sum(1 for r in evaluator.rules if r.id not in evaluator.failed)
    failed = "; ".join(f"{r.name}: {evaluator.failed[r.id]}" for r in evaluator.rules if r.id in evaluator.failed)
    custody_version = subprocess.run([args.custody, "--version"], capture_output=True, text=True).stdout.strip()
    data = "; ".join(
        f"`{shown(path)}`" + (f" ({PROVENANCE[name]})" if path.resolve().is_relative_to(RESOURCES) else "")
        for name, path in (("stratus", args.stratus), ("traildiscover", args.traildiscover), ("panther", args.panther))
    )
    return f"""# Detection coverage: custody and SigmaHQ's CloudTrail rules

Written by `Benchmarks/detection/run` (which builds custody, or takes `--custody PATH`): do not
edit it, run that again. `Benchmarks/detection/run --test` tests the Sigma evaluator. The same
code, rules and data give the same file.

- **custody** {custody_version}: each fixture file, and each Panther test record, imported with
  `custody import-cloudtrail` into a case of its own and hunted with `custody hunt --json`.
- **SigmaHQ**: the {len(evaluator.rules)} rules of `rules/cloud/aws/cloudtrail/` of SigmaHQ/sigma at
  {sigma_info['commit']} ({sigma_info['date']}), by their authors, under the Detection Rule License 1.1.
- **Sigma evaluator**: {evaluator.name} (pySigma {versions['pySigma']}, pySigma-backend-duckdb {versions['pySigma-backend-duckdb']},
  duckdb {versions['duckdb']}), each record a row, its SQL made null-safe and case-insensitive as
  Sigma specifies (`Benchmarks/detection/sigma_eval.py`): {runnable} of {len(evaluator.rules)} rules evaluated,
  {len(evaluator.rules) - runnable} could not be{': ' + failed if failed else ''}.
- **Data**: {data}. Events dated {data_dates(units)}.

"""


def sigma_source(path: pathlib.Path | None) -> tuple[pathlib.Path, dict]:
    if path is None:
        note = (HERE / "sigma" / "SOURCE.md").read_text()
        commit = re.search(r"commit `([0-9a-f]{40})`", note).group(1)
        date = re.search(r"\((\d{4}-\d\d-\d\d)", note[note.index(commit) :]).group(1)
        return HERE / "sigma", {"commit": commit[:12], "date": date}
    git = ["git", "-C", str(path), "log", "-1", "--format=%H %cs"]
    shown = subprocess.run(git, capture_output=True, text=True).stdout.split()
    return path, {
        "commit": shown[0][:12] if shown else "(not a git checkout)",
        "date": shown[1] if shown else "date unknown",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--custody", required=True, help="the custody binary")
    parser.add_argument("--custody-build", default="", help="how the binary was built, for the output")
    parser.add_argument(
        "--sigma", type=pathlib.Path, help="a SigmaHQ/sigma checkout to use instead of the vendored rules"
    )
    parser.add_argument("--stratus", type=pathlib.Path, default=RESOURCES / "stratus")
    parser.add_argument("--traildiscover", type=pathlib.Path, default=RESOURCES / "traildiscover")
    parser.add_argument(
        "--panther", type=pathlib.Path, default=RESOURCES / "panther" / "panther_cloudtrail_test_events.jsonl"
    )
    parser.add_argument("--doc", type=pathlib.Path, default=ROOT / "Docs" / "detection-coverage.md")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the doc as it is")
    parser.add_argument(
        "--jobs", type=int, default=2 * (os.cpu_count() or 1), help="hunts at a time (they wait on the disk)"
    )
    parser.add_argument("--scratch", type=pathlib.Path)
    args = parser.parse_args()

    sigma_root, sigma_info = sigma_source(args.sigma)
    evaluator = sigma_eval.Evaluator(sigma_eval.load_rules(sigma_eval.rule_folder(sigma_root)))
    stratus = stratus_units(args.stratus)
    traildiscover = traildiscover_units(args.traildiscover)
    panther = panther_units(args.panther)
    units = stratus + traildiscover + panther
    print(
        f"custody: {args.custody}{' (' + args.custody_build + ')' if args.custody_build else ''}; "
        f"hunting {len(units)} cases with {args.jobs} at a time…",
        file=sys.stderr,
    )
    if args.scratch:
        args.scratch.mkdir(parents=True, exist_ok=True)
    hunt_all(args.custody, units, args.jobs, args.scratch)
    print(f"Sigma: {evaluator.name}, {len(evaluator.rules)} rules from {sigma_root}…", file=sys.stderr)
    match_sigma(evaluator, units)
    text = header(args, sigma_info, evaluator, units) + render(evaluator, stratus, traildiscover, panther)
    print(f"custody binary: {args.custody}" + (f" ({args.custody_build})" if args.custody_build else "") + "\n")
    print(text, end="")
    if not args.no_doc:
        args.doc.write_text(text)
        print(f"wrote {args.doc.relative_to(ROOT) if args.doc.is_relative_to(ROOT) else args.doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
