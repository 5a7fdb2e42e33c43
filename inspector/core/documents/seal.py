"""The signed QR code of an issued document, and its check without the issuing database.

The QR text (also stored in the PDF's ``/XGAQPayload``) is one line::

    XGAQ2|kind|number|credit code|enterprise (first 20 characters)|YYYY-MM-DD|hazards|hash|signature|certificate

``hash`` is the first 16 bytes of the document's content hash (base64url); ``signature`` is the
issuing laptop's Ed25519 signature over everything before it; ``certificate`` is the office's
certificate for that laptop key (:mod:`.signing`), or ``K`` + the bare public key while the
laptop has none yet. Anyone holding the office's public key (:mod:`.trust`) can tell whether
the printed facts are authentic and which laptop issued them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .payload import SIGNED_FACTS, SIGNED_TAG, content_hash
from .signing import (
    CERT_META, KEY_META, SigningError, b64, new_private_key, parse_certificate, private_from_raw, raw_private,
    raw_public, signature_valid, unb64,
)

if TYPE_CHECKING:
    from .model import DocumentData
    from .trust import Trust

NAME_CHARS = 20
TAG, FACTS = SIGNED_TAG, SIGNED_FACTS


@dataclass(frozen=True)
class DeviceSigner:
    device_id: str
    private_raw: bytes
    certificate: str | None  # the installed certificate line, if it is for this key

    def seal(self, data: "DocumentData") -> str:
        body = "|".join([TAG, *(_clean(str(value)) for value in facts_of(data, content_hash(data)).values())])
        signature = private_from_raw(self.private_raw).sign(body.encode("utf-8"))
        holder = self.certificate or "K" + b64(raw_public(private_from_raw(self.private_raw)))
        return f"{body}|{b64(signature)}|{holder}"


def facts_of(data: "DocumentData", full_hash: str) -> dict[str, Any]:
    return {
        "kind": data.kind.value, "number": data.number or "", "credit_code": data.enterprise.credit_code,
        "enterprise": data.enterprise.name[:NAME_CHARS], "issued_on": data.issued_on.isoformat(),
        "hazards": len(data.hazards), "content_hash": b64(bytes.fromhex(full_hash)[:16]),
    }


def _clean(text: str) -> str:
    return text.replace("|", "").replace("\n", " ").strip()


# --- the laptop's key, kept in local_meta (never exported) ----------------------------------

def device_signer(connection, device_id: str) -> DeviceSigner:
    """This laptop's signer; creates its key on first use. ``connection`` is an SQLAlchemy connection.

    A key stored for another device id (a copied data directory that was re-keyed) is replaced:
    the copy must not sign as the original laptop.
    """
    stored = _meta(connection, KEY_META)
    owner, _, raw = (stored or "").partition(":")
    if owner != device_id or not raw:
        raw = b64(raw_private(new_private_key()))
        _set_meta(connection, KEY_META, f"{device_id}:{raw}")
        _delete_meta(connection, CERT_META)
    private_raw = unb64(raw)
    certificate = _meta(connection, CERT_META)
    return DeviceSigner(device_id, private_raw, certificate if _is_for(certificate, device_id, private_raw) else None)


def install_certificate(connection, device_id: str, text: str) -> None:
    """Store the office's certificate; refuses one made for another laptop or another key."""
    signer = device_signer(connection, device_id)
    certificate = parse_certificate(text)
    if certificate.device_id != device_id or certificate.device_public != raw_public(private_from_raw(signer.private_raw)):
        raise SigningError("该证书不是为本设备的密钥签发的（设备或密钥不符），未安装。")
    _set_meta(connection, CERT_META, certificate.text())


def _is_for(text: str | None, device_id: str, private_raw: bytes) -> bool:
    if not text:
        return False
    try:
        certificate = parse_certificate(text)
    except SigningError:
        return False
    return certificate.device_id == device_id and certificate.device_public == raw_public(private_from_raw(private_raw))


def _meta(connection, key: str) -> str | None:
    from sqlalchemy import text

    row = connection.execute(text("SELECT value FROM local_meta WHERE key = :k"), {"k": key}).fetchone()
    return row[0] if row else None


