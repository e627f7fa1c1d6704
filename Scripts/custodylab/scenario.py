"""The training scenario: the course's exercise played as signed API calls.

The scenario is data (``Scripts/scenario.json``): variables, actors
(credentials plus apparent source IP, VPC endpoint and user agent) and a
list of steps, each in a phase: ``baseline`` and ``attack`` (the course's
hands-on 1 to 6), then ``contain`` and ``eradicate`` (hands-on 7, the
defender's side), each of which needs the one before. A step is an
API call (``"call": "iam.CreateUser"`` with ``params``), or a lab action
(``"lab": "flush"`` or ``"lab": "instance-credentials"``). Steps may save
ids from the response with JMESPath (``save``) and keep credentials from it
for later actors (``saveCredentials``); a step with ``expectError`` must
fail with that code.

What the steps create is written as JSON (``--ids-out``) from the
scenario's ``ids`` template: ids only, never a secret. ``${labNow}`` in a
step is the lab's current time (its logical clock, with ``--clock``), as a
responder writes it into a session-revocation policy. Between phases the
runner keeps its variables and the credentials it obtained in
``<lab state>/scenario-state.json`` (mode 0600, next to the lab's own
credentials), so ``--phase attack`` can follow ``--phase baseline`` after a
collector has taken its snapshot.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

import jmespath
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError

from .client import Actor, Credentials, Lab

PHASES = ("baseline", "attack", "contain", "eradicate")
#: What ``--phase all`` plays: the course's exercise up to the attack, as the demo and the tests expect.
ALL = ("baseline", "attack")
STATE_FILE = "scenario-state.json"
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
#: What a ``save`` path may never point at.
_SECRET_WORDS = ("secretaccesskey", "sessiontoken", "password")


class ScenarioError(Exception):
    """A step that did not go as the scenario says."""


def substitute(value: Any, variables: dict[str, Any], *, strict: bool = True) -> Any:
    """Replace ``${name}`` placeholders; a lone placeholder keeps the value's type."""
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole:
            return _variable(whole.group(1), variables, strict)
        return _PLACEHOLDER.sub(lambda m: str(_variable(m.group(1), variables, strict)), value)
    if isinstance(value, list):
        return [substitute(item, variables, strict=strict) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, variables, strict=strict) for key, item in value.items()}
    return value


def _variable(name: str, variables: dict[str, Any], strict: bool) -> Any:
    if name in variables:
        return variables[name]
    if strict:
        raise ScenarioError(f"variable ${{{name}}} is not set (did an earlier step or phase not run?)")
    return None


