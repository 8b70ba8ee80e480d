"""How the client behaves in a Python process: the GIL is released while a request waits,
one client serves many threads, cancelling an asyncio task cancels its request, a client
works in a forked child, its settings pickle, and its logs reach `logging` without secrets."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import pickle
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import highlevel

LOC = highlevel.LOCATION_IDS[0]


def test_other_threads_run_while_a_request_waits(sandbox: highlevel.Sandbox) -> None:
    client = sandbox.client()
    sandbox.add_latency(1.0, "listUsers", times=1)
    ticks: list[float] = []
    worker = threading.Thread(target=lambda: client.users.list(location_id=LOC))

    started = time.monotonic()
    worker.start()
    while worker.is_alive():
        ticks.append(time.monotonic())
        time.sleep(0.01)
    worker.join()

    # The request took its second; this thread kept ticking all along it.
    assert ticks[-1] - started >= 0.9
    gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:])]
    assert max(gaps) < 0.5, max(gaps)


def test_one_client_serves_many_threads(client: highlevel.Client) -> None:
    def work(n: int) -> str:
        made = client.contacts.create(location_id=LOC, first_name=f"Thread{n}")
        return str(client.contacts.get(contact_id=made["contact"]["id"])["contact"]["firstName"])

    with ThreadPoolExecutor(8) as pool:
        names = list(pool.map(work, range(32)))
    assert names == [f"Thread{n}" for n in range(32)]


async def test_gathered_async_calls(aclient: highlevel.AsyncClient) -> None:
    pages = await asyncio.gather(*(aclient.users.list(location_id=LOC) for _ in range(10)))
    assert all(page["users"] for page in pages)


async def test_cancelling_the_task_cancels_the_request(fresh: highlevel.Sandbox) -> None:
    client = fresh.async_client()
    fresh.add_latency(1.0, "createContact")
    task = asyncio.ensure_future(client.contacts.create(location_id=LOC, first_name="Gone"))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    # Had the request gone on, the sandbox would have handled it once its second was up.
    await asyncio.sleep(1.5)
    assert fresh.processed("createContact") == 0
    fresh.clear_faults()
    await client.contacts.create(location_id=LOC, first_name="Kept")
    assert fresh.processed("createContact") == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork exists on POSIX only")
def test_a_client_made_before_fork_works_in_the_child(client: highlevel.Client) -> None:
    # Use the client first, so that the parent has a runtime and pooled connections.
    assert client.users.list(location_id=LOC)["users"]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            users = client.users.list(location_id=LOC)["users"]
            os.write(write, str(len(users)).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    answer = os.read(read, 100).decode()
    os.close(read)
    assert os.waitstatus_to_exitcode(status) == 0
    assert int(answer) > 0


def list_users(client: highlevel.Client) -> int:
    return len(client.users.list(location_id=LOC)["users"])


def test_settings_pickle_and_rebuild_a_client(client: highlevel.Client) -> None:
    copy = pickle.loads(pickle.dumps(client))
    assert isinstance(copy, highlevel.Client)
    assert copy.settings == client.settings
    assert list_users(copy) > 0

    pinned = pickle.loads(pickle.dumps(client.with_connection(highlevel.AGENCY_CONNECTION)))
    with pytest.raises(highlevel.WrongTokenTypeError):
        pinned.contacts.list(location_id=LOC)


def test_a_process_pool_rebuilds_the_client(client: highlevel.Client) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        counts = pool.map(list_users, [client, client])
    assert counts[0] > 0 and counts[0] == counts[1]


def test_logs_reach_logging_without_secrets(
    sandbox: highlevel.Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="highlevel"):
        client = sandbox.client()
        client.contacts.create(location_id=LOC, first_name="Logged")
        with pytest.raises(highlevel.NotFoundError):
            client.contacts.get(contact_id="missing")

    records: list[Any] = [r for r in caplog.records if r.name.startswith("highlevel")]
    assert records, "no record reached the highlevel logger"
    text = "\n".join(r.getMessage() for r in records)
    assert 'operation="create_contact"' in text and "status=201" in text
    assert "status=404" in text
    assert sandbox.api_key not in text
    assert "Bearer" not in text


def test_nothing_is_logged_when_the_level_is_above_debug(
    sandbox: highlevel.Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    logging.getLogger("highlevel").setLevel(logging.WARNING)
    with caplog.at_level(logging.WARNING, logger="highlevel"):
        sandbox.client().users.list(location_id=LOC)
    assert not [r for r in caplog.records if r.name.startswith("highlevel")]


# A script that ends right after its last await: the moment when the SDK's threads may
# still be handing the answer over to asyncio as the interpreter starts to finalize.
EXIT_AFTER_ASYNC = """
import asyncio, sys, highlevel
async def main():
    client = highlevel.AsyncClient(api_key=sys.argv[2], base_url=sys.argv[1],
                                   connection="conn-location-1", from_env=False)
    seen = 0
    async for _ in client.contacts.iter(location_id="demo-location-1", limit=100):
        seen += 1
    print(seen)
asyncio.run(main())
"""


def test_a_process_exits_cleanly_right_after_its_last_await(
    sandbox: highlevel.Sandbox,
) -> None:
    # The crash this guards against came in about one exit of seven, so twenty tries
    # make a return of it all but certain to show.
    for _ in range(20):
        done = subprocess.run(
            [sys.executable, "-c", EXIT_AFTER_ASYNC, sandbox.proxy_url, sandbox.api_key],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert int(done.stdout) > 0
