"""Throwaway databases for tests: clone the migrated template, drop it, find a free port.

The fixtures in `tests/conftest.py` use these; tests that build a database or cluster of their
own import them from here (never from a conftest).
"""

from __future__ import annotations

import itertools
import os
import secrets
import socket

import psycopg

from geo_assets.embedded import EmbeddedCluster

TEMPLATE = "geo_template"
_counter = itertools.count()


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin_connection(cluster: EmbeddedCluster) -> psycopg.Connection:
    """The bootstrap superuser, over the cluster's Unix socket."""
    return cluster.connect_admin("postgres")


def clone_database(cluster: EmbeddedCluster, template: str) -> str:
    """Create a new database from `template`, owned by the app role; return its URL."""
    # The pid and a random part keep names apart across test processes sharing a cluster.
    name = f"t_{os.getpid()}_{next(_counter)}_{secrets.token_hex(4)}"
    with admin_connection(cluster) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER geo_assets')
    return cluster.url(name)


def drop_database(cluster: EmbeddedCluster, url: str) -> None:
    """Drop a database made by `clone_database`, closing what still uses it."""
    name = url.rsplit("/", 1)[1]
    with admin_connection(cluster) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
