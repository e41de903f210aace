"""Save files as password-encrypted ODS with LibreOffice; run by a Python that has ``uno``.

Usage: ``python lo_save_encrypted.py JOBS.json`` where the JSON file holds a list of
``{"source": path, "target": path, "password": str, "odf_version": int}``; ``odf_version``
is LibreOffice's ``DefaultVersion`` setting (2 = ODF 1.1, whose encryption is Blowfish
with SHA-1 start keys; 0 keeps the default, AES-256-CBC with SHA-256). One headless
LibreOffice, with a throw-away profile, saves all of them. The test suite runs this script
to get encrypted files made by LibreOffice itself, independently of the app's decryptor.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

CSV_UTF8 = "44,34,76,1"  # comma-separated, double quotes, UTF-8, from line 1


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _connect(pipe: str) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _set_odf_version(ctx: object, version: int) -> int:
    """Set LibreOffice's ODF version for saving; the previous setting."""
    provider = ctx.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
        "com.sun.star.configuration.ConfigurationProvider", ctx
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (_prop("nodepath", "/org.openoffice.Office.Common/Save/ODF"),),
    )
    previous = int(access.getPropertyValue("DefaultVersion"))
    access.setPropertyValue("DefaultVersion", version)
    access.commitChanges()
    return previous


def main(jobs_file: str) -> None:
    jobs = json.loads(Path(jobs_file).read_text(encoding="utf-8"))
    pipe = "scorecard" + uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        office = subprocess.Popen(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--invisible",
                "--norestore",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            ctx = _connect(pipe)
            desktop = ctx.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
                "com.sun.star.frame.Desktop", ctx
            )
            for job in jobs:
                version = int(job.get("odf_version", 0))
                previous = _set_odf_version(ctx, version) if version else 0
                load = [_prop("Hidden", True)]
                if job["source"].endswith(".csv"):
                    load += [
                        _prop("FilterName", "Text - txt - csv (StarCalc)"),
                        _prop("FilterOptions", CSV_UTF8),
                    ]
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(str(Path(job["source"]).resolve())),
                    "_blank",
                    0,
                    tuple(load),
                )
                doc.storeToURL(
                    uno.systemPathToFileUrl(str(Path(job["target"]).resolve())),
                    (_prop("FilterName", "calc8"), _prop("Password", job["password"])),
                )
                doc.close(True)
                if version:
                    _set_odf_version(ctx, previous)
            with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
                desktop.terminate()
            office.wait(60)
        finally:
            if office.poll() is None:
                office.kill()
                office.wait()


if __name__ == "__main__":
    main(sys.argv[1])
