#!/usr/bin/env python3
"""Refresh the front-end libraries committed under src/vanthu/static/vendor/.

The versions are pinned in package.json / package-lock.json. Usage, from the repository root:

    npm ci --ignore-scripts --no-audit --no-fund   # fetch the pinned packages into node_modules/
    python3 scripts/vendor_static.py                # copy their dist files and licences

(``python3 scripts/vendor_static.py --install`` runs the npm step first.) Nothing is built and
no CDN is used: the copied files are committed, so installing Vanthu needs neither node nor the
network. Source maps and the .woff fallback are copied too, because the CSS/JS files refer to
them and Django's manifest static storage refuses references to missing files.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "vanthu" / "static" / "vendor"

# library -> (npm package, [(source inside the package, destination inside vendor/<library>/)])
FILES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "bootstrap": (
        "bootstrap",
        [
            ("dist/css/bootstrap.min.css", "css/bootstrap.min.css"),
            ("dist/css/bootstrap.min.css.map", "css/bootstrap.min.css.map"),
            ("dist/js/bootstrap.bundle.min.js", "js/bootstrap.bundle.min.js"),
            ("dist/js/bootstrap.bundle.min.js.map", "js/bootstrap.bundle.min.js.map"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "bootstrap-icons": (
        "bootstrap-icons",
        [
            ("font/bootstrap-icons.min.css", "bootstrap-icons.min.css"),
            ("font/fonts/bootstrap-icons.woff2", "fonts/bootstrap-icons.woff2"),
            ("font/fonts/bootstrap-icons.woff", "fonts/bootstrap-icons.woff"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "chartjs": (
        "chart.js",
        [
            ("dist/chart.umd.min.js", "chart.umd.min.js"),
            ("dist/chart.umd.min.js.map", "chart.umd.min.js.map"),
            ("LICENSE.md", "LICENSE.md"),
        ],
    ),
    "htmx": (
        "htmx.org",
        [
            ("dist/htmx.min.js", "htmx.min.js"),
            ("LICENSE", "LICENSE"),
        ],
    ),
}


def package_version(package: str) -> str:
    manifest = json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))
    return str(manifest["version"])


def expected_version(package: str) -> str:
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return str(manifest["devDependencies"][package])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--install", action="store_true", help="run `npm ci --ignore-scripts` first")
    arguments = parser.parse_args()
    if arguments.install:
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT, check=True)  # noqa: S603,S607
    versions: dict[str, str] = {}
    for library, (package, files) in FILES.items():
        if not (NODE_MODULES / package).is_dir():
            print(f"{package} is not in node_modules/: run `npm ci --ignore-scripts` first", file=sys.stderr)
            return 1
        version = package_version(package)
        if version != expected_version(package):
            print(
                f"{package} {version} in node_modules/ but package.json pins {expected_version(package)}",
                file=sys.stderr,
            )
            return 1
        target_dir = VENDOR / library
        if target_dir.exists():
            shutil.rmtree(target_dir)
        for source, destination in files:
            target = target_dir / destination
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(NODE_MODULES / package / source, target)
        versions[library] = f"{package}@{version}"
        print(f"{library}: {package}@{version} ({len(files)} files)")
    lines = ["Vendored front-end libraries (refresh with scripts/vendor_static.py; do not edit by hand).", ""]
    lines += [f"{library}: {spec}" for library, spec in versions.items()]
    (VENDOR / "VERSIONS.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
