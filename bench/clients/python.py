"""The Python clients of `cargo xtask bench`: this project's package and its peers.

Run as `python python.py CLIENT JOB CONFIG`, where CONFIG is the JSON the orchestrator
(`bench/run.py`) writes. Each run does one job and prints one JSON line: how many items it
saw, the job's wall and CPU seconds (taken around the job alone, so start-up is left out),
how many 429s reached this code, and how requests overlapped. Only the chosen client's
library is imported, so that job D measures the import of that library alone.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

CONCURRENCY = "32 in flight"


def main() -> None:
    client, job, path = sys.argv[1:4]
    with open(path, encoding="utf-8") as file:
        config = json.load(file)
    run = CLIENTS[client]
    result = run(job, config)
    result["peak_rss_kb"] = peak_rss_kb()
    print(json.dumps(result), flush=True)


def peak_rss_kb() -> int:
    """This process's peak resident set since it started. Not `ru_maxrss`, which counts
    the memory of the process that started this one, as it was when it did."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1])


def timed(work: Callable[[], tuple[int, int]], mode: str) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    count, limited = work()
    return {
        "count": count,
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rate_limited": limited,
        "mode": mode,
    }


async def timed_async(work: Callable[[], Any], mode: str) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    count, limited = await work()
    return {
        "count": count,
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rate_limited": limited,
        "mode": mode,
    }


def ids(config: dict[str, Any]) -> list[str]:
    with open(config["ids"], encoding="utf-8") as file:
        return file.read().split()


def new_contact(config: dict[str, Any], index: int) -> dict[str, Any]:
    return {
        "locationId": config["location"],
        "firstName": f"Bench{index}",
        "email": f"{config['prefix']}-{index}@bench.example",
    }


def threaded_gets(config: dict[str, Any], get: Callable[[str], str]) -> tuple[int, int]:
    """Every id fetched by 32 threads; counts the answers that name the id asked for."""

    def one(contact_id: str) -> int:
        return 1 if get(contact_id) == contact_id else 0

    with ThreadPoolExecutor(config["concurrency"]) as pool:
        return sum(pool.map(one, ids(config), chunksize=16)), 0


async def gathered_gets(config: dict[str, Any], get: Callable[[str], Any]) -> tuple[int, int]:
    """Every id fetched by 32 tasks that take the next id as each finishes one."""
    pending = iter(ids(config))
    seen = 0

    async def worker() -> None:
        nonlocal seen
        for contact_id in pending:
            if await get(contact_id) == contact_id:
                seen += 1

    await asyncio.gather(*(worker() for _ in range(config["concurrency"])))
    return seen, 0


def wait_of(headers: Any) -> float:
    """How long a plain client waits after a 429: the window the service reports."""
    value = headers.get("x-ratelimit-interval-milliseconds")
    return int(value) / 1000 if value else 1.0


# This project's package.


def highlevel_settings(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "api_key": config["api_key"],
        "base_url": config["base_url"],
        "connection": config["connection"],
        "from_env": False,
    }


def highlevel_sync(job: str, config: dict[str, Any]) -> dict[str, Any]:
    import highlevel

    client = highlevel.Client(**highlevel_settings(config))
    contacts = client.contacts
    if job == "A":
        location = config["location"]
        return timed(
            lambda: (sum(1 for _ in contacts.iter(location_id=location, limit=100)), 0),
            "sequential",
        )
    if job == "B":
        return timed(
            lambda: threaded_gets(config, lambda i: contacts.get(contact_id=i)["contact"]["id"]),
            f"{CONCURRENCY} (threads)",
        )
    if job == "C":

        def create() -> tuple[int, int]:
            made, limited = 0, 0
            for index in range(config["count"]):
                try:
                    contacts.create(new_contact(config, index))
                    made += 1
                except highlevel.RateLimitedError:
                    limited += 1
            return made, limited

        return timed(create, "sequential")
    return first_request(lambda: contacts.get(contact_id=config["first_id"])["contact"]["id"])