def _set_meta(connection, key: str, value: str) -> None:
    """Insert or replace, without ON CONFLICT (portable SQL: see docs/office-postgresql.md)."""
    from sqlalchemy import text

    values = {"k": key, "v": value}
    if connection.execute(text("UPDATE local_meta SET value = :v WHERE key = :k"), values).rowcount == 0:
        connection.execute(text("INSERT INTO local_meta (key, value) VALUES (:k, :v)"), values)


def _delete_meta(connection, key: str) -> None:
    from sqlalchemy import text

    connection.execute(text("DELETE FROM local_meta WHERE key = :k"), {"k": key})


# --- checking a QR text offline -----------------------------------------------------------------

@dataclass(frozen=True)
class SealCheck:
    status: str  # authentic | revoked | expired | untrusted | uncertified | forged | unsigned | draft | unreadable
    message: str
    facts: dict[str, str] = field(default_factory=dict)
    device_id: str | None = None
    serial: int | None = None

    @property
    def authentic(self) -> bool:
        return self.status == "authentic"


def check_seal(text: str, trust: "Trust") -> SealCheck:
    """Whether a QR text's facts are authentic under ``trust``; never raises on foreign input."""
    parts = text.strip().split("|")
    if parts and parts[0] == "XGAQ1":
        if len(parts) > 2 and not parts[2]:
            return SealCheck("draft", "该文书是未编号的草稿，不是签发的文书。")
        return SealCheck("unsigned", "该二维码没有签名（本程序早期版本签发）：只能由签发机关比对其数据库核验。")
    if len(parts) != 1 + len(FACTS) + 2 or parts[0] != TAG:
        return SealCheck("unreadable", "这不是本程序签发文书的核验二维码。")
    facts = dict(zip(FACTS, parts[1:1 + len(FACTS)]))
    body, signature, holder = "|".join(parts[:1 + len(FACTS)]), parts[-2], parts[-1]
    try:
        signature_raw = unb64(signature)
        public, certificate = _holder_key(holder)
    except (SigningError, ValueError):
        return SealCheck("unreadable", "核验二维码中的证书无法读取。", facts)
    if not signature_valid(public, signature_raw, body.encode("utf-8")):
        return SealCheck("forged", "二维码中的文书信息与签名不符：信息被改动过，或系伪造。", facts)
    if certificate is None:
        return SealCheck("uncertified", "签名完整，但签发设备的密钥未经办公室认证：不能确认是签发机关的文书。", facts)
    return _judge_certificate(certificate, facts, trust)


def _holder_key(holder: str):
    if holder.startswith("K"):
        public = unb64(holder[1:])
        if len(public) != 32:
            raise SigningError("bad key")
        return public, None
    certificate = parse_certificate(holder)
    return certificate.device_public, certificate


def _judge_certificate(certificate, facts: dict[str, str], trust: "Trust") -> SealCheck:
    ids = {"device_id": certificate.device_id, "serial": certificate.serial}
    office = trust.office_keys.get(certificate.office_key_id)
    if office is None or not signature_valid(office.public, certificate.signature, certificate.signed_part):
        return SealCheck("untrusted", f"签发设备的证书不是由已知的办公室密钥（{certificate.office_key_id}）签发的："
                         "不能确认真伪。", facts, **ids)
    revoked = trust.revoked(certificate.office_key_id, certificate.serial)
    if revoked is not None:
        reason = f"（{revoked.reason}）" if revoked.reason else ""
        return SealCheck("revoked", f"签发设备的证书已于 {revoked.on.isoformat()} 吊销{reason}：此文书须向签发机关核实。",
                         facts, **ids)
    issued = _day(facts["issued_on"])
    if issued is None or issued > certificate.valid_until:
        return SealCheck("expired", f"文书日期晚于签发设备证书的有效期（至 {certificate.valid_until.isoformat()}）：不能确认真伪。",
                         facts, **ids)
    who = f"设备 {certificate.device_id[:8]}（证书 {certificate.serial} 号，{office.name or office.key_id} 认证）"
    return SealCheck("authentic", f"真实：二维码中的文书信息由{who}签名，未被改动。", facts, **ids)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
