"""Translations: every UI string goes through Qt's ``tr()``; zh_CN is loaded by default.

Each module of ``inspector/ui`` has its own ``resources/translations/zh_CN/<module>.ts``
(Qt Linguist source, committed); all of them compile into one catalogue, ``inspector.qm`` beside
them (one translator to load and search instead of forty: 3–4 ms less before the first frame,
and one lookup per string). Developer commands::

    python -m inspector.ui.i18n update          # lupdate every module, then lrelease
    python -m inspector.ui.i18n missing         # list untranslated strings
    python -m inspector.ui.i18n fill FILE.json  # {"English source": "中文"} into unfinished entries

Set ``INSPECTOR_LANG=en`` to run the app untranslated (English source strings).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from inspector.paths import resources_dir

UI_DIR = Path(__file__).resolve().parent
LANGUAGE = "zh_CN"
CATALOGUE = "inspector.qm"  # every module's .ts compiled together


def translations_dir(language: str = LANGUAGE) -> Path:
    return resources_dir() / "translations" / language


def catalogue_path(language: str = LANGUAGE) -> Path:
    return translations_dir(language) / CATALOGUE


def ui_modules() -> list[Path]:
    return sorted(path for path in UI_DIR.rglob("*.py") if path.name != "__init__.py")


def ts_path(module: Path, language: str = LANGUAGE) -> Path:
    relative = module.relative_to(UI_DIR).with_suffix("")
    return translations_dir(language) / (".".join(relative.parts) + ".ts")


def install_translators(app) -> list:
    """Load the chosen language's catalogue and Qt's own into ``app``; returns the translators."""
    from PySide6.QtCore import QTranslator

    language = os.environ.get("INSPECTOR_LANG", LANGUAGE)
    translators = []
    translator = QTranslator(app)
    if translator.load(str(catalogue_path(language))):  # False when there is none (INSPECTOR_LANG=en)
        app.installTranslator(translator)
        translators.append(translator)
    qt_own = _qt_translator(app, language)
    if qt_own is not None:
        translators.append(qt_own)
    return translators


def _qt_translator(app, language: str):
    """Qt's own catalogue (qtbase_zh_CN.qm from the PySide6 wheel): file, print and message dialogs."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    if language == "en":
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        return None
    app.installTranslator(translator)
    return translator


def _tool(name: str) -> str:
    import shutil

    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(f"pyside6-{name} not found: install the project's dependencies first")
    return found


def lupdate(module: Path, target: Path) -> None:
    import subprocess

    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none", "-target-language", LANGUAGE,
                    str(module), "-ts", str(target)], check=True)


def lrelease(sources: list[Path], target: Path) -> None:
    """Compile ``sources`` (.ts files, in this order) into the one catalogue ``target``."""
    import subprocess

    subprocess.run([_tool("lrelease"), "-silent", *map(str, sources), "-qm", str(target)], check=True,
                   stderr=subprocess.DEVNULL)  # "dropping duplicate messages": one context in two modules


def catalogue_sources(language: str = LANGUAGE) -> list[Path]:
    return sorted(translations_dir(language).glob("*.ts"))


def messages(ts_file: Path) -> list[tuple[str, str, str, bool]]:
    """(context, source, translation, finished) for every message in a .ts file."""
    import xml.etree.ElementTree as ET  # the developer commands only: not at start-up

    result = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            text = "".join(translation.itertext()) if translation is not None else ""
            finished = translation is not None and translation.get("type") not in ("unfinished", "vanished", "obsolete")
            result.append((name, message.findtext("source", ""), text, finished and bool(text)))
    return result


def fill(ts_file: Path, table: dict[str, str]) -> int:
    import xml.etree.ElementTree as ET

    tree = ET.parse(ts_file)
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source", "")
        if translation is not None and translation.get("type") == "unfinished" and source in table:
            _set_translation(message, translation, table[source])
            filled += 1
    if filled:
        tree.write(ts_file, encoding="utf-8", xml_declaration=True)  # lupdate re-formats it afterwards
    return filled


def _set_translation(message, translation, text: str) -> None:
    """Write ``text``; a %n message gets one numerus form (Chinese has no plural)."""
    import xml.etree.ElementTree as ET

    for child in list(translation):
        translation.remove(child)
    if message.get("numerus") == "yes":
        translation.text = None
        ET.SubElement(translation, "numerusform").text = text
    else:
        translation.text = text
    del translation.attrib["type"]


def update() -> None:
    for module in ui_modules():
        target = ts_path(module)
        lupdate(module, target)
        if not messages(target):
            target.unlink()
    lrelease(catalogue_sources(), catalogue_path())
    for stale in translations_dir().glob("*.qm"):  # per-module catalogues of older versions
        if stale.name != CATALOGUE:
            stale.unlink()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "update":
        update()
    elif command == "missing":
        missing = [(ts.name, source) for ts in sorted(translations_dir().glob("*.ts"))
                   for _, source, _, done in messages(ts) if not done]
        for name, source in missing:
            print(f"{name}: {source}")
        return 1 if missing else 0
    elif command == "fill":
        import json

        table = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        total = sum(fill(ts, table) for ts in sorted(translations_dir().glob("*.ts")))
        print(f"filled {total} messages")
        update()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
