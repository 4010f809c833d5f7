"""The soak's memory accounting: every component's processes by kind of page, and what fills the two servers' caches.

Kinds, from ``/proc/<pid>/smaps_rollup`` (proportional: a page shared by n processes counts 1/n in each):

- ``pss_anon``: anonymous pages, what the process allocated for itself (heap, stacks, arenas). A leak shows here.
- ``pss_file``: pages of mapped files (the program, its libraries). They are shared with every other process on the
  machine that maps the same file (on a shared machine: another nats-server or Postgres started by someone else), so
  their share changes when such a process starts or stops elsewhere; they are page cache the kernel may drop.
- ``pss_shmem``: shared memory. For Postgres, its shared segment (``shared_buffers`` and the rest), allocated at start
  with a fixed size and touched page by page as buffers are first used; a Python component has none.

Beside the kinds: for Postgres, the size of its shared segment and of its buffer pool, the blocks read or extended
into it and the evictions (``pg_stat_io``: no eviction means the pool still has free buffers) and the databases' size;
for NATS, the Go runtime's live heap after each collection (``GODEBUG=gctrace=1``), the live heap by allocation site
(its heap profile, ``--profile``) and the event stream's message blocks on disk. nats-server's file store holds each
stream's block being written in a buffer from one of three pools (``getMsgBlockBuf``): up to 1 MiB, 4 MiB, and
8 MiB, the block size. The buffer is swapped for a bigger one as the first block grows past 1 and 4 MiB, at a pace
set by the load (minutes at the soak's), and the outgrown one waits in its pool until two collections pass without
anyone taking it, which takes minutes when the heap is small and steady (a block read back from disk is loaded into
one of these buffers too, and let go when unused for a while). So a nats-server's memory steps up by 8 to 13 MiB over
its events stream's first block and is bounded from then on: a buffer per stream being written, the outgrown ones
until collections drop them. tests/bench/test_soak_memory.py checks the steps on the nats-server in use.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from bench.common import stop_process
from hub.embedded import free_port, nats_argv, wait_for_port

MIB = 2**20
# smaps_rollup's fields (kB) and what they are called here; uss is what no other process maps
ROLLUP_FIELDS = {"Rss": "rss", "Pss": "pss", "Pss_Anon": "pss_anon", "Pss_File": "pss_file", "Pss_Shmem": "pss_shmem"}
PRIVATE_FIELDS = ("Private_Clean", "Private_Dirty", "Private_Hugetlb")
KINDS = ("rss", "pss", "uss", "pss_anon", "pss_file", "pss_shmem")
# Go's trace of a collection: "gc 12 @34.5s 0%: ... 5->6->3 MB, 7 MB goal, ..." (heap at start -> at end -> live)
GC_TRACE = re.compile(r"^gc \d+ @[\d.]+s .*?(\d+)->(\d+)->(\d+) MB, (\d+) MB goal")
EVENTS_STREAM_BLOCKS = "jetstream/*/streams/HUB_EVENTS/msgs/*.blk"


def smaps_rollup(pid: int) -> dict[str, int]:
    """Bytes of process ``pid`` by kind: ``rss``, ``pss``, ``pss_anon``, ``pss_file``, ``pss_shmem`` and ``uss``
    (Private_Clean + Private_Dirty + Private_Hugetlb).

    Raises FileNotFoundError or ProcessLookupError when the process is gone, PermissionError when it is not ours."""
    out = dict.fromkeys((*ROLLUP_FIELDS.values(), "uss"), 0)
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        field, _, rest = line.partition(":")
        kib = int(rest.split()[0]) * 1024 if rest.strip() else 0
        if field in ROLLUP_FIELDS:
            out[ROLLUP_FIELDS[field]] = kib
        elif field in PRIVATE_FIELDS:
            out["uss"] += kib
    return out


def sample_components(roots: dict[str, int]) -> dict[str, dict[str, float]]:
    """MiB by kind (``KINDS``, each suffixed ``_mib``) per component, summed over its process and descendants, with
    ``processes`` (how many) and ``pid`` (its root). ``hub up`` is counted last: itself and the children no component
    claimed (its guardian)."""
    counted: set[int] = set()
    out: dict[str, dict[str, float]] = {}
    for name in sorted(roots, key=lambda n: n == "hub up"):
        try:
            root = psutil.Process(roots[name])
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        totals, processes = dict.fromkeys(KINDS, 0), 0
        for process in tree:
            if process.pid in counted:
                continue
            try:
                kinds = smaps_rollup(process.pid)
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
            counted.add(process.pid)
            processes += 1
            for kind in KINDS:
                totals[kind] += kinds[kind]
        out[name] = {f"{kind}_mib": value / MIB for kind, value in totals.items()}
        out[name].update(processes=processes, pid=roots[name])
    return out


class PostgresProbe:
    """Postgres's own figures on its buffer pool; each call opens one short connection (the backend it starts is gone
    before the next memory sample). Every figure is None when the server cannot be asked (an external server
    without a password-free URL)."""

    def __init__(self, url: str | None):
        self.url = _without_hidden_password(url) if url else None

    def _query(self, sql: str) -> tuple | None:
        if self.url is None:
            return None
        import psycopg

        with contextlib.suppress(psycopg.Error), psycopg.connect(self.url, connect_timeout=5) as conn:
            return conn.execute(sql).fetchone()
        return None

    def segment(self) -> dict[str, float | None]:
        """MiB of the main shared segment (every allocation in it) and of its buffer pool (``shared_buffers``)."""
        row = self._query(
            "SELECT sum(allocated_size), sum(allocated_size) FILTER (WHERE name = 'Buffer Blocks') "
            "FROM pg_shmem_allocations"
        )
        if row is None:
            return {"segment_mib": None, "shared_buffers_mib": None}
        return {"segment_mib": round(float(row[0]) / MIB, 1), "shared_buffers_mib": round(float(row[1]) / MIB, 1)}

    def sample(self) -> dict[str, float | None]:
        """Blocks read into or extended in shared buffers since the server started (each took a buffer; until the
        first eviction they fill the pool), evictions (a buffer's page thrown out for another: the pool is full), and
        the databases' size in MiB."""
        row = self._query(
            "SELECT sum(reads) + sum(extends), sum(evictions), "
            "(SELECT sum(pg_database_size(oid)) FROM pg_database) "
            "FROM pg_stat_io WHERE object = 'relation'"
        )
        if row is None:
            return {"blocks_read_or_extended": None, "evictions": None, "databases_mib": None}
        return {"blocks_read_or_extended": int(row[0] or 0), "evictions": int(row[1] or 0),
                "databases_mib": round(float(row[2]) / MIB, 1)}  # fmt: skip


def _without_hidden_password(url: str) -> str | None:
    """runtime.json's URL has its password hidden; the embedded server needs none (a Unix socket, trust)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.password == "***":
        parsed = parsed.set(password=None)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass
class ProfiledNats:
    """A nats-server started as the embedded runtime starts it, with Go's profiles served on ``profile_url``."""

    process: subprocess.Popen
    url: str
    log: Path
    store_dir: Path
    profile_url: str


@contextlib.contextmanager
def profiled_nats() -> Iterator[ProfiledNats]:
    """hub.embedded's nats-server command (JetStream, its store in a temporary directory, a free loopback port) plus
    ``--profile`` on another free loopback port and ``GODEBUG`` (its live heap after every collection in its log, a
    finer heap profile); stopped and removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="hub-soak-nats-"))
    port, profile_port = free_port(), free_port()
    log = work / "nats.log"
    with log.open("ab") as out:
        process = subprocess.Popen([*nats_argv(work / "store", port), "--profile", str(profile_port)], stdout=out,
                                   stderr=subprocess.STDOUT, env={**os.environ, "GODEBUG": GODEBUG})  # fmt: skip
    try:
        wait_for_port(port, process=process)
        wait_for_port(profile_port, process=process)
        yield ProfiledNats(process, f"nats://127.0.0.1:{port}", log, work / "store", f"http://127.0.0.1:{profile_port}")
    finally:
        stop_process(process)
        shutil.rmtree(work, ignore_errors=True)


# the live heap after every collection in the log; every 4 KiB allocated sampled into the heap profile (Go's default,
# 512 KiB, resolves a heap of a few MiB in half-MiB steps)
GODEBUG = "gctrace=1,memprofilerate=4096"
HEAP_RECORD = re.compile(r"^(\d+): (\d+) \[\d+: \d+\] @", re.MULTILINE)
FRAME = re.compile(r"^#\t0x[0-9a-f]+\t(\S+)", re.MULTILINE)


def heap_sites(profile_url: str) -> dict[str, float]:
    """Bytes of the live heap as of the last collection, by allocation site (the innermost nats-server function
    that allocated, e.g. ``server.getMsgBlockBuf``), from Go's heap profile (``debug=1``), each record scaled by its
    sampling probability as ``go tool pprof`` does. Raises httpx.HTTPError when the server does not answer."""
    text = httpx.get(f"{profile_url}/debug/pprof/heap?debug=1", timeout=10).text
    rate = int(re.search(r"@ heap/(\d+)", text)[1]) / 2  # the header gives twice the sampling rate
    sites: Counter = Counter()
    for record in re.split(r"\n(?=\d+: \d+ \[)", text.split("\n# runtime.MemStats")[0])[1:]:
        match = HEAP_RECORD.match(record)
        objects, size = int(match[1]), int(match[2])
        if not objects:
            continue
        frames = [f.rsplit("/", 1)[-1].split("+")[0] for f in FRAME.findall(record)]
        site = next((f for f in frames if f.startswith("server.") and not f.startswith("server.init")), "other")
        sites[site] += size / (1 - math.exp(-size / objects / rate))
    return dict(sites)


class NatsProbe:
    """A nats-server's live Go heap (from its GC trace in ``log``, read from where the log ends now on; and by
    allocation site when ``profile_url`` serves its heap profile) and the event stream's message blocks under
    ``store_dir``."""

    def __init__(self, log: Path, store_dir: Path, profile_url: str | None = None):
        self.log, self.store_dir, self.profile_url = log, store_dir, profile_url
        self.offset = log.stat().st_size if log.exists() else 0
        self.last: dict[str, float | None] = {"live_heap_mib": None, "heap_goal_mib": None}

    def _collections(self) -> list[tuple[int, int]]:
        """(live MiB, goal MiB) of each collection logged since the last call (whole lines only)."""
        if not self.log.exists():
            return []
        with self.log.open("rb") as f:
            f.seek(self.offset)
            text = f.read().decode(errors="replace")
        whole = text[: text.rfind("\n") + 1]
        self.offset += len(whole.encode())
        return [(int(m[3]), int(m[4])) for line in whole.splitlines() if (m := GC_TRACE.match(line))]

    def sample(self) -> dict[str, float | int | None]:
        """``live_heap_mib`` and ``heap_goal_mib`` of the newest collection (None before the first), ``collections``
        since the last sample; from the heap profile (None without one) ``profiled_heap_mib`` (live at the last
        collection) and ``block_buffers_mib``, the part of it in the file store's message-block buffers (what
        ``server.getMsgBlockBuf`` allocated: each stream's block being written is held in one, 1, 4 or 8 MiB, and
        an outgrown one waits in a pool until collections drop it), ``other_live_heap_mib`` the rest (Go keeps the
        profile up to two collections old, both parts alike); the event stream's ``blocks``,
        ``newest_block_mib`` (the block being written) and ``stream_mib`` (all its blocks)."""
        collections = self._collections()
        if collections:
            self.last = {"live_heap_mib": collections[-1][0], "heap_goal_mib": collections[-1][1]}
        out: dict = {**self.last, "collections": len(collections), "profiled_heap_mib": None,
                     "block_buffers_mib": None, "other_live_heap_mib": None, "blocks": 0, "newest_block_mib": 0.0,
                     "stream_mib": 0.0}  # fmt: skip
        if self.profile_url:
            with contextlib.suppress(httpx.HTTPError):
                sites = heap_sites(self.profile_url)
                out["profiled_heap_mib"] = round(sum(sites.values()) / MIB, 2)
                out["block_buffers_mib"] = round(sites.get("server.getMsgBlockBuf", 0.0) / MIB, 2)
                out["other_live_heap_mib"] = round(out["profiled_heap_mib"] - out["block_buffers_mib"], 2)
        sizes = {}
        for block in self.store_dir.glob(EVENTS_STREAM_BLOCKS):
            with contextlib.suppress(OSError, ValueError):
                sizes[int(block.stem)] = block.stat().st_size / MIB
        if sizes:
            out.update(blocks=len(sizes), newest_block_mib=round(sizes[max(sizes)], 2),
                       stream_mib=round(sum(sizes.values()), 2))  # fmt: skip
        return out


# the criterion ----------------------------------------------------------------------------------------------------


def criterion_mib(name: str, memory: dict[str, float], nats: dict | None = None) -> float:
    """What the soak's 10 % criterion is applied to, in MiB: the memory a component's processes allocate
    (``pss_anon`` + ``pss_shmem``; mapped files are left out, see the module's docstring). Postgres's shared memory is
    its fixed segment, checked against that size instead, so its processes' ``pss_anon`` alone. For NATS, where its
    heap profile is read (``NatsProbe.sample``), its live Go heap less the message-block buffers: the block being
    written is held in a 1, 4, then 8 MiB buffer as a stream's first block grows, at a pace set by the load, and an
    outgrown buffer waits in a pool for minutes when the server collects seldom; and Go lets the heap grow to twice
    the live heap between collections (GOGC=100), so ``pss_anon`` moves by about twice what the buffers add."""
    allocated = memory["pss_anon_mib"] + memory["pss_shmem_mib"]
    if name == "postgres":
        return memory["pss_anon_mib"]
    if name == "nats" and nats and nats.get("other_live_heap_mib") is not None:
        return nats["other_live_heap_mib"]
    return allocated


CRITERION = {
    "postgres": "pss_anon (its shared segment is checked against its fixed size instead)",
    "nats": "its live Go heap less the message-block buffers, from its heap profile (pss_anon follows the heap: Go "
    "lets it grow to twice the live heap between collections)",
    "other": "pss_anon + pss_shmem (what the processes allocate; mapped files left out)",
}


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _growth(warm: float | None, final: float | None) -> float | None:
    return round((final - warm) / warm * 100, 1) if warm and final is not None else None


def _window(samples: list[dict], series: list, seconds: float, bounds: tuple[float, float]) -> float | None:
    """Mean of ``series`` (one value per sample, None where there is none) over the samples in ``bounds``."""
    lo, hi = bounds[0] * seconds, bounds[1] * seconds
    return _mean([value for s, value in zip(samples, series, strict=True) if lo <= s["t"] <= hi])


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def memory_growth(samples: list[dict], seconds: float, windows: tuple, limit: float) -> dict[str, dict]:
    """Per component: mean MiB of every kind in the warm and the final window (``windows``: two (from, to) fractions
    of ``seconds``), growth in percent, and the criterion's quantity (:func:`criterion_mib`) with ``flat`` = its
    growth at most ``limit`` (a fraction)."""
    out = {}
    for name in sorted({name for s in samples for name in s["memory"]}):
        present = [s["memory"].get(name) for s in samples]
        figures: dict = {}
        for kind in KINDS:
            series = [m and m[f"{kind}_mib"] for m in present]
            warm, final = (_window(samples, series, seconds, w) for w in windows)
            figures[f"{kind}_mib_warm"], figures[f"{kind}_mib_final"] = _rounded(warm), _rounded(final)
            figures[f"{kind}_growth_pct"] = _growth(warm, final)
        series = [m and criterion_mib(name, m, s.get("nats")) for s, m in zip(samples, present, strict=True)]
        warm, final = (_window(samples, series, seconds, w) for w in windows)
        growth = _growth(warm, final)
        figures["criterion"] = {
            "applied_to": CRITERION.get(name, CRITERION["other"]),
            "mib_warm": _rounded(warm),
            "mib_final": _rounded(final),
            "growth_pct": growth,
        }
        figures["flat"] = growth is not None and growth <= limit * 100
        out[name] = figures
    return out


NATS_SERIES = ("live_heap_mib", "heap_goal_mib", "profiled_heap_mib", "block_buffers_mib", "other_live_heap_mib",
               "newest_block_mib", "blocks", "stream_mib")  # fmt: skip


def server_caches(samples: list[dict], seconds: float, windows, segment: dict) -> dict:
    """The evidence on the two servers' caches: Postgres's shared memory touched against its segment, buffers taken
    and evictions; NATS's live heap, its write cache (the block being written) and the stream's blocks; each as the
    warm and final windows' means, and the series."""

    series = {
        "postgres_pss_shmem_mib": [_rounded(s["memory"].get("postgres", {}).get("pss_shmem_mib")) for s in samples],
        "postgres_processes": [s["memory"].get("postgres", {}).get("processes") for s in samples],
        **{f"postgres_{key}": [s["postgres"][key] for s in samples]
           for key in ("blocks_read_or_extended", "evictions", "databases_mib")},
        **{f"nats_{key}": [s["nats"][key] for s in samples] for key in NATS_SERIES},
    }  # fmt: skip
    shmem = [v for v in series["postgres_pss_shmem_mib"] if v]
    return {
        "postgres": {
            **segment,
            "pss_shmem_mib_max": max(shmem, default=None),
            "pss_shmem_of_segment_pct_max": round(max(shmem) / segment["segment_mib"] * 100, 1)
            if shmem and segment.get("segment_mib")
            else None,
            "evictions_during_run": (series["postgres_evictions"][-1] or 0) - (series["postgres_evictions"][0] or 0)
            if samples and series["postgres_evictions"][0] is not None
            else None,
        },  # fmt: skip
        "windows": {key: [_rounded(_window(samples, v, seconds, w), 2) for w in windows] for key, v in series.items()},
        "series": series,
    }
