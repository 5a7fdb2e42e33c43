"""Key management for verifiable printouts, as the office and a laptop do it (see docs/verification.md).

Office: :func:`create_office_key` once (and again to rotate), :func:`certify_request` for each
laptop, :func:`revoke` a lost laptop; each step gives a new trust file to hand out.
Laptop: :func:`device_request` (hand it to the office), :func:`install_device_certificate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .signing import (
    SigningError, b64, certify, check_key_id, load_office_key, new_private_key, office_key_pem, parse_certificate, parse_request,
    private_from_raw, raw_public, request_text,
)
from .trust import OfficeKey, Revocation, Trust, load_trust, read_trust_file, trust_text

if TYPE_CHECKING:
    from inspector.db.database import Database


@dataclass(frozen=True)
class DeviceKeyStatus:
    device_id: str
    public_key: str  # base64url
    certificate_serial: int | None
    certificate_until: date | None
    office_key_id: str | None
    trusted: bool  # the certificate's office key is in this installation's trust file


def _connection(db: "Database"):
    return db.engine.begin()


def device_status(db: "Database", trust: Trust | None = None, *, data_dir: Path | None = None) -> DeviceKeyStatus:
    """The key and certificate kept in ``db``; trusted against ``trust``, else the bundled trust file plus
    the one in ``data_dir`` (the data directory of this PC, where an office hands out ``trust.yaml``;
    on a laptop the database file's folder when not given; an office server database has no folder)."""
    from .seal import device_signer

    with _connection(db) as connection:
        signer = device_signer(connection, db.device_id)
    public = b64(raw_public(private_from_raw(signer.private_raw)))
    if signer.certificate is None:
        return DeviceKeyStatus(db.device_id, public, None, None, None, False)
    certificate = parse_certificate(signer.certificate)
    trust = trust or load_trust(data_dir if data_dir is not None else _database_folder(db))
    return DeviceKeyStatus(db.device_id, public, certificate.serial, certificate.valid_until,
                           certificate.office_key_id, certificate.office_key_id in trust.office_keys)


def _database_folder(db: "Database") -> Path | None:
    return db.path.parent if db.path is not None else None


def device_request(db: "Database", label: str) -> str:
    """This laptop's certification request (creates its key on first use)."""
    from .seal import device_signer

    with _connection(db) as connection:
        signer = device_signer(connection, db.device_id)
    return request_text(db.device_id, raw_public(private_from_raw(signer.private_raw)), label.strip())


def install_device_certificate(db: "Database", text: str, *, data_dir: Path | None = None) -> DeviceKeyStatus:
    from .seal import install_certificate

    with _connection(db) as connection:
        install_certificate(connection, db.device_id, text)
    return device_status(db, data_dir=data_dir)


# --- office side ---------------------------------------------------------------------------------

def create_office_key(key_id: str, name: str, passphrase: str | None) -> tuple[bytes, OfficeKey]:
    """A new office key: its PEM (to keep in the office) and its public half (for the trust file)."""
    check_key_id(key_id)
    key = new_private_key()
    return office_key_pem(key, passphrase), OfficeKey(key_id, raw_public(key), name.strip())


def certify_request(request: str, office_pem: bytes, passphrase: str | None, key_id: str, serial: int,
                    valid_until: date) -> tuple[str, str]:
    """(certificate line, label of the laptop) for a laptop's request."""
    device_id, public, label = parse_request(request)
    key = load_office_key(office_pem, passphrase)
    return certify(key, key_id, device_id, public, serial, valid_until).text(), label


def trust_with_key(existing: Path | None, key: OfficeKey) -> str:
    """A trust file's text: the existing file's keys and revocations plus ``key`` (rotation keeps old keys)."""
    trust = _read_trust_file(existing)
    if key.key_id in trust.office_keys and trust.office_keys[key.key_id].public != key.public:
        raise SigningError(f"核验配置中已有编号为 {key.key_id} 的另一把办公室密钥：请换一个编号。")
    return trust_text([*(k for k in trust.office_keys.values() if k.key_id != key.key_id), key], list(trust.revocations))


def trust_with_revocation(existing: Path, revocation: Revocation) -> str:
    trust = _read_trust_file(existing)
    if revocation.office_key_id not in trust.office_keys:
        raise SigningError(f"核验配置中没有办公室密钥 {revocation.office_key_id}。")
    if trust.revoked(revocation.office_key_id, revocation.serial):
        raise SigningError(f"证书 {revocation.serial} 号已经吊销。")
    return trust_text(list(trust.office_keys.values()), [*trust.revocations, revocation])


def _read_trust_file(path: Path | None) -> Trust:
    return read_trust_file(Path(path)) if path is not None and Path(path).exists() else Trust()