def highlevel_async(job: str, config: dict[str, Any]) -> dict[str, Any]:
    import highlevel

    async def main() -> dict[str, Any]:
        client = highlevel.AsyncClient(**highlevel_settings(config))
        contacts = client.contacts
        if job == "A":

            async def walk() -> tuple[int, int]:
                seen = 0
                async for _ in contacts.iter(location_id=config["location"], limit=100):
                    seen += 1
                return seen, 0

            return await timed_async(walk, "sequential")
        if job == "B":

            async def get(contact_id: str) -> str:
                return (await contacts.get(contact_id=contact_id))["contact"]["id"]

            return await timed_async(lambda: gathered_gets(config, get), CONCURRENCY)
        if job == "C":

            async def create() -> tuple[int, int]:
                made, limited = 0, 0
                for index in range(config["count"]):
                    try:
                        await contacts.create(new_contact(config, index))
                        made += 1
                    except highlevel.RateLimitedError:
                        limited += 1
                return made, limited

            return await timed_async(create, "sequential")
        answer = await contacts.get(contact_id=config["first_id"])
        return {"count": 1 if answer["contact"]["id"] == config["first_id"] else 0}

    return asyncio.run(main())


# Peers: what users would write with a general HTTP client.


def headers(config: dict[str, Any]) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {config['api_key']}",
        "Version": "2021-07-28",
        "Accept": "application/json",
    }


def page_params(config: dict[str, Any], meta: dict[str, Any] | None) -> dict[str, Any]:
    params: dict[str, Any] = {"locationId": config["location"], "limit": 100}
    if meta is not None:
        params["startAfterId"] = meta["startAfterId"]
        params["startAfter"] = meta["startAfter"]
    return params


def more(meta: dict[str, Any]) -> bool:
    return meta.get("startAfterId") is not None


def requests_client(job: str, config: dict[str, Any]) -> dict[str, Any]:
    import requests

    def session() -> Any:
        made = requests.Session()
        made.headers.update(headers(config))
        return made

    # A Session is not documented as thread-safe, so in job B each thread keeps its own.
    return plain_sync(job, config, session, shared_by_threads=False)


def httpx_sync(job: str, config: dict[str, Any]) -> dict[str, Any]:
    import httpx

    limits = httpx.Limits(max_connections=config["concurrency"])
    client = httpx.Client(headers=headers(config), limits=limits)
    return plain_sync(job, config, lambda: client, shared_by_threads=True)


def plain_sync(
    job: str, config: dict[str, Any], session: Callable[[], Any], shared_by_threads: bool
) -> dict[str, Any]:
    """A job as users write it with `requests` or `httpx`, whose sync APIs are alike.
    `session` makes the object requests go through."""
    base = config["base_url"]
    client = session()
    if job == "A":

        def walk() -> tuple[int, int]:
            seen, meta = 0, None
            while True:
                answer = client.get(f"{base}/contacts/", params=page_params(config, meta))
                answer.raise_for_status()
                page = answer.json()
                seen += len(page["contacts"])
                meta = page["meta"]
                if not page["contacts"] or not more(meta):
                    return seen, 0

        return timed(walk, "sequential")
    if job == "B":
        local = threading.local()

        def get(contact_id: str) -> str:
            own = client if shared_by_threads else getattr(local, "session", None)
            if own is None:
                own = local.session = session()
            answer = own.get(f"{base}/contacts/{contact_id}")
            answer.raise_for_status()
            return str(answer.json()["contact"]["id"])

        return timed(lambda: threaded_gets(config, get), f"{CONCURRENCY} (threads)")
    if job == "C":

        def create() -> tuple[int, int]:
            made, limited = 0, 0
            for index in range(config["count"]):
                while True:
                    answer = client.post(f"{base}/contacts/", json=new_contact(config, index))
                    if answer.status_code != 429:
                        break
                    limited += 1
                    time.sleep(wait_of(answer.headers))
                answer.raise_for_status()
                made += 1
            return made, limited

        return timed(create, "sequential")

    def first() -> str:
        answer = client.get(f"{base}/contacts/{config['first_id']}")
        answer.raise_for_status()
        return str(answer.json()["contact"]["id"])

    return first_request(first)


