"""Keys that make a printout verifiable without the issuing database.

Three keys, all Ed25519 (through ``cryptography``):

- the **office key** (kept in the office, never on a laptop) certifies laptop keys;
  its *public* half ships in ``resources/trust.yaml`` (see :mod:`.trust`);
- each **laptop key** (``local_meta`` of the laptop's database, never exported) signs the
  facts of every document the laptop issues (:mod:`.seal`);
- a **certificate** is the office's signature over one laptop key, its device id, a serial
  number and a validity end; the laptop prints it in each QR code, so a verifier needs only
  the office's public key.

A certificate is one line of text: ``XGC1.`` + base64url of
``device id (16 bytes) | laptop public key (32) | serial (u32) | valid until (u16 days since
2000-01-01) | office key id (ASCII, 1-16 bytes)`` + ``.`` + base64url of the office signature
over the bytes before it.
"""

from __future__ import annotations

import base64
import struct
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from inspector.errors import UserError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

CERT_TAG = "XGC1"
EPOCH = date(2000, 1, 1)
_FIXED = struct.Struct(">16s32sIH")
KEY_META = "signing_key"  # local_meta: "<device id>:<base64url raw private key>"
CERT_META = "signing_certificate"  # local_meta: the installed certificate line


class SigningError(UserError):
    """A key, certificate or request that cannot be used."""


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- keys ------------------------------------------------------------------------------------

def new_private_key() -> "Ed25519PrivateKey":
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def raw_private(key: "Ed25519PrivateKey") -> bytes:
    from cryptography.hazmat.primitives import serialization as s

    return key.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())


def raw_public(key: "Ed25519PrivateKey") -> bytes:
    from cryptography.hazmat.primitives import serialization as s

    return key.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)


def private_from_raw(raw: bytes) -> "Ed25519PrivateKey":
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(raw)


def signature_valid(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def office_key_pem(key: "Ed25519PrivateKey", passphrase: str | None) -> bytes:
    """The office key as PKCS#8 PEM, encrypted when a passphrase is given."""
    from cryptography.hazmat.primitives import serialization as s

    encryption = s.BestAvailableEncryption(passphrase.encode("utf-8")) if passphrase else s.NoEncryption()
    return key.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, encryption)


def load_office_key(pem: bytes, passphrase: str | None) -> "Ed25519PrivateKey":
    from cryptography.hazmat.primitives import serialization as s
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = s.load_pem_private_key(pem, passphrase.encode("utf-8") if passphrase else None)
    except (ValueError, TypeError) as exc:
        raise SigningError("无法读取办公室私钥：文件不是私钥，或口令不对。") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError("办公室私钥不是 Ed25519 密钥。")
    return key


# --- certificates ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Certificate:
    device_id: str
    device_public: bytes
    serial: int
    valid_until: date
    office_key_id: str
    signature: bytes

    @property
    def signed_part(self) -> bytes:
        days = (self.valid_until - EPOCH).days
        fixed = _FIXED.pack(uuid.UUID(self.device_id).bytes, self.device_public, self.serial, days)
        return fixed + self.office_key_id.encode("ascii")

    def text(self) -> str:
        return f"{CERT_TAG}.{b64(self.signed_part)}.{b64(self.signature)}"


def certify(office_key: "Ed25519PrivateKey", office_key_id: str, device_id: str, device_public: bytes,
            serial: int, valid_until: date) -> Certificate:
    """The office's certificate for one laptop key."""
    check_key_id(office_key_id)
    if not 0 < serial < 2**32:
        raise SigningError("证书序号须为 1 至 4294967295 之间的整数。")
    if not EPOCH < valid_until < EPOCH + timedelta(days=65535):
        raise SigningError("证书有效期不在可表示的范围内。")
    unsigned = Certificate(device_id, device_public, serial, valid_until, office_key_id, b"")
    return Certificate(device_id, device_public, serial, valid_until, office_key_id, office_key.sign(unsigned.signed_part))


def parse_certificate(text: str) -> Certificate:
    """A certificate line back as data; raises SigningError on anything malformed (never other errors)."""
    try:
        tag, body, signature = text.strip().split(".")
        raw = unb64(body)
        device, public, serial, days = _FIXED.unpack(raw[:_FIXED.size])
        key_id = raw[_FIXED.size:].decode("ascii")
        sig = unb64(signature)
    except (ValueError, struct.error, UnicodeDecodeError) as exc:
        raise SigningError("证书格式不对。") from exc
    if tag != CERT_TAG or not key_id or len(sig) != 64:
        raise SigningError("证书格式不对。")
    return Certificate(str(uuid.UUID(bytes=device)), public, serial, EPOCH + timedelta(days=days), key_id, sig)


def check_key_id(key_id: str) -> None:
    if not (1 <= len(key_id) <= 16 and key_id.isascii() and key_id.replace("-", "").isalnum()):
        raise SigningError("办公室密钥编号须为 1 至 16 位字母、数字或连字符。")


# --- certificate requests: what a laptop hands to the office ---------------------------------

REQUEST_TAG = "XGR1"


def request_text(device_id: str, device_public: bytes, label: str) -> str:
    """A laptop's certification request: its device id, public key and a label (e.g. its inspectors)."""
    return f"{REQUEST_TAG}.{uuid.UUID(device_id).hex}.{b64(device_public)}.{b64(label.encode('utf-8'))}"


def parse_request(text: str) -> tuple[str, bytes, str]:
    try:
        tag, device, public, label = text.strip().split(".")
        parsed = (str(uuid.UUID(hex=device)), unb64(public), unb64(label).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SigningError("认证申请格式不对。") from exc
    if tag != REQUEST_TAG or len(parsed[1]) != 32:
        raise SigningError("认证申请格式不对。")
    return parsed
