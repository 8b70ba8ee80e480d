"""The benchmark behind `cargo xtask bench`: every client on the same jobs, one server.

`cargo xtask bench` builds the clients and the tools and then runs this script with the
benchmark's own Python (which has the Python peers and matplotlib). It:

1. writes the server's data from the sandbox's own answers: every page of a location of
   100,000 contacts and of one of 10,000, and 10,000 single contacts;
2. serves them with nginx, which sends creations (job C) on to a sandbox that allows 100
   requests per second;
3. measures the server's ceiling on jobs A and B with wrk, the floor of every client;
4. runs every client on every job several times, each run a process of its own, and takes
   wall time, CPU time and peak memory;
5. writes `report.md`, `report.json` and `report.png`, and checks the project's targets.

The clients are `bench/clients/python.py`, `bench/clients/node/run.mjs`, the
`highlevel-bench` binary (`bench/rust`) and `bench/clients/cli.py` for the `highlevel`
command. Each prints one JSON line; see those files.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
API_KEY = "bench-key"
# The sandbox's two demo locations and the sub-account connection of each.
CONNECTION = "conn-location-1"
BIG_LOCATION = "demo-location-1"
SMALL_LOCATION = "demo-location-2"
CONNECTIONS = {BIG_LOCATION: CONNECTION, SMALL_LOCATION: "conn-location-2"}
CONCURRENCY = 32
# Job C's limit: requests per window, and the window.
BURST, INTERVAL_MS = 100, 1000


@dataclass(frozen=True)
class Sizes:
    big: int
    small: int
    gets: int
    creations: int
    runs: int
    creation_runs: int
    wrk_seconds: int


FULL = Sizes(100_000, 10_000, 10_000, 2_000, 3, 1, 5)
SMOKE = Sizes(1_000, 300, 200, 150, 1, 1, 1)


@dataclass(frozen=True)
class Client:
    name: str
    language: str
    command: list[str]
    ours: bool
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_mib: Optional[float]
    count: int
    rate_limited: int
    mode: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--runs", type=int, help="runs per client and job (3 unless set)")
    parser.add_argument("--jobs", default="A,B,C,D", help="the jobs to run, such as A,B")
    parser.add_argument("--clients", help="only the clients whose names contain this")
    parser.add_argument("--bin", type=Path, required=True, help="the built Rust binaries")
    parser.add_argument("--python-package", type=Path, required=True)
    parser.add_argument("--node-package", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True, help="a scratch folder")
    parser.add_argument("--out", type=Path, required=True, help="where the report goes")
    args = parser.parse_args()

    sizes = SMOKE if args.smoke else FULL
    if args.runs:
        sizes = Sizes(**{**sizes.__dict__, "runs": args.runs})
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    args.out.mkdir(parents=True, exist_ok=True)

    print(f"bench: writing the server's pages ({sizes.big:,} and {sizes.small:,} contacts)")
    pages = args.work / "pages"
    ids = write_pages(args.bin, pages, sizes)
    ids_file = args.work / "ids.txt"
    ids_file.write_text("\n".join(ids[: sizes.gets]) + "\n")

    with Server(args.bin, args.work, pages) as server:
        base = f"{server.url}/highlevel-pit"
        print(f"bench: nginx on {server.url}, creations to the sandbox on {server.sandbox}")
        floors = {
            "A": wrk(args.work, base, page_paths(pages, BIG_LOCATION), 1, sizes.wrk_seconds),
            "B": wrk(
                args.work,
                base,
                [f"/contacts/{i}" for i in ids[: sizes.gets]],
                CONCURRENCY,
                sizes.wrk_seconds,
            ),
        }
        config = {
            "api_key": API_KEY,
            "base_url": base,
            "connection": CONNECTION,
            "ids": str(ids_file),
            "first_id": ids[0],
            "concurrency": CONCURRENCY,
            "node_package": str(args.node_package.resolve()),
            "cli": str((args.bin / "highlevel").resolve()),
        }
        clients = [c for c in all_clients(args) if args.clients is None or args.clients in c.name]
        jobs = [j for j in JOBS if j[0] in args.jobs.split(",")]
        results = measure(clients, jobs, config, sizes, args.work)

    report = Report(sizes, clients, results, floors)
    problems = report.check_counts()
    report.write(args.out)
    print((args.out / "report.md").read_text())
    if problems:
        raise SystemExit("bench: wrong answers:\n  " + "\n  ".join(problems))
    print(f"bench: report in {args.out}")


def all_clients(args: argparse.Namespace) -> list[Client]:
    python = [sys.executable, str(HERE / "clients/python.py")]
    with_package = {"PYTHONPATH": str(args.python_package.resolve())}
    node = ["node", str(HERE / "clients/node/run.mjs")]
    rust = [str((args.bin / "highlevel-bench").resolve()), "highlevel"]
    cli = [sys.executable, str(HERE / "clients/cli.py")]
    return [
        Client("python: highlevel", "python", [*python, "highlevel"], True, with_package),
        Client(
            "python: highlevel async", "python", [*python, "highlevel-async"], True, with_package
        ),
        Client("python: requests", "python", [*python, "requests"], False),
        Client("python: httpx", "python", [*python, "httpx"], False),
        Client("python: httpx async", "python", [*python, "httpx-async"], False),
        Client("python: aiohttp", "python", [*python, "aiohttp"], False),
        Client("node: highlevel", "node", [*node, "highlevel"], True),
        Client("node: fetch", "node", [*node, "fetch"], False),
        Client("node: axios", "node", [*node, "axios"], False),
        Client("node: @gohighlevel/api-client", "node", [*node, "gohighlevel"], False),
        Client("rust: highlevel", "rust", rust, True),
        Client("cli: highlevel", "cli", cli, True),
    ]


# The server's data.


def write_pages(binaries: Path, pages: Path, sizes: Sizes) -> list[str]:
    """Every page of both locations and `sizes.gets` single contacts, as the sandbox
    answers them; returns the big location's contact ids in page order."""
    with Sandbox(binaries, contacts=sizes.big, burst=4_000_000_000) as sandbox:
        ids = walk_location(sandbox.url, pages, BIG_LOCATION)
        singles = pages / "contact"
        singles.mkdir(parents=True)
        connection = http.client.HTTPConnection(sandbox.host, sandbox.port)
        for contact_id in ids[: sizes.gets]:
            body = fetch(connection, f"/highlevel-pit/contacts/{contact_id}", CONNECTION)
            (singles / f"{contact_id}.json").write_bytes(body)
    with Sandbox(binaries, contacts=sizes.small, burst=4_000_000_000) as sandbox:
        walk_location(sandbox.url, pages, SMALL_LOCATION)
    return ids


