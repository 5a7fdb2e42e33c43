"""Commands for verifiable printouts: ``verify`` (a PDF, a photo or scan of the page, or the QR's text)
and ``keys`` (the laptop's signing key and certificate; the office's key, certification, revocation).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from inspector.errors import UserError


def register(subparsers) -> None:
    verify = subparsers.add_parser("verify", help="核验文书：PDF、文书照片或扫描件，或二维码文字")
    verify.add_argument("path", type=Path, nargs="?", metavar="FILE", help="文书 PDF，或拍摄/扫描的图片（JPEG、PNG）")
    verify.add_argument("--text", help="二维码中的文字（用扫码软件读出后粘贴）")
    verify.set_defaults(handler=run_verify)
    keys = subparsers.add_parser("keys", help="文书签名密钥：本机密钥与证书；办公室密钥、认证、吊销")
    sub = keys.add_subparsers(dest="keys_command", metavar="command", required=True)
    sub.add_parser("status", help="本机签名密钥与证书的状态").set_defaults(handler=run_status)
    request = sub.add_parser("request", help="生成本机的认证申请（交办公室认证）")
    request.add_argument("--label", default="", help="说明（如本机的检查人员）")
    request.set_defaults(handler=run_request)
    install = sub.add_parser("install", help="安装办公室签发的本机证书")
    install.add_argument("certificate", help="证书文字，或存有证书的文件")
    install.set_defaults(handler=run_install)
    _register_office(sub)


def _register_office(sub) -> None:
    create = sub.add_parser("office-create", help="（办公室）新建办公室密钥，并写出核验配置 trust.yaml")
    create.add_argument("--id", required=True, dest="key_id", help="密钥编号，如 XG2026")
    create.add_argument("--name", required=True, help="认证机关名称，如 兴国县应急管理局")
    create.add_argument("--out", required=True, type=Path, help="私钥文件（妥善保管，不得拷到检查用笔记本）")
    create.add_argument("--trust", required=True, type=Path, help="要写出或更新的核验配置 trust.yaml（轮换时给出旧文件）")
    create.add_argument("--passphrase-env", metavar="VAR", help="私钥口令所在的环境变量")
    create.set_defaults(handler=run_office_create)
    certify = sub.add_parser("certify", help="（办公室）认证一台笔记本的申请，输出证书")
    certify.add_argument("request", help="认证申请文字，或存有申请的文件")
    certify.add_argument("--office-key", required=True, type=Path)
    certify.add_argument("--id", required=True, dest="key_id", help="办公室密钥编号")
    certify.add_argument("--serial", required=True, type=int, help="证书序号（每台笔记本不同，吊销时用）")
    certify.add_argument("--valid-until", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    certify.add_argument("--passphrase-env", metavar="VAR")
    certify.set_defaults(handler=run_certify)
    revoke = sub.add_parser("revoke", help="（办公室）吊销一台笔记本的证书，更新 trust.yaml")
    revoke.add_argument("--trust", required=True, type=Path)
    revoke.add_argument("--id", required=True, dest="key_id", help="签发该证书的办公室密钥编号")
    revoke.add_argument("--serial", required=True, type=int)
    revoke.add_argument("--reason", required=True, help="吊销原因，如 笔记本丢失")
    revoke.add_argument("--on", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    revoke.set_defaults(handler=run_revoke)


# --- verify ----------------------------------------------------------------------------------

def run_verify(args, services) -> int:
    """This database's own record decides when it holds the document; otherwise the signed QR does."""
    from inspector.core.documents.printout import verify_bytes
    from inspector.core.documents.seal import check_seal
    from inspector.core.documents.trust import load_trust

    if (args.path is None) == (args.text is None):
        raise UserError("请给出要核验的文件，或用 --text 给出二维码文字（二者选一）。")
    data = _read_input(args.path) if args.path else None
    local = _local_verdict(services, data) if data is not None and data.startswith(b"%PDF") else None
    if local is not None:
        print(local.message, file=sys.stdout if local.ok else sys.stderr)
        return 0 if local.ok else 1
    trust = load_trust(services.paths.root)
    check = check_seal(args.text, trust) if data is None else verify_bytes(data, trust)
    print(check.message, file=sys.stdout if check.authentic else sys.stderr)
    if check.facts and check.status != "forged":
        print(_facts_line(check.facts))
    return 0 if check.authentic else 1


def _local_verdict(services, data: bytes):
    """The local database's verdict on a PDF when it holds that document (or its number); else None."""
    from inspector.core.documents.notices import verify_pdf

    result = verify_pdf(services.db, data)
    return None if result.status == "unknown" else result


