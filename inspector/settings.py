"""User settings kept as JSON in the data directory (never pickles).

Unknown keys are kept, so a newer app's settings survive an older app. Writes go to a
temporary file that is renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "template_family": "park",  # "enforcement" (应急管理局文书) or "park" (管委会整改通知书)
    "last_inspector_ids": [],
    "document_overrides": {},
}


class Settings:
    def __init__(self, path: Path, values: dict[str, Any] | None = None):
        self.path = Path(path)
        self._values = dict(DEFAULTS) | (values or {})

    @classmethod
    def load(cls, path: Path) -> "Settings":
        try:
            text = Path(path).read_text(encoding="utf-8")
            import json  # here: a new data folder has no settings, and its window needs no json (~5 M instructions)

            values = json.loads(text)
            if not isinstance(values, dict):
                values = {}
        except (OSError, ValueError):
            values = {}  # missing or damaged settings fall back to defaults; data lives in the database
        return cls(path, values)

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, DEFAULTS.get(key, default) if default is None else default)

    def set(self, key: str, value: Any) -> None:
        self._values[key] = value
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        import json
        import tempfile  # only when writing: not at start-up

        handle, temp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self._values, out, ensure_ascii=False, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, self.path)
