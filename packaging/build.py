"""Build the installable Scorecard Studio bundle with PyInstaller.

    python packaging/build.py [--dist DIR] [--work DIR] [--archive]

Steps, each one skipped when it is already done in ``--work``:

1. export the runtime dependencies from ``uv.lock`` (``uv export --frozen --no-dev``), so the
   bundle contains exactly the locked versions and the lock stays their single source;
2. create a throwaway build environment in ``WORK/venv`` and install those requirements plus
   the pinned build tools of ``packaging/requirements-build.txt`` (PyInstaller is a build
   tool only; it never enters the project's own environment or lock);
3. run ``packaging/scorecard_studio.spec``, which writes ``DIST/ScorecardStudio/``;
4. on Linux, add the desktop integration (``share/applications``, ``share/metainfo``,
   ``share/mime``, ``share/icons/hicolor``) beside the program, laid out as under ``/usr``
   or ``~/.local``.

With ``--archive`` the folder is also packed as ``.tar.gz`` (Linux, macOS) or ``.zip``.

Exit codes: 0 built; 2 bad use or a build failure; 3 the build tools could not be
installed (usually no network), so callers such as the packaging test can say why they
skip.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.scorecardstudio.ScorecardStudio"
BUNDLE_NAME = "ScorecardStudio"
EXIT_INSTALL_FAILED = 3
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


class InstallError(RuntimeError):
    """The build environment could not be prepared (the message holds uv's last words)."""


def find_uv() -> str:
    """uv from PATH, else the private copy that ``scripts/bootstrap.sh`` installs."""
    found = shutil.which("uv")
    if found:
        return found
    private = ROOT / ".tools" / ("Scripts" if os.name == "nt" else "bin") / "uv"
    if private.exists():
        return str(private)
    raise SystemExit("build: uv is needed (run scripts/bootstrap.sh or install uv)")


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(
    command: list[str], *, cwd: Path | None = None, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run one build step, echoing it first so a failed build shows where it stopped."""
    print("build: $", " ".join(command), flush=True)
    return subprocess.run(command, cwd=cwd, capture_output=capture, text=True, check=False)


def prepare_environment(uv: str, work: Path) -> Path:
    """The build environment's Python, with the locked runtime deps and the build tools."""
    work.mkdir(parents=True, exist_ok=True)
    requirements = work / "requirements.txt"
    exported = _run(
        [
            uv,
            "export",
            "--frozen",
            "--no-dev",
            "--no-emit-project",
            "--no-hashes",
            "--quiet",
            "--output-file",
            str(requirements),
        ],
        cwd=ROOT,
    )
    if exported.returncode != 0:
        raise SystemExit("build: uv export failed")
    venv = work / "venv"
    python = venv_python(venv)
    stamp = work / "venv.stamp"
    wanted = requirements.read_text() + (PACKAGING / "requirements-build.txt").read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        created = _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
        if created.returncode != 0:
            raise SystemExit("build: could not create the build environment")
    installed = _run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            "-r",
            str(requirements),
            "-r",
            str(PACKAGING / "requirements-build.txt"),
        ],
        capture=True,
    )
    if installed.returncode != 0:
        last = "\n".join((installed.stderr or installed.stdout).strip().splitlines()[-6:])
        raise InstallError(last)
    stamp.write_text(wanted)
    return python


def run_pyinstaller(python: Path, work: Path, dist: Path) -> Path:
    result = _run(
        [
            str(python),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work / "pyinstaller"),
            str(PACKAGING / "scorecard_studio.spec"),
        ],
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit("build: PyInstaller failed")
    if sys.platform == "darwin":
        return dist / "Scorecard Studio.app"
    return dist / BUNDLE_NAME


def add_linux_desktop_files(bundle: Path) -> None:
    """The freedesktop files, where ``cp -r share ~/.local/`` or a distro package wants them."""
    share = bundle / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    (share / "mime" / "packages").mkdir(parents=True, exist_ok=True)
    shutil.copy2(PACKAGING / f"{APP_ID}.desktop", share / "applications")
    shutil.copy2(PACKAGING / f"{APP_ID}.metainfo.xml", share / "metainfo")
    shutil.copy2(PACKAGING / f"{APP_ID}.mime.xml", share / "mime" / "packages" / f"{APP_ID}.xml")
    icons = ROOT / "resources" / "icons"
    for size in ICON_SIZES:
        folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(icons / f"scorecard-studio-{size}.png", folder / f"{APP_ID}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(icons / "scorecard-studio.svg", scalable / f"{APP_ID}.svg")


def archive(bundle: Path) -> Path:
    """Pack the bundle with stable member order (a reproducible listing, if not bytes)."""
    if os.name == "nt":
        target = bundle.with_suffix(".zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(bundle.rglob("*")):
                zf.write(path, path.relative_to(bundle.parent))
        return target
    target = bundle.parent / f"{bundle.name}.tar.gz"
    with tarfile.open(target, "w:gz") as tf:
        tf.add(bundle, arcname=bundle.name)
    return target


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path, *, make_archive: bool = False) -> Path:
    """Build the bundle; returns its folder (the ``.app`` on macOS)."""
    started = time.perf_counter()
    python = prepare_environment(find_uv(), work)
    bundle = run_pyinstaller(python, work, dist)
    if sys.platform.startswith("linux"):
        add_linux_desktop_files(bundle)
    size = folder_size(bundle)
    print(
        f"build: {bundle} ({size / 2**20:.0f} MiB) in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    if make_archive:
        packed = archive(bundle)
        print(f"build: {packed} ({packed.stat().st_size / 2**20:.0f} MiB)", flush=True)
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="build environment")
    parser.add_argument("--archive", action="store_true", help="also pack the bundle")
    args = parser.parse_args(argv)
    try:
        build(args.dist.resolve(), args.work.resolve(), make_archive=args.archive)
    except InstallError as exc:
        print(f"build: could not install the build tools:\n{exc}", file=sys.stderr)
        return EXIT_INSTALL_FAILED
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
