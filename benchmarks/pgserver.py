"""A PostgreSQL cluster for benchmarks whose data directory can be kept and started again (a cache).

tests/pg/cluster.py makes a cluster that lives and dies with one test session; the scale benchmark
needs a loaded 100,000-inspection database that survives between runs. This is the same kind of
cluster (initdb, Unix socket only, ``fsync=off`` as in the tests, so figures compare work, not the
disk; as root the programs run as the ``postgres`` user), but the data directory is given by the
caller and only the socket directory is temporary. ``max_wal_size`` is raised so a bulk load is
not a stream of checkpoints (the same setting for the merge and for its COPY baseline).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

PORT = 5432  # names the socket file inside our private directory only
OPTIONS = "-c listen_addresses='' -c fsync=off -c max_wal_size=1GB -c checkpoint_timeout=30min"


def bin_dir() -> Path | None:
    from tests.pg.cluster import find_bin_dir

    return find_bin_dir()


class KeptCluster:
    """A cluster on ``data`` (made by :meth:`init` or already there), served on a private socket."""

    def __init__(self, programs: Path, data: Path):
        self.programs, self.data = programs, data
        self.socket_dir = Path(tempfile.mkdtemp(prefix="inspector-pgscale-"))
        self.log = data.parent / "server.log"  # kept after a run, next to the data directory
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as_user:
            shutil.chown(self.socket_dir, "postgres", "postgres")
        os.chmod(self.socket_dir, 0o700)

    def _run(self, *args: str, timeout: int = 600) -> None:
        done = subprocess.run([*self._as_user, *args], capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stdout}{done.stderr}")

    def init(self) -> "KeptCluster":
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if self._as_user:
            self.data.mkdir(mode=0o700, exist_ok=True)
            shutil.chown(self.data, "postgres", "postgres")
        self._run(str(self.programs / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        return self

    def start(self) -> "KeptCluster":
        self.log.touch()
        if self._as_user:
            shutil.chown(self.log, "postgres", "postgres")
        options = f"-k {self.socket_dir} -p {PORT} {OPTIONS}"
        self._run(str(self.programs / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "600", "start")
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.programs / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "600",
                          "stop")
        finally:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={PORT}"

    def admin(self, sql: str, database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=PORT, user="postgres", dbname=database,
                             autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def clone(self, template: str) -> str:
        """A new database that is a file copy of ``template`` (no WAL of every page); returns its name."""
        name = f"run_{uuid.uuid4().hex[:10]}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def shrink_wal(self, keep_mb: int = 256) -> None:
        """Let the server drop the WAL segments a bulk load left (the cache should hold data, not WAL):
        segments ahead of the write position go only as the position passes them."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=PORT, user="postgres", dbname="postgres",
                             autocommit=True) as connection:
            for _ in range(2000):
                size = connection.execute("SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()").fetchone()[0]
                if size <= keep_mb * 1e6:
                    return
                connection.execute("CHECKPOINT")
                connection.execute("SELECT pg_switch_wal()")

    def size_gb(self, name: str) -> float:
        return self.admin(f"SELECT pg_database_size('{name}')")[0][0] / 1e9
