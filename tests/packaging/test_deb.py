"""The .deb installs into a clean Debian 12 (no Python at all) and works there: CLI, documents, sync, GUI.

Marked ``packaging`` (a few minutes the first time, then cached): deselect locally with
``-m "not packaging"``; ``.ci/run`` runs it. Needs root (mmdebstrap, chroot, mount); skips saying so
elsewhere. The window's screenshot is kept in ``build/packaging-test/window.png``.
"""

from __future__ import annotations

import os
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.packaging import debroot

pytestmark = pytest.mark.packaging
SHOTS = debroot.ROOT / "build" / "packaging-test"
DATA = "/root/inspector-data"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh Debian root with ``apt-get install ./inspector_*.deb`` done."""
    reason = debroot.why_not_possible()
    if reason:
        pytest.skip(reason)
    deb = debroot.built_deb()
    with debroot.debian_root(tmp_path_factory.mktemp("debroot")) as root:
        assert root.sh("command -v python3 || echo none").stdout.strip() == "none", "the root must have no Python"
        shutil.copy(deb, root.path / "tmp" / "inspector_test.deb")
        root.sh("apt-get update -qq", timeout=300)
        root.install_log = root.sh("apt-get install -y -q --no-install-recommends /tmp/inspector_test.deb",
                                   timeout=600).stdout
        yield root


def inspector(root, arguments: str, check: bool = True):
    return root.sh(f"inspector --data-dir {DATA} {arguments}", timeout=120, check=check)


def test_the_package_installs_its_files_and_dependencies(installed):
    control = installed.sh("dpkg-query -W -f='${Depends}' inspector").stdout
    assert "libc6 (>=" in control and "libxcb1" in control and "fontconfig-config" in control
    for path in ("/opt/inspector/inspector", "/usr/bin/inspector", "/usr/share/applications/inspector.desktop",
                 "/usr/share/icons/hicolor/256x256/apps/inspector.png"):
        assert (installed.path / path.lstrip("/")).exists(), path
    # ReportLab's C accelerators (rl-accel): without them it falls back to Python silently, 5 % slower notices
    assert list((installed.path / "opt/inspector").rglob("_rl_accel*.so")), "_rl_accel is not in the bundle"
    desktop = (installed.path / "usr/share/applications/inspector.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=安全生产检查" in desktop and "Icon=inspector" in desktop


def test_version_demo_notice_export_and_verify_in_the_clean_root(installed):
    from inspector import __version__

    assert inspector(installed, "--version").stdout.startswith(f"inspector {__version__} (database schema ")
    assert "已生成" in inspector(installed, "demo").stdout
    year = time.localtime().tm_year
    # the demo holds blocks 1–100 of this year: a block of our own after them
    inspector(installed, f"numbers block add --kind order --year {year} --first 901 --last 950")
    rows = json.loads(inspector(installed, "inspections --json").stdout)
    issued = None  # the demo's inspections: some are fire-only, some past their deadlines, some already ordered
    for row in (r for r in rows if r["hazards"] and not r["industry"].startswith("消防")):
        done = inspector(installed, f"notice {row['id']} --kind order --issue --out /root/notice.pdf", check=False)
        if done.returncode == 0:
            issued = done.stdout
            break
        assert "错误：" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert issued and "号" in issued
    assert (installed.path / "root" / "notice.pdf").stat().st_size > 10_000
    assert "与本数据库签发的文书一致" in inspector(installed, "verify /root/notice.pdf").stdout
    inspector(installed, "export --out /root/office.db")
    assert (installed.path / "root" / "office.db").stat().st_size > 10_000
    tampered = installed.path / "root" / "tampered.pdf"
    tampered.write_bytes((installed.path / "root" / "notice.pdf").read_bytes().replace(b"%%EOF", b"%%EOF\n% x"))
    assert inspector(installed, "verify /root/tampered.pdf", check=False).returncode != 0


def _free_display() -> int:
    for number in range(150, 199):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise AssertionError("no free X display number")


def _windows(display: int) -> str:
    return subprocess.run(["xwininfo", "-root", "-children"], capture_output=True, text=True,
                          env=dict(os.environ, DISPLAY=f":{display}")).stdout


def _settled_screenshot(display: int, target: Path, timeout: float = 60, least: float = 10) -> Path:
    """The screen once the window has finished loading (the database loads in the background): at least
    ``least`` seconds after it appeared, and unchanged over the last three screenshots a second apart."""
    from PIL import Image

    started, recent = time.monotonic(), []
    while time.monotonic() < started + timeout:
        time.sleep(1)
        debroot.run("import", "-display", f":{display}", "-window", "root", str(target))
        recent = (recent + [Image.open(target).tobytes()])[-3:]
        if time.monotonic() > started + least and len(recent) == 3 and len(set(recent)) == 1:
            break
    return target


def test_the_window_opens_on_real_xcb_under_xvfb(installed):
    for tool, package in (("Xvfb", "xvfb"), ("xwininfo", "x11-utils"), ("import", "imagemagick")):
        if not shutil.which(tool):
            assert debroot.host_install(package), f"apt-get could not install {package}"
    display = _free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = None
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{display}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        app = installed.popen(f"exec inspector --data-dir {DATA}", {"DISPLAY": f":{display}",
                                                                   "QT_QPA_PLATFORM": "xcb"})
        deadline = time.monotonic() + 60
        while '"inspector" "Inspector"' not in _windows(display) and time.monotonic() < deadline:
            assert app.poll() is None, f"the app exited: {app.stdout.read()}"
            time.sleep(0.3)
        tree = _windows(display)
        assert '"inspector" "Inspector"' in tree, tree  # WM_CLASS: grouped under the desktop file's icon
        assert "兴国经开区安全生产检查" in tree
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = _settled_screenshot(display, SHOTS / "window.png")
        from PIL import Image, ImageStat

        image = Image.open(shot).convert("L")
        assert image.size == (1366, 768) and ImageStat.Stat(image).stddev[0] > 10, "the screen is blank"
        app.terminate()
        output = app.communicate(timeout=10)[0]
        assert "Fontconfig error" not in output and "Could not load the Qt platform plugin" not in output, output
    finally:
        if app is not None and app.poll() is None:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
        xvfb.terminate()
        xvfb.wait(10)


def test_removing_the_package_keeps_the_data(installed):
    inspector(installed, "demo")
    installed.sh("apt-get purge -y -q inspector")
    assert not (installed.path / "opt" / "inspector").exists()
    assert not (installed.path / "usr" / "bin" / "inspector").exists()
    assert (installed.path / DATA.lstrip("/") / "inspector.db").stat().st_size > 10_000
