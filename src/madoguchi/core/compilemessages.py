"""Compile every app's ``.po`` catalogs (``src/madoguchi/<app>/locale``) to ``.mo`` with polib.

Django's own ``compilemessages`` needs GNU gettext installed; this needs nothing but Python,
so that ``make demo`` and ``make test`` work on a fresh machine.
"""

from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def catalogs(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    return sorted(package_dir.glob("*/locale/*/LC_MESSAGES/*.po"))


def compile_all() -> list[Path]:
    compiled = []
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(PACKAGE_DIR)}")
