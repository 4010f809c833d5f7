"""The soak's memory accounting on real processes: each kind of page lands where /proc says it is, a component is
counted with its children, Postgres's shared memory stays within the segment it reports, and a nats-server's GC trace
and message blocks are read back."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import nats
import psutil
import psycopg
import pytest

from bench.soak_memory import (
    MIB,
    NatsProbe,
    PostgresProbe,
    criterion_mib,
    profiled_nats,
    sample_components,
    smaps_rollup,
)
from messaging.nats import ensure_streams

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="Linux /proc only")

# a child that maps 48 MiB of each kind, touches every page, says "ready" and waits for its stdin to close
HOLDER = """
import mmap, sys
size = 48 * 2**20
anon = bytearray(size)
for i in range(0, size, 4096):
    anon[i] = 1
shared = mmap.mmap(-1, size, flags=mmap.MAP_SHARED)
for i in range(0, size, 4096):
    shared[i] = 1
with open(sys.argv[1], "rb") as f:
    mapped = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
total = sum(mapped[i] for i in range(0, size, 4096))
print("ready", flush=True)
sys.stdin.read()
"""


@contextmanager
def holder(tmp_path: Path, *, children: int = 0) -> Iterator[subprocess.Popen]:
    data = tmp_path / "data.bin"
    data.write_bytes(os.urandom(48 * MIB))
    script = HOLDER if not children else HOLDER.replace('print("ready"', "import subprocess\n" + textwrap.dedent(f"""
        kids = [subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
                for _ in range({children})]
        """) + 'print("ready"')  # fmt: skip
    process = subprocess.Popen([sys.executable, "-c", script, str(data)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert process.stdout.readline().strip() == "ready"
        yield process
    finally:
        process.kill()
        process.wait()


def test_each_kind_of_page_is_counted_as_its_kind(tmp_path):
    with holder(tmp_path) as process:
        kinds = smaps_rollup(process.pid)
    # 48 MiB each, plus the interpreter's own (anon and file); the shared mapping is this process's alone
    assert 48 * MIB <= kinds["pss_anon"] < 80 * MIB
    assert 48 * MIB <= kinds["pss_shmem"] < 50 * MIB
    assert 48 * MIB <= kinds["pss_file"] < 70 * MIB
    assert abs(kinds["pss"] - (kinds["pss_anon"] + kinds["pss_file"] + kinds["pss_shmem"])) < MIB
    assert kinds["uss"] <= kinds["rss"] and kinds["pss"] <= kinds["rss"]


def test_a_component_is_counted_with_its_children_and_hub_up_with_what_no_component_claimed(tmp_path):
    with holder(tmp_path, children=2) as process:
        kids = [child.pid for child in psutil.Process(process.pid).children()]
        sampled = sample_components({"hub up": process.pid, "worker": kids[0]})
        whole = sample_components({"worker": process.pid})
    assert sampled["worker"]["processes"] == 1
    assert sampled["hub up"]["processes"] == 2  # itself and the child no component claimed
    assert whole["worker"]["processes"] == 3
    assert sampled["hub up"]["pss_shmem_mib"] >= 48


def test_the_criterion_leaves_out_files_and_postgres_shared_segment_and_the_nats_block_buffers():
    memory = {"pss_anon_mib": 40.0, "pss_file_mib": 30.0, "pss_shmem_mib": 20.0}
    assert criterion_mib("gateway", memory) == 60.0
    assert criterion_mib("postgres", memory) == 40.0
    assert criterion_mib("nats", memory, {"other_live_heap_mib": 3.0}) == 3.0
    assert criterion_mib("nats", memory, {"other_live_heap_mib": None}) == 60.0  # no heap profile: nothing left out


def test_postgres_shared_memory_stays_within_the_segment_it_reports(postgres_admin_url):
    probe = PostgresProbe(postgres_admin_url)
    segment = probe.segment()
    assert 0 < segment["shared_buffers_mib"] < segment["segment_mib"]
    with psycopg.connect(postgres_admin_url) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.execute("SELECT count(*) FROM pg_class, pg_attribute").fetchone()
        postmaster = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
        sampled = sample_components({"postgres": postmaster})["postgres"]
    assert sampled["processes"] >= 3  # the postmaster, its helpers and this backend
    assert 0 < sampled["pss_shmem_mib"] <= segment["segment_mib"]
    figures = probe.sample()
    assert json.loads(json.dumps({**segment, **figures})) == {**segment, **figures}
    assert figures["blocks_read_or_extended"] > 0 and figures["evictions"] >= 0 and figures["databases_mib"] > 0


def test_a_nats_server_holds_the_block_being_written_in_a_buffer_its_heap_profile_shows():
    """The events stream's block being written is held in a 4 MiB buffer once it passes 1 MiB and an 8 MiB one once
    it passes 4 MiB; the probe finds them in the heap profile and the live heap in the GC trace."""
    with profiled_nats() as server:
        probe, payload, seen = NatsProbe(server.log, server.store_dir, server.profile_url), os.urandom(1000), {}
        probe.offset = 0  # the startup's collections count too

        async def publish(until_mib: float) -> None:
            nc = await nats.connect(server.url)
            js = nc.jetstream()
            await ensure_streams(js, replicas=1)
            while probe.sample()["newest_block_mib"] < until_mib:
                await asyncio.gather(*(js.publish("hub.training.session_rpe.logged", payload) for _ in range(200)))
            await nc.close()

        for until in (1.5, 4.5):
            asyncio.run(publish(until))
            httpx.get(f"{server.profile_url}/debug/pprof/heap?gc=1", timeout=30)  # the profile is as of a collection
            seen[until] = probe.sample()
    assert 4 <= seen[1.5]["block_buffers_mib"] < 8
    assert seen[4.5]["block_buffers_mib"] >= 8
    assert seen[4.5]["block_buffers_mib"] + seen[4.5]["other_live_heap_mib"] == pytest.approx(
        seen[4.5]["profiled_heap_mib"], abs=0.02
    )
    assert 0 < seen[4.5]["other_live_heap_mib"] < 8
    assert seen[4.5]["live_heap_mib"] is not None and seen[4.5]["live_heap_mib"] <= seen[4.5]["heap_goal_mib"]
    assert seen[4.5]["blocks"] == 1 and 4.5 <= seen[4.5]["newest_block_mib"] == seen[4.5]["stream_mib"]