def walk_location(url: str, pages: Path, location: str) -> list[str]:
    """Saves every page of `location` under the name nginx finds it by, its cursor."""
    folder = pages / "contacts" / location
    folder.mkdir(parents=True)
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port))
    ids: list[str] = []
    query: dict[str, Any] = {"locationId": location, "limit": 100}
    name = "first"
    while True:
        path = f"/highlevel-pit/contacts/?{urlencode(query)}"
        body = fetch(connection, path, CONNECTIONS[location])
        (folder / f"{name}.json").write_bytes(body)
        page = json.loads(body)
        ids.extend(contact["id"] for contact in page["contacts"])
        meta = page["meta"]
        if not page["contacts"] or meta.get("startAfterId") is None:
            return ids
        query["startAfterId"], query["startAfter"] = meta["startAfterId"], meta["startAfter"]
        name = meta["startAfterId"]


def page_paths(pages: Path, location: str) -> list[str]:
    """The paths of every page of `location`, in order, as a client asks for them."""
    paths, name = [], "first"
    query: dict[str, Any] = {"locationId": location, "limit": 100}
    while True:
        paths.append(f"/contacts/?{urlencode(query)}")
        page = json.loads((pages / "contacts" / location / f"{name}.json").read_bytes())
        meta = page["meta"]
        if not page["contacts"] or meta.get("startAfterId") is None:
            return paths
        query["startAfterId"], query["startAfter"] = meta["startAfterId"], meta["startAfter"]
        name = meta["startAfterId"]


def fetch(connection: http.client.HTTPConnection, path: str, maton_connection: str) -> bytes:
    headers = {"Authorization": f"Bearer {API_KEY}", "Maton-Connection": maton_connection}
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    body = answer.read()
    if answer.status != 200:
        raise SystemExit(f"bench: the sandbox answered {answer.status} to {path}: {body!r}")
    return body


