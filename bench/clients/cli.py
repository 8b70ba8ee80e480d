"""The `highlevel` command as a client of `cargo xtask bench`, the way a shell user runs it.

Run as `python cli.py JOB CONFIG`. Job A is one `highlevel contacts list --all` whose JSON
lines are counted; job B runs one `highlevel contacts get` per id, 32 processes at a time
(as `xargs -P 32` would); job C creates contacts one process after another; job D is one
get. The CPU time reported is that of the `highlevel` processes alone, not of this driver,
which only starts them; peak memory is reported for job A only, whose one process lives
long enough to be watched (`ru_maxrss` would count this driver's memory too).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

# The command's exit code for a 429 that outlasted its retries (see the README).
RATE_LIMITED = 16


def main() -> None:
    job, path = sys.argv[1:3]
    with open(path, encoding="utf-8") as file:
        config = json.load(file)
    env = dict(
        os.environ,
        MATON_API_KEY=config["api_key"],
        HIGHLEVEL_BASE_URL=config["base_url"],
        MATON_CONNECTION=config["connection"],
        HIGHLEVEL_LOCATION_ID=config["location"],
    )
    command = [config["cli"], "--output", "json"]

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    peak = None
    if job == "A":
        (count, peak), limited, mode = walk(command, env), 0, "sequential"
    elif job == "B":
        count, limited, mode = gets(command, env, config), 0, "32 processes at a time"
    elif job == "C":
        count, limited = creates(command, env, config)
        mode = "sequential, a process each"
    else:
        count, limited, mode = get(command, env, config["first_id"]), 0, "one request"
    seconds = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)

    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = {
        "count": count,
        "seconds": seconds,
        "cpu": cpu,
        "rate_limited": limited,
        "mode": mode,
        "peak_rss_kb": peak,
    }
    print(json.dumps(result), flush=True)


def walk(command: list[str], env: dict[str, str]) -> tuple[int, int]:
    """The contacts the command printed, and its peak resident set in KiB, read from
    /proc as it runs (the peak only grows, so the last reading is the highest)."""
    args = [*command, "contacts", "list", "--limit", "100", "--all", "--output", "jsonl"]
    seen, peak = 0, 0
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE) as child:
        assert child.stdout is not None
        for _ in child.stdout:
            seen += 1
            if seen % 500 == 0:
                peak = max(peak, high_water(child.pid))
    if child.returncode != 0:
        raise SystemExit(f"highlevel exited with {child.returncode}")
    return seen, peak


def high_water(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0
    return int(line.split()[1])


def get(command: list[str], env: dict[str, str], contact_id: str) -> int:
    args = [*command, "contacts", "get", "--contact-id", contact_id]
    answer = subprocess.run(args, env=env, capture_output=True, check=True)
    return 1 if json.loads(answer.stdout)["contact"]["id"] == contact_id else 0


def gets(command: list[str], env: dict[str, str], config: dict[str, Any]) -> int:
    with open(config["ids"], encoding="utf-8") as file:
        ids = file.read().split()
    with ThreadPoolExecutor(config["concurrency"]) as pool:
        return sum(pool.map(lambda i: get(command, env, i), ids))


def creates(command: list[str], env: dict[str, str], config: dict[str, Any]) -> tuple[int, int]:
    made, limited = 0, 0
    for index in range(config["count"]):
        args = [
            *command,
            "contacts",
            "create",
            "--yes",
            "--first-name",
            f"Bench{index}",
            "--email",
            f"{config['prefix']}-{index}@bench.example",
        ]
        while True:
            answer = subprocess.run(args, env=env, capture_output=True)
            if answer.returncode != RATE_LIMITED:
                break
            limited += 1
            time.sleep(1)
        if answer.returncode != 0:
            raise SystemExit(f"highlevel exited with {answer.returncode}: {answer.stderr!r}")
        made += 1
    return made, limited


if __name__ == "__main__":
    main()
