"""``Scripts/lab``: run the lab in the foreground until SIGINT or SIGTERM.

Order of start-up: environment for moto, the clock and the seed,
provisioning of the accounts, the HTTP server bound to 127.0.0.1, the state
files, then the one line ``lab ready at http://127.0.0.1:PORT`` on standard
output. On a signal it stops serving, delivers everything pending, removes
``lab.json`` and exits 0.

``--clock`` and ``--seed`` make runs reproducible: the same calls in the
same order give the same records, ids, dates and delivered files (see
``labclock`` and ``labids``). ``--event-delay`` makes CloudTrail late, as
AWS's is (see ``eventdelay``).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import logging
import math
import os
import signal
import sys
import threading
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 4580
DEFAULT_CLOCK_STEP = 10


def _moment(text: str) -> _dt.datetime:
    from .timefmt import parse_iso

    try:
        return parse_iso(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO 8601 time such as 2026-11-02T09:00:00Z") from None


def _delay(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds, 0 or more")
    return int(seconds) if seconds.is_integer() else seconds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of ``Scripts/lab``."""
    parser = argparse.ArgumentParser(
        prog="lab",
        description="Run Custody's local AWS lab (moto with real authentication and a CloudTrail layer) on 127.0.0.1.",
    )
    parser.add_argument("--state", required=True, type=Path, help="directory for lab.json, aws/config, aws/credentials, events.jsonl, lab.log")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port on 127.0.0.1 (0 picks a free one; default {DEFAULT_PORT})")
    parser.add_argument("--accounts", type=int, default=3, help="accounts in the Organization, the management account included (default 3)")
    parser.add_argument(
        "--lookup-rate",
        type=float,
        default=None,
        help="LookupEvents calls allowed per second per account and region (default 2, as AWS; with --clock 0, since "
        "throttling goes by the real clock and a retried call would show in the evidence; 0 = unlimited)",
    )
    parser.add_argument("--delivery-interval", type=float, default=60.0, help="seconds between CloudTrail log file deliveries (default 60)")
    parser.add_argument("--digest-interval", type=float, default=300.0, help="seconds between digest files (default 300)")
    parser.add_argument(
        "--clock",
        type=_moment,
        metavar="TIME",
        help="run on a logical clock that starts at TIME (e.g. 2026-11-02T09:00:00Z) and moves only when told: "
        "POST /lab-api/clock, and the scenario runner after each step; CloudTrail files are then delivered only "
        "on POST /lab-api/flush (default: the real clock)",
    )
    parser.add_argument(
        "--clock-step",
        type=int,
        default=DEFAULT_CLOCK_STEP,
        metavar="S",
        help=f"with --clock: seconds the scenario runner moves the clock after each step (default {DEFAULT_CLOCK_STEP})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="derive every id (request and event ids, moto's ids, log file names, the digest signing key) from N "
        "and the calls themselves instead of chance, so that runs repeat byte for byte (default: random)",
    )
    parser.add_argument(
        "--event-delay",
        type=_delay,
        default=0,
        metavar="S",
        help="make CloudTrail late, as AWS's is (about 5 minutes on average, no guarantee): each record becomes "
        "visible to LookupEvents and log file delivery between 0 and S seconds after its eventTime (logical seconds "
        "with --clock), its delay derived from --seed and its event id, or random without a seed (default 0: at once)",
    )
    parser.add_argument(
        "--organization-trail",
        action="store_true",
        help="start with an organization trail of the management account (multi-region, log file validation, "
        "logging) delivering every account's records to a bucket of the last account, the logging account; "
        "lab.json's options.organizationTrail names it",
    )
    parser.add_argument("--verbose", action="store_true", help="also log every call to standard error")
    args = parser.parse_args(argv)
    if args.clock_step < 0:
        parser.error("--clock-step must be 0 or more")
    if args.lookup_rate is None:
        args.lookup_rate = 0.0 if args.clock is not None else 2.0
    if args.accounts < 1:
        parser.error("--accounts must be at least 1")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    return args


def _configure_moto_environment() -> None:
    """Settings moto reads when it is imported: set before the first import."""
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"
    os.environ.pop("MOTO_ACCOUNT_ID", None)  # it pins every request to one account
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        os.environ.pop(name, None)


def _configure_logging(state: Path, verbose: bool) -> None:
    logger = logging.getLogger("custodylab")
    logger.setLevel(logging.INFO)
    handler = logging.FileHandler(state / "lab.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)
    if verbose:
        logger.addHandler(logging.StreamHandler(sys.stderr))
    logger.propagate = False


STOP_GRACE_SECONDS = 10.0
"""How long a stopping lab may take to deliver what is pending before it exits regardless."""


def main(argv: list[str] | None = None) -> int:
    """Run the lab; returns the exit status."""
    args = parse_args(argv)
    _configure_moto_environment()
    state = args.state.resolve()
    state.mkdir(parents=True, exist_ok=True)
    _configure_logging(state, args.verbose)

    from werkzeug.serving import WSGIRequestHandler, make_server

    from . import accounts, labids, mothooks, statefiles
    from .app import LabApp
    from .delivery import DeliveryLoop
    from .labclock import CLOCK

    class QuietHandler(WSGIRequestHandler):
        """No per-request access log: query strings may carry presigned credentials."""

        def log_request(self, *args, **kwargs) -> None:  # noqa: D102
            pass

        def make_environ(self):  # noqa: D102
            environ = super().make_environ()
            # werkzeug drops header names with an underscore (against spoofing one with a dash); the
            # IAM Identity Center portal's bearer token comes in exactly such a header.
            token = self.headers.get("x-amz-sso_bearer_token")
            if token is not None:
                environ["HTTP_X_AMZ_SSO_BEARER_TOKEN"] = token
            return environ

    if args.clock is not None:
        CLOCK.start_logical(args.clock)
        mothooks.install_clock()
    labids.configure(args.seed)
    if args.seed is not None:
        mothooks.install_seed(args.seed)
    mothooks.install()  # before provisioning, so the administrators get AWS-shaped ids too
    labids.IDS.reseed_moto(labids.IDS.for_call("provision", args.accounts))
    organization = accounts.provision(args.accounts)
    organization_trail = None
    if args.organization_trail:
        from . import orgtrail

        organization_trail = orgtrail.provision(organization)
    app = LabApp(
        state,
        organization.management.id,
        lookup_rate=args.lookup_rate,
        clock_step=args.clock_step,
        event_delay=args.event_delay,
    )
    try:
        server = make_server(HOST, args.port, app, threaded=True, request_handler=QuietHandler)
    except OSError as error:
        print(f"lab: cannot listen on {HOST}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    endpoint = f"http://{HOST}:{server.server_port}"
    options = {
        "accounts": args.accounts,
        "lookupRate": args.lookup_rate,
        "deliveryInterval": args.delivery_interval,
        "digestInterval": args.digest_interval,
        "clock": args.clock.strftime("%Y-%m-%dT%H:%M:%SZ") if args.clock else None,
        "clockStep": args.clock_step if args.clock else None,
        "seed": args.seed,
        "eventDelay": args.event_delay,
        "organizationTrail": organization_trail,
    }
    statefiles.write(state, endpoint, organization, options)

    loop = DeliveryLoop(app.flush_logs, app.flush, args.delivery_interval, args.digest_interval)
    if not CLOCK.logical:  # on a logical clock, files are delivered on /lab-api/flush only
        loop.start()
    stopping = threading.Event()

    def stop(signum, frame) -> None:  # noqa: ARG001
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()
            # A client holding a keep-alive connection must not keep the lab alive: past the grace
            # period the process ends anyway, so a test that stops its lab never waits forever.
            watchdog = threading.Timer(STOP_GRACE_SECONDS, lambda: os._exit(0))
            watchdog.daemon = True
            watchdog.start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"lab ready at {endpoint}", flush=True)
    try:
        server.serve_forever()
    finally:
        loop.stop()
        server.server_close()
        app.flush(everything=True)  # what is pending, visible or not: nothing is lost
        app.store.close()
        statefiles.remove(state)
        logging.getLogger("custodylab").info("lab stopped")
    return 0