class Sandbox:
    """A `highlevel-sandbox` process on a port the OS picks, stopped on exit."""

    def __init__(self, binaries: Path, contacts: int, burst: int, interval_ms: int = 10_000):
        args = [str(binaries / "highlevel-sandbox"), "--port", "0", "--api-key", API_KEY]
        args += ["--contacts", str(contacts), "--burst", str(burst)]
        args += ["--interval-ms", str(interval_ms), "--daily", "4000000000"]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        banner = self.process.stdout.readline()
        words = [w for w in banner.split() if w.startswith("http://")]
        if not words:
            self.process.kill()
            raise SystemExit(f"bench: the sandbox did not start: {banner!r}")
        self.url = words[0]
        self.host, port = self.url.removeprefix("http://").split(":")
        self.port = int(port)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_: object) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Server:
    """nginx serving `pages`, with a rate-limited sandbox behind it for creations."""

    def __init__(self, binaries: Path, work: Path, pages: Path):
        self.limited = Sandbox(binaries, contacts=10, burst=BURST, interval_ms=INTERVAL_MS)
        self.sandbox = self.limited.url
        conf = work / "nginx.conf"
        port = free_port()
        text = (HERE / "nginx.conf.in").read_text()
        for name, value in {
            "@WORK@": str(work.resolve()),
            "@PAGES@": str(pages.resolve()),
            "@PORT@": str(port),
            "@SANDBOX@": f"{self.limited.host}:{self.limited.port}",
        }.items():
            text = text.replace(name, value)
        conf.write_text(text)
        self.nginx = subprocess.Popen(["nginx", "-c", str(conf.resolve()), "-p", str(work)])
        self.url = f"http://127.0.0.1:{port}"
        wait_for(self.url, self.nginx)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.nginx.terminate()
        self.nginx.wait(timeout=10)
        self.limited.__exit__()


def free_port() -> int:
    # nginx cannot be told to take any free port, so one is found and handed to it.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[Any]) -> None:
    host, port = url.removeprefix("http://").split(":")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: nginx exited with {process.returncode}")
        try:
            socket.create_connection((host, int(port)), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"bench: nothing answered on {url}")


# Measuring.


def wrk(work: Path, base: str, paths: list[str], connections: int, seconds: int) -> Run:
    """The server's ceiling: wrk asking for `paths` in turn, one thread."""
    listing = work / f"wrk-{connections}.txt"
    prefix = base.removeprefix("http://").split("/", 1)[1]
    listing.write_text("".join(f"/{prefix}{path}\n" for path in paths))
    origin = base.split("/highlevel-pit")[0]
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(HERE / "paths.lua")]
    env = dict(os.environ, WRK_PATHS=str(listing), WRK_API_KEY=API_KEY)
    outcome = spawn([*args, origin], env)
    line = [x for x in outcome.stdout.splitlines() if x.startswith("{")][-1]
    summary = json.loads(line)
    if summary["errors"]:
        raise SystemExit(f"bench: wrk saw {summary['errors']} errors: {outcome.stdout}")
    requests = summary["requests"]
    duration = summary["duration_us"] / 1e6
    # wrk runs for a time, not a count: its time for the job is the job's size at its rate.
    per_request = duration / requests
    return Run(
        seconds=per_request * len(paths),
        cpu=outcome.cpu / requests * len(paths),
        peak_mib=outcome.peak_mib,
        count=len(paths),
        rate_limited=0,
        mode=f"{connections} connection{'s' if connections > 1 else ''}",
    )


@dataclass
class Outcome:
    stdout: str
    wall: float
    cpu: float
    peak_mib: float


def spawn(args: list[str], env: dict[str, str]) -> Outcome:
    """Runs a process to its end; its wall time, CPU time and peak memory, from `wait4`."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args)} exited with {process.returncode}")
    return Outcome(stdout, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


JOBS = ["A", "A-small", "B", "C", "D"]


def measure(
    clients: list[Client], jobs: list[str], config: dict[str, Any], sizes: Sizes, work: Path
) -> dict[str, dict[str, list[Run]]]:
    """Every client on every job; within a job the runs go round the clients, so that a
    change in the machine's load touches every client alike."""
    results: dict[str, dict[str, list[Run]]] = {c.name: {j: [] for j in JOBS} for c in clients}
    for job in jobs:
        runs = sizes.creation_runs if job == "C" else sizes.runs
        for run in range(runs):
            for number, client in enumerate(clients):
                job_config = dict(config)
                job_config["location"] = SMALL_LOCATION if job == "A-small" else BIG_LOCATION
                job_config["count"] = sizes.creations
                job_config["prefix"] = f"c{number}r{run}"
                path = work / "config.json"
                path.write_text(json.dumps(job_config))
                if job == "C":
                    # A new window for every client: the last one's requests are in the
                    # sandbox's current window.
                    time.sleep(INTERVAL_MS / 1000 * 1.1)
                outcome = spawn([*client.command, job[0], str(path)], {**os.environ, **client.env})
                results[client.name][job].append(parse(outcome, job))
                last = results[client.name][job][-1]
                peak = f"{last.peak_mib:6.1f} MiB" if last.peak_mib is not None else ""
                print(
                    f"bench: {job:7} {client.name:32} {last.seconds:8.3f} s  "
                    f"{last.count:>7} items  {peak}",
                    flush=True,
                )
    return results