def _facts_line(facts: dict[str, str]) -> str:
    from inspector.core.documents.notices import KIND_NAMES

    kind = KIND_NAMES.get(facts["kind"], facts["kind"])
    number = facts["number"] or "（未编号）"
    return (f"二维码记载：{kind} {number}；企业 {facts['enterprise']}（{facts['credit_code'] or '无信用代码'}）；"
            f"日期 {facts['issued_on']}；隐患 {facts['hazards']} 项。请与纸面核对。")


def _read_input(path: Path) -> bytes:
    from inspector.core.documents.printout import MAX_INPUT_BYTES

    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise UserError(f"{path} 过大，不是文书的 PDF 或照片。")
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到文件 {path}。") from None
    except IsADirectoryError:
        raise UserError(f"{path} 是文件夹，不是文件。") from None
    except PermissionError:
        raise UserError(f"没有读取 {path} 的权限。") from None
    except OSError:
        raise UserError(f"无法读取 {path}（设备出错或已拔出）。") from None


# --- keys ------------------------------------------------------------------------------------

def run_status(args, services) -> int:
    from inspector.core.documents.keys import device_status

    status = device_status(services.db, data_dir=services.paths.root)  # trust.yaml of this PC
    print(f"本机设备：{status.device_id}")
    print(f"签名公钥：{status.public_key}")
    if status.certificate_serial is None:
        print("证书：未安装。请用 inspector keys request 生成认证申请，交办公室认证后用 inspector keys install 安装。")
        return 0
    trusted = "" if status.trusted else "（注意：本机的核验配置中没有该办公室密钥）"
    print(f"证书：{status.certificate_serial} 号，{status.office_key_id} 认证，有效期至 {status.certificate_until}{trusted}")
    return 0


def run_request(args, services) -> int:
    from inspector.core.documents.keys import device_request

    print(device_request(services.db, args.label))
    return 0


def run_install(args, services) -> int:
    from inspector.core.documents.keys import install_device_certificate

    status = install_device_certificate(services.db, _text_or_file(args.certificate), data_dir=services.paths.root)
    note = "" if status.trusted else "；注意：本机的核验配置中没有该办公室密钥，离线核验会提示不能确认"
    print(f"已安装证书 {status.certificate_serial} 号（{status.office_key_id} 认证，有效期至 {status.certificate_until}）{note}。")
    return 0


def run_office_create(args, services) -> int:
    from inspector.core.common.atomic_file import write_atomically
    from inspector.core.documents.keys import create_office_key, trust_with_key

    _refuse_existing(args.out)
    pem, key = create_office_key(args.key_id, args.name, _passphrase(args.passphrase_env))
    trust = trust_with_key(args.trust if args.trust.exists() else None, key)
    write_atomically(args.out, pem)
    os.chmod(args.out, 0o600)
    write_atomically(args.trust, trust.encode("utf-8"))
    print(f"已新建办公室密钥 {key.key_id}：私钥 {args.out}（妥善保管），核验配置 {args.trust}（随程序分发）。")
    return 0


def run_certify(args, services) -> int:
    from inspector.core.documents.keys import certify_request

    pem = _read_input(args.office_key)
    certificate, label = certify_request(_text_or_file(args.request), pem, _passphrase(args.passphrase_env),
                                         args.key_id, args.serial, args.valid_until)
    print(f"已认证{('：' + label) if label else ''}。证书如下（交该笔记本用 inspector keys install 安装）：", file=sys.stderr)
    print(certificate)
    return 0


def run_revoke(args, services) -> int:
    from inspector.core.common.atomic_file import write_atomically
    from inspector.core.common.clock import local_today
    from inspector.core.documents.keys import trust_with_revocation
    from inspector.core.documents.trust import Revocation

    revocation = Revocation(args.serial, args.key_id, args.on or local_today(), args.reason.strip())
    write_atomically(args.trust, trust_with_revocation(args.trust, revocation).encode("utf-8"))
    print(f"已吊销证书 {args.serial} 号（{args.reason}）。请把更新后的 {args.trust} 分发给各核验方。")
    return 0


def _text_or_file(value: str) -> str:
    path = Path(value)
    if len(value) < 4096 and path.is_file():
        return _read_input(path).decode("utf-8", errors="replace").strip()
    return value.strip()


def _passphrase(variable: str | None) -> str | None:
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        raise UserError(f"环境变量 {variable} 未设置口令。")
    return value


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise UserError(f"{path} 已存在：不覆盖已有的私钥文件。")
