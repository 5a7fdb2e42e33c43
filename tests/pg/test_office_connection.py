"""The saved office connection: URL in settings.json without its password, the password in the keyring."""

from __future__ import annotations

import io
import json

import keyring
import pytest
from keyring.backend import KeyringBackend

from inspector.cli import main


class MemoryKeyring(KeyringBackend):
    """Stands in for the OS keyring (none exists in a headless container); the database stays real."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def office_url(pg_cluster):
    """A server account with a password (the cluster trusts the socket, so the role gets password auth here)."""
    import psycopg

    url = pg_cluster.create_database()
    dbname = url.split("/")[3].split("?")[0]
    with psycopg.connect(host=str(pg_cluster.socket_dir), port=5432, user="postgres", dbname="postgres",
                         autocommit=True) as connection:
        connection.execute("DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clerk') THEN "
                           "CREATE ROLE clerk LOGIN PASSWORD 'Pw-4-office'; END IF; END$$")
        connection.execute(f'ALTER DATABASE "{dbname}" OWNER TO clerk')
    return url.replace("postgres@", "clerk@")


def run(capsys, monkeypatch, *argv, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_connect_saves_the_url_and_keeps_the_password_in_the_keyring(office_url, data_dir, memory_keyring,
                                                                     capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "--data-dir", data_dir, "office", "connect", office_url,
                         "--password-stdin", stdin="Pw-4-office\n")
    assert code == 0, err
    assert "已连接并保存办公室数据库" in out and "Pw-4-office" not in out
    settings = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    from sqlalchemy.engine import make_url

    assert make_url(settings["office_database"]) == make_url(office_url)  # same URL (query text escaped)
    assert list(memory_keyring.items.values()) == ["Pw-4-office"]
    for path in data_dir.rglob("*"):
        assert not path.is_file() or b"Pw-4-office" not in path.read_bytes(), path
    # later commands use the saved connection: the enterprise lands on the server, not in a local file
    code, out, err = run(capsys, monkeypatch, "--data-dir", data_dir, "inspectors", "add", "王五")
    assert code == 0, err
    assert not (data_dir / "inspector.db").exists()
    code, out, _ = run(capsys, monkeypatch, "--data-dir", data_dir, "--database", office_url, "inspectors")
    assert "王五" in out  # the keyring's password is used for the same URL given explicitly too
    # pg_dump gets the keyring's password through PGPASSWORD (scram-sha-256 here), never on its command line
    code, out, err = run(capsys, monkeypatch, "--data-dir", data_dir, "backup", "create")
    assert code == 0 and "已备份办公室数据库" in out, err
    code, out, err = run(capsys, monkeypatch, "--data-dir", data_dir, "export", "--out", data_dir / "x.db")
    assert code == 0 and "已导出" in out, err
    code, out, _ = run(capsys, monkeypatch, "--data-dir", data_dir, "office", "forget")
    assert code == 0 and memory_keyring.items == {}
    assert json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))["office_database"] is None


def test_a_wrong_password_is_refused_and_nothing_is_saved(office_url, data_dir, memory_keyring, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "--data-dir", data_dir, "office", "connect", office_url,
                         "--password-stdin", stdin="wrong\n")
    assert code != 0 and err.startswith("错误：") and "wrong" not in err
    assert memory_keyring.items == {} and not (data_dir / "settings.json").exists()


def test_without_a_keyring_the_password_is_refused_with_the_alternatives(office_url, data_dir, capsys, monkeypatch):
    from keyring.backends.fail import Keyring as NoKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        code, _, err = run(capsys, monkeypatch, "--data-dir", data_dir, "office", "connect", office_url,
                           "--password-stdin", stdin="Pw-4-office\n")
    finally:
        keyring.set_keyring(previous)
    assert code != 0 and "PGPASSWORD" in err and not (data_dir / "settings.json").exists()