class Runner:
    """Plays the steps of a scenario against a running lab."""

    def __init__(self, lab: Lab, scenario: dict[str, Any], say: Callable[[str], None] = print) -> None:  # noqa: D107
        self.lab = lab
        self.scenario = scenario
        self.say = say
        self.state_path = lab.state_dir / STATE_FILE
        self.variables: dict[str, Any] = {}
        self.credentials: dict[str, Credentials] = {}
        self.phases_done: list[str] = []
        self._load_state()
        self._set_builtins()

    # State ------------------------------------------------------------------

    def _load_state(self) -> None:
        if not self.state_path.exists():
            return
        state = json.loads(self.state_path.read_text())
        if state.get("endpoint") != self.lab.endpoint:
            return  # left by an earlier lab: start afresh
        self.variables = state.get("variables", {})
        self.credentials = {name: Credentials(**creds) for name, creds in state.get("credentials", {}).items()}
        self.phases_done = state.get("phases", [])

    def _save_state(self) -> None:
        state = {
            "endpoint": self.lab.endpoint,
            "phases": self.phases_done,
            "variables": self.variables,
            "credentials": {name: asdict(creds) for name, creds in self.credentials.items()},
        }
        descriptor = os.open(self.state_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=2)

    def _set_builtins(self) -> None:
        self.variables.update(self.scenario.get("variables", {}))
        self.variables["labEndpoint"] = self.lab.endpoint
        for role, index in self.scenario.get("accounts", {}).items():
            if index >= len(self.lab.accounts):
                raise ScenarioError(
                    f"the scenario puts the {role} in lab account {index}, but the lab has {len(self.lab.accounts)} accounts: "
                    "start it with --accounts 3 or more"
                )
            self.variables[f"{role}AccountId"] = self.lab.account(index)["id"]

    # Steps ------------------------------------------------------------------

    def run(self, phases: list[str]) -> None:
        """Play every step of ``phases``, in the scenario's order."""
        for phase in phases:
            index = PHASES.index(phase)
            if index > 0:
                before = PHASES[index - 1]
                if before not in self.phases_done and before not in phases[: phases.index(phase)]:
                    raise ScenarioError(f"the {phase} phase needs the {before} phase first: run --phase {before}")
            steps = [step for step in self.scenario["steps"] if step.get("phase", "attack") == phase]
            self.say(f"== phase {phase}: {len(steps)} steps")
            for number, step in enumerate(steps, 1):
                self._step(phase, number, step)
                self.lab.step_clock()  # a logical clock (Scripts/lab --clock) moves one step per step
            if phase not in self.phases_done:
                self.phases_done.append(phase)
            self._save_state()

    def _actor(self, name: str) -> Actor:
        spec = self.scenario["actors"].get(name)
        if spec is None:
            raise ScenarioError(f"unknown actor {name!r}")
        spec = substitute(spec, self.variables)
        source = spec.get("credentials", "@admin")
        if source == "@admin":
            credentials = self.lab.admin(self.variables[f"{spec['account']}AccountId"])
        elif source in self.credentials:
            credentials = self.credentials[source]
        else:
            raise ScenarioError(f"actor {name!r} needs credentials {source!r}, which no earlier step saved")
        return Actor(
            name=name,
            credentials=credentials,
            source_ip=spec.get("sourceIp"),
            vpc_endpoint_id=spec.get("vpcEndpointId"),
            user_agent=spec.get("userAgent"),
        )

    def _step(self, phase: str, number: int, step: dict[str, Any]) -> None:
        label = f"[{phase} {number:02d}]"
        if "${labNow}" in json.dumps(step):
            self.variables["labNow"] = self._next_second()
        if "lab" in step:
            result = self._lab_step(step)
            self.say(f"{label} lab {step['lab']}: {step.get('say', '')}".rstrip())
        else:
            actor = self._actor(step["actor"])
            service, operation = step["call"].split(".", 1)
            region = substitute(step.get("region", "us-east-1"), self.variables)
            where = f"{actor.source_ip or 'local'}" + (f" via {actor.vpc_endpoint_id}" if actor.vpc_endpoint_id else "")
            self.say(f"{label} {actor.name} ({where}) {service}.{operation} in {region}: {step.get('say', '')}".rstrip())
            result = self._call(actor, service, operation, region, step)
        if result is None:
            return
        if "saveCredentials" in step:
            self.credentials[step["saveCredentials"]] = Credentials.from_response(result)
        for name, path in step.get("save", {}).items():
            if any(word in path.lower() for word in _SECRET_WORDS):
                raise ScenarioError(f"step saves {path!r}, which would be a secret: save ids only")
            value = jmespath.search(path, result)
            if value is None:
                raise ScenarioError(f"step found nothing at {path!r} to save as {name}")
            self.variables[name] = value
            self.say(f"           {name} = {value}")

    def _next_second(self) -> str:
        """The lab's time once its clock has left the second of the steps before.

        A session-revocation policy denies sessions issued *before* its time, to the second: a session
        issued in the same second as the policy's time would outlive it. A responder writes the time
        long after the attack; a script that follows the attack at once waits for the next second.
        On a logical clock (``--clock``) the time moves only between steps, so it is taken as it is.
        """
        clock = self.lab.clock()
        if clock.get("logical"):
            return clock["now"]
        first = clock["now"]
        while (now := self.lab.clock()["now"]) == first:
            time.sleep(0.05)
        return now

    def _call(self, actor: Actor, service: str, operation: str, region: str, step: dict[str, Any]) -> dict[str, Any] | None:
        client = self.lab.client(actor, service, region, retries=0)
        params = substitute(step.get("params", {}), self.variables)
        model = client.meta.service_model.operation_model(operation)
        members = model.input_shape.members if model.input_shape else {}
        for name, value in list(params.items()):
            if name in members and members[name].type_name == "string" and not isinstance(value, str):
                params[name] = json.dumps(value)  # policy documents are written as JSON in the scenario
        expected = step.get("expectError")
        try:
            result = getattr(client, xform_name(operation))(**params)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if expected and code == expected:
                self.say(f"           refused as expected: {code}")
                return None
            raise ScenarioError(f"{service}.{operation} failed: {error}") from None
        except ParamValidationError as error:  # the scenario's own mistake: say which step, not a traceback
            raise ScenarioError(f"{service}.{operation} has invalid parameters: {error}") from None
        if expected:
            raise ScenarioError(f"{service}.{operation} succeeded, but the scenario expects {expected}")
        result.pop("ResponseMetadata", None)
        return result

    def _lab_step(self, step: dict[str, Any]) -> dict[str, Any] | None:
        params = substitute(step.get("params", {}), self.variables)
        if step["lab"] == "flush":
            self.lab.flush()
            return None
        if step["lab"] == "instance-credentials":
            credentials = self.lab.instance_credentials(params["accountId"], params["region"], params["instanceId"])
            return {"Credentials": {"AccessKeyId": credentials.access_key_id, "SecretAccessKey": credentials.secret_access_key, "SessionToken": credentials.session_token}}
        raise ScenarioError(f"unknown lab step {step['lab']!r}")

    # Output -----------------------------------------------------------------

    def ids(self) -> dict[str, Any]:
        """The ``ids`` template filled in; what no phase has made yet is null."""
        return substitute(self.scenario.get("ids", {}), self.variables, strict=False)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line of ``Scripts/scenario``."""
    parser = argparse.ArgumentParser(prog="scenario", description="Play the training scenario against a running lab.")
    parser.add_argument("--lab", required=True, type=Path, help="the lab's state directory (where lab.json is)")
    parser.add_argument("--ids-out", type=Path, help="write the ids of what the scenario created to this JSON file")
    parser.add_argument(
        "--phase",
        choices=(*PHASES, "all"),
        default="all",
        help="which phase to play: all (the default) is baseline then attack; contain and eradicate play the defender's hands-on 7 after them",
    )
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent / "scenario.json", help="the scenario file")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the scenario; returns the exit status."""
    args = parse_args(argv)
    if not (args.lab / "lab.json").exists():
        print(f"scenario: no running lab at {args.lab} (no lab.json): start Scripts/lab --state {args.lab}", file=sys.stderr)
        return 2
    lab = Lab(args.lab)
    scenario = json.loads(args.data.read_text())
    phases = list(ALL) if args.phase == "all" else [args.phase]
    runner = None
    try:
        runner = Runner(lab, scenario, say=(lambda _: None) if args.quiet else print)
        runner.run(phases)
    except ScenarioError as error:
        print(f"scenario: {error}", file=sys.stderr)
        return 1
    finally:
        if args.ids_out and runner is not None:
            args.ids_out.parent.mkdir(parents=True, exist_ok=True)
            args.ids_out.write_text(json.dumps(runner.ids(), indent=2) + "\n")
    return 0
