"""Whom a verifier trusts: the office's public keys and the revoked laptop certificates.

The bundled ``resources/trust.yaml`` is what ships with the app; an office hands out a newer
``trust.yaml`` (new keys after a rotation, revocations of lost laptops) that a user puts in the
data directory, where it is read *in addition* to the bundled one. Both files are small and
read through the bounded YAML loader rules: plain mappings and lists, no aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from inspector.errors import UserError

TRUST_FILE = "trust.yaml"
MAX_TRUST_BYTES = 256 * 1024


@dataclass(frozen=True)
class OfficeKey:
    key_id: str
    public: bytes
    name: str = ""


@dataclass(frozen=True)
class Revocation:
    serial: int
    office_key_id: str
    on: date
    reason: str = ""


@dataclass(frozen=True)
class Trust:
    office_keys: dict[str, OfficeKey] = field(default_factory=dict)
    revocations: tuple[Revocation, ...] = ()

    def revoked(self, office_key_id: str, serial: int) -> Revocation | None:
        return next((r for r in self.revocations if r.serial == serial and r.office_key_id == office_key_id), None)


def load_trust(data_dir: Path | None = None) -> Trust:
    """The bundled trust file plus the data directory's, if there is one."""
    from inspector.paths import resources_dir

    files = [resources_dir() / TRUST_FILE] + ([Path(data_dir) / TRUST_FILE] if data_dir else [])
    keys: dict[str, OfficeKey] = {}
    revocations: list[Revocation] = []
    for trust in (read_trust_file(path) for path in files if path.is_file()):
        keys.update(trust.office_keys)
        revocations += trust.revocations
    return Trust(keys, tuple(revocations))


def read_trust_file(path: Path) -> Trust:
    document = _read(Path(path))
    keys = [_office_key(entry) for entry in document.get("office_keys") or []]
    return Trust({key.key_id: key for key in keys}, tuple(_revocation(entry) for entry in document.get("revoked") or []))


def trust_text(keys: list[OfficeKey], revocations: list[Revocation]) -> str:
    """A trust file an office hands out (used by ``inspector keys`` commands)."""
    import yaml

    from inspector.core.documents.signing import b64

    document = {
        "office_keys": [{"id": k.key_id, "name": k.name, "public_key": b64(k.public)} for k in keys],
        "revoked": [{"serial": r.serial, "office_key": r.office_key_id, "on": r.on.isoformat(), "reason": r.reason}
                    for r in revocations],
    }
    header = "# 兴国经开区安全检查：核验文书所用的办公室公钥与已吊销的设备证书（由办公室分发）\n"
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _read(path: Path) -> dict:
    import yaml

    if path.stat().st_size > MAX_TRUST_BYTES:
        raise UserError(f"核验配置 {path} 过大，不是本程序的文件。")
    text = path.read_text(encoding="utf-8")
    _refuse_aliases(path, text)
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"核验配置 {path} 格式不对：{exc.__class__.__name__}。") from exc
    if not isinstance(document, dict):
        raise UserError(f"核验配置 {path} 格式不对。")
    return document


def _refuse_aliases(path: Path, text: str) -> None:
    import yaml

    try:
        aliased = any(isinstance(token, (yaml.AliasToken, yaml.AnchorToken)) for token in yaml.scan(text))
    except yaml.YAMLError as exc:
        raise UserError(f"核验配置 {path} 格式不对：{exc.__class__.__name__}。") from exc
    if aliased:
        raise UserError(f"核验配置 {path} 含有 YAML 别名，不予读取。")


def _office_key(entry: dict) -> OfficeKey:
    from inspector.core.documents.signing import unb64

    try:
        public = unb64(str(entry["public_key"]))
        key = OfficeKey(str(entry["id"]), public, str(entry.get("name", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError("核验配置中的办公室公钥格式不对。") from exc
    if len(public) != 32:
        raise UserError(f"核验配置中的办公室公钥 {key.key_id} 长度不对。")
    return key


def _revocation(entry: dict) -> Revocation:
    try:
        return Revocation(int(entry["serial"]), str(entry["office_key"]), date.fromisoformat(str(entry["on"])),
                          str(entry.get("reason", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError("核验配置中的吊销记录格式不对。") from exc