def parse(outcome: Outcome, job: str) -> Run:
    lines = [x for x in outcome.stdout.splitlines() if x.startswith("{")]
    if not lines:
        raise SystemExit(f"bench: a client printed no result: {outcome.stdout!r}")
    line = json.loads(lines[-1])
    # The client's own reading: `ru_maxrss` from `wait4` counts this script's memory too,
    # as the child had it between fork and exec.
    peak = line["peak_rss_kb"] / 1024 if line.get("peak_rss_kb") else None
    if job == "D":
        # Cold start is the whole process: start, import, the first request, exit.
        return Run(outcome.wall, outcome.cpu, peak, line["count"], 0, "one request")
    return Run(
        line["seconds"], line["cpu"], peak, line["count"], line["rate_limited"], line["mode"]
    )


# The report.


def pick_peak(peaks: list[Optional[float]]) -> Optional[float]:
    known = [p for p in peaks if p is not None]
    return statistics.median_low(known) if known else None


class Report:
    def __init__(
        self,
        sizes: Sizes,
        clients: list[Client],
        results: dict[str, dict[str, list[Run]]],
        floors: dict[str, Run],
    ):
        self.sizes = sizes
        self.clients = clients
        self.results = results
        self.floors = floors

    def expected(self, job: str) -> int:
        return {
            "A": self.sizes.big,
            "A-small": self.sizes.small,
            "B": self.sizes.gets,
            "C": self.sizes.creations,
            "D": 1,
        }[job]

    def requests(self, job: str, run: Run) -> int:
        """How many requests a job takes: a page per 100 contacts, one per get or
        creation (and per 429 a caller saw and sent again), one for a cold start."""
        if job.startswith("A"):
            return max(1, -(-self.expected(job) // 100))
        return max(1, run.count + run.rate_limited)

    def check_counts(self) -> list[str]:
        return [
            f"{name}, job {job}: {run.count} items, expected {self.expected(job)}"
            for name, jobs in self.results.items()
            for job, runs in jobs.items()
            for run in runs
            if run.count != self.expected(job)
        ]

    def median(self, name: str, job: str) -> Optional[Run]:
        runs = self.results[name][job]
        if not runs:
            return None
        pick = statistics.median_low
        seconds = pick(r.seconds for r in runs)
        chosen = next(r for r in runs if r.seconds == seconds)
        return Run(
            seconds,
            pick(r.cpu for r in runs),
            pick_peak([r.peak_mib for r in runs]),
            chosen.count,
            max(r.rate_limited for r in runs),
            chosen.mode,
        )

    def best_peer(self, client: Client, job: str, value: str) -> Optional[float]:
        """The best peer's figure: among the peers of the client's language, or among
        all peers for the Rust crate and the command, which have none of their own."""
        same = [c for c in self.clients if not c.ours and c.language == client.language]
        peers = same or [c for c in self.clients if not c.ours]
        figures = [self.figure(c, job, value) for c in peers]
        known = [f for f in figures if f is not None]
        return min(known) if known else None

    def figure(self, client: Client, job: str, value: str) -> Optional[float]:
        run = self.median(client.name, job)
        if run is None:
            return None
        if value == "seconds":
            return run.seconds
        if value == "cpu":
            return run.cpu / self.requests(job, run) * 1e6
        return run.peak_mib

    def write(self, out: Path) -> None:
        (out / "report.md").write_text(self.markdown())
        (out / "report.json").write_text(json.dumps(self.data(), indent=2) + "\n")
        chart(self, out / "report.png")

    def data(self) -> dict[str, Any]:
        return {
            "sizes": self.sizes.__dict__,
            "floors": {job: run.__dict__ for job, run in self.floors.items()},
            "results": {
                name: {job: [r.__dict__ for r in runs] for job, runs in jobs.items()}
                for name, jobs in self.results.items()
            },
            "targets": [t.__dict__ for t in self.targets()],
        }

    def markdown(self) -> str:
        s = self.sizes
        lines = [
            "# Benchmark report",
            "",
            f"Jobs: (A) every contact of a location of {s.big:,}, 100 per page; "
            f"(B) {s.gets:,} gets of a contact by id, {CONCURRENCY} in flight; "
            f"(C) {s.creations:,} contact creations against a limit of {BURST} requests "
            f"per {INTERVAL_MS} ms; (D) cold start: process start, import, one get. "
            f"Each figure is the median of {s.runs} run(s) "
            f"({s.creation_runs} for C, whose time the rate limit sets); each ratio is to "
            "the best peer of the same language (for Rust and the command, of all peers).",
            "Peak memory is the client process's peak resident set (VmHWM), which the command "
            "shows for job A only; CPU time counts every thread, user and system, around the "
            "job alone (in D, the whole process). The server is nginx with pages written "
            "from the sandbox's answers; its ceiling is wrk's on the same requests, one "
            "thread.",
            "",
        ]
        for job, title in [
            ("A", f"A: page through {s.big:,} contacts"),
            ("B", f"B: {s.gets:,} gets by id"),
            ("C", f"C: {s.creations:,} creations at {BURST} per {INTERVAL_MS} ms"),
            ("D", "D: cold start to the first answer"),
        ]:
            lines += [f"## {title}", ""]
            lines += self.table(job)
            lines.append("")
        lines += ["## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
        for target in self.targets():
            lines.append(f"| {target.text} | {target.measured} | {'yes' if target.met else 'no'} |")
        lines.append("")
        return "\n".join(lines)

    def table(self, job: str) -> list[str]:
        header = [
            "client",
            "requests overlap",
            "wall s",
            "× best",
            "CPU µs/request",
            "× best",
            "peak MiB",
            "× best",
        ]
        if job == "A":
            header += [f"peak MiB at {self.sizes.small:,}", "growth MiB"]
        if job == "C":
            header += ["requests/s", "429s seen"]
        rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        floor = self.floors.get(job)
        if floor is not None:
            cells = [
                "server ceiling (wrk)",
                floor.mode,
                f"{floor.seconds:.3f}",
                "",
                f"{floor.cpu / floor.count * 1e6:.1f}",
                "",
                "",
                "",
            ]
            cells += [""] * (len(header) - len(cells))
            rows.append("| " + " | ".join(cells) + " |")
        if job == "C":
            ideal = (self.sizes.creations / BURST - 1) * INTERVAL_MS / 1000
            cells = ["the limit's floor", "", f"{ideal:.3f}", "", "", "", "", ""]
            cells += [""] * (len(header) - len(cells))
            rows.append("| " + " | ".join(cells) + " |")
        for client in self.clients:
            run = self.median(client.name, job)
            if run is None:
                continue
            cells = [f"**{client.name}**" if client.ours else client.name, run.mode]
            for value, shown in [("seconds", "{:.3f}"), ("cpu", "{:.1f}"), ("peak", "{:.1f}")]:
                mine = self.figure(client, job, value)
                best = self.best_peer(client, job, value)
                cells.append(shown.format(mine) if mine is not None else "—")
                cells.append(f"{mine / best:.2f}" if mine is not None and best else "")
            if job == "A":
                small = self.median(client.name, "A-small")
                growth = self.growth(client)
                cells.append(f"{small.peak_mib:.1f}" if small and small.peak_mib else "")
                cells.append(f"{growth:+.1f}" if growth is not None else "")
            if job == "C":
                cells.append(f"{run.count / run.seconds:.1f}")
                cells.append(str(run.rate_limited))
            rows.append("| " + " | ".join(cells) + " |")
        return rows

    def targets(self) -> list[Target]:
        out: list[Target] = []

        def ratio(name: str, job: str, value: str, against: list[str]) -> Optional[float]:
            mine = self.figure(self.client(name), job, value)
            theirs = [self.figure(self.client(n), job, value) for n in against]
            known = [t for t in theirs if t is not None]
            if mine is None or not known:
                return None
            return mine / min(known)

        python_peers = [c.name for c in self.clients if c.language == "python" and not c.ours]
        for name in ["python: highlevel", "python: highlevel async"]:
            out.append(
                Target.at_most(
                    f"{name}: (A) wall ≤ 0.5 × best Python peer",
                    ratio(name, "A", "seconds", python_peers),
                    0.5,
                )
            )
        for name in ["python: highlevel async", "python: highlevel"]:
            out.append(
                Target.at_most(
                    f"{name}: (B) wall ≤ 0.5 × aiohttp",
                    ratio(name, "B", "seconds", ["python: aiohttp"]),
                    0.5,
                )
            )
        for job in ["A", "B"]:
            out.append(
                Target.at_most(
                    f"node: highlevel: ({job}) wall ≤ 0.8 × fetch",
                    ratio("node: highlevel", job, "seconds", ["node: fetch"]),
                    0.8,
                )
            )
        rust = self.median("rust: highlevel", "B")
        floor = self.floors["B"]
        if rust is not None:
            mine = rust.cpu / self.requests("B", rust)
            out.append(
                Target.at_most(
                    "rust: highlevel: (B) CPU per request ≤ 2 × wrk",
                    mine / (floor.cpu / floor.count),
                    2.0,
                )
            )
        allowed = BURST / (INTERVAL_MS / 1000)
        for client in self.clients:
            run = self.median(client.name, "C")
            if not client.ours or run is None:
                continue
            rate = run.count / run.seconds
            out.append(
                Target(
                    f"{client.name}: (C) ≥ 95% of the allowed rate, no 429 seen",
                    f"{rate / allowed:.0%} of {allowed:.0f}/s, {run.rate_limited} 429s",
                    rate >= 0.95 * allowed and run.rate_limited == 0,
                )
            )
        for client in self.clients:
            growth = self.growth(client)
            if not client.ours or growth is None:
                continue
            out.append(
                Target(
                    f"{client.name}: (A) peak memory at {self.sizes.big:,} ≤ "
                    f"{self.sizes.small:,} + 10 MiB",
                    f"{growth:+.1f} MiB",
                    growth <= 10,
                )
            )
        return out

    def growth(self, client: Client) -> Optional[float]:
        """How much more peak memory job A took on the big location than on the small."""
        big, small = self.median(client.name, "A"), self.median(client.name, "A-small")
        if big is None or small is None or big.peak_mib is None or small.peak_mib is None:
            return None
        return big.peak_mib - small.peak_mib

    def client(self, name: str) -> Client:
        return next(c for c in self.clients if c.name == name)


@dataclass
class Target:
    text: str
    measured: str
    met: bool

    @staticmethod
    def at_most(text: str, value: Optional[float], limit: float) -> Target:
        if value is None:
            return Target(text, "not measured", False)
        return Target(text, f"{value:.2f}", value <= limit)


def chart(report: Report, path: Path) -> None:
    """Wall time per job, one panel each, and CPU per request in B: the bars a reader
    compares, ours in colour and peers in grey, the server's ceiling as a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("A", "seconds", f"A: {report.sizes.big:,} contacts, 100 per page (s)"),
        ("B", "seconds", f"B: {report.sizes.gets:,} gets, {CONCURRENCY} in flight (s)"),
        ("C", "seconds", f"C: {report.sizes.creations:,} creations at {BURST}/s (s)"),
        ("D", "seconds", "D: cold start to first answer (s)"),
        ("B", "cpu", "B: CPU per request (µs)"),
        ("A", "peak", "A: peak memory (MiB)"),
    ]
    colours = {"python": "#3572A5", "node": "#3C873A", "rust": "#B7410E", "cli": "#6E4C9E"}
    names = [c.name for c in report.clients]
    figure, axes = plt.subplots(2, 3, figsize=(18, 10), sharey=True)
    for axis, (job, value, title) in zip(axes.flat, panels):
        figures = [report.figure(c, job, value) or 0.0 for c in report.clients]
        bars = axis.barh(
            names,
            figures,
            color=[colours[c.language] if c.ours else "#B0B0B0" for c in report.clients],
        )
        axis.bar_label(bars, fmt="%.3g", padding=3, fontsize=8)
        floor = report.floors.get(job)
        if floor is not None and value in ("seconds", "cpu"):
            line = floor.seconds if value == "seconds" else floor.cpu / floor.count * 1e6
            axis.axvline(line, color="black", linestyle="--", linewidth=1)
            axis.annotate("wrk", (line, len(names) - 0.5), fontsize=8)
        axis.set_title(title, fontsize=11)
        axis.margins(x=0.15)
    # The panels share their y axis: turning it once puts the first client on top.
    axes.flat[0].invert_yaxis()
    figure.suptitle(
        "highlevel against the clients users would pick instead "
        "(coloured: this project; grey: peers; shorter is better)"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