def httpx_async(job: str, config: dict[str, Any]) -> dict[str, Any]:
    import httpx

    base = config["base_url"]

    async def main() -> dict[str, Any]:
        limits = httpx.Limits(max_connections=config["concurrency"])
        async with httpx.AsyncClient(headers=headers(config), limits=limits) as client:
            if job == "A":

                async def walk() -> tuple[int, int]:
                    seen, meta = 0, None
                    while True:
                        params = page_params(config, meta)
                        answer = await client.get(f"{base}/contacts/", params=params)
                        answer.raise_for_status()
                        page = answer.json()
                        seen += len(page["contacts"])
                        meta = page["meta"]
                        if not page["contacts"] or not more(meta):
                            return seen, 0

                return await timed_async(walk, "sequential")
            if job == "B":

                async def get(contact_id: str) -> str:
                    answer = await client.get(f"{base}/contacts/{contact_id}")
                    answer.raise_for_status()
                    return answer.json()["contact"]["id"]

                return await timed_async(lambda: gathered_gets(config, get), CONCURRENCY)
            if job == "C":

                async def create() -> tuple[int, int]:
                    made, limited = 0, 0
                    for index in range(config["count"]):
                        while True:
                            body = new_contact(config, index)
                            answer = await client.post(f"{base}/contacts/", json=body)
                            if answer.status_code != 429:
                                break
                            limited += 1
                            await asyncio.sleep(wait_of(answer.headers))
                        answer.raise_for_status()
                        made += 1
                    return made, limited

                return await timed_async(create, "sequential")
            answer = await client.get(f"{base}/contacts/{config['first_id']}")
            answer.raise_for_status()
            found = answer.json()["contact"]["id"] == config["first_id"]
            return {"count": 1 if found else 0}

    return asyncio.run(main())


def aiohttp_client(job: str, config: dict[str, Any]) -> dict[str, Any]:
    import aiohttp

    base = config["base_url"]

    async def main() -> dict[str, Any]:
        async with aiohttp.ClientSession(headers=headers(config)) as session:
            if job == "A":

                async def walk() -> tuple[int, int]:
                    seen, meta = 0, None
                    while True:
                        params = page_params(config, meta)
                        async with session.get(f"{base}/contacts/", params=params) as answer:
                            answer.raise_for_status()
                            page = await answer.json()
                        seen += len(page["contacts"])
                        meta = page["meta"]
                        if not page["contacts"] or not more(meta):
                            return seen, 0

                return await timed_async(walk, "sequential")
            if job == "B":

                async def get(contact_id: str) -> str:
                    async with session.get(f"{base}/contacts/{contact_id}") as answer:
                        answer.raise_for_status()
                        return (await answer.json())["contact"]["id"]

                return await timed_async(lambda: gathered_gets(config, get), CONCURRENCY)
            if job == "C":

                async def create() -> tuple[int, int]:
                    made, limited = 0, 0
                    for index in range(config["count"]):
                        while True:
                            body = new_contact(config, index)
                            async with session.post(f"{base}/contacts/", json=body) as answer:
                                if answer.status != 429:
                                    answer.raise_for_status()
                                    await answer.read()
                                    break
                                limited += 1
                                wait = wait_of(answer.headers)
                            await asyncio.sleep(wait)
                        made += 1
                    return made, limited

                return await timed_async(create, "sequential")
            async with session.get(f"{base}/contacts/{config['first_id']}") as answer:
                answer.raise_for_status()
                found = (await answer.json())["contact"]["id"] == config["first_id"]
            return {"count": 1 if found else 0}

    return asyncio.run(main())


def first_request(get: Callable[[], str]) -> dict[str, Any]:
    """Job D: the orchestrator times the whole process; this only checks the answer."""
    return {"count": 1 if get() else 0}


CLIENTS: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {
    "highlevel": highlevel_sync,
    "highlevel-async": highlevel_async,
    "requests": requests_client,
    "httpx": httpx_sync,
    "httpx-async": httpx_async,
    "aiohttp": aiohttp_client,
}

if __name__ == "__main__":
    main()
