"""Fixtures for the sample data, template and packaging tests.

The generator and the template builder are scripts beside the data they write, not modules
of the package, so they are loaded from their files. Generating the sample takes seconds,
so it is done once per test process.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"


def pytest_configure(config: pytest.Config) -> None:
    # Registered here too so these tests keep working if the project-wide list changes.
    config.addinivalue_line("markers", "slow: long-running tests (packaging); run in CI")


def load_script(path: Path) -> ModuleType:
    """Import a script by file name (it may import its neighbours, as when run directly)."""
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(f"_sample_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return load_script(SAMPLES / "generate.py")


@pytest.fixture(scope="session")
def template_builder() -> ModuleType:
    return load_script(SAMPLES / "build_templates.py")


@pytest.fixture(scope="session")
def icon_maker() -> ModuleType:
    return load_script(ROOT / "packaging" / "make_icons.py")


@pytest.fixture(scope="session")
def package_builder() -> ModuleType:
    return load_script(ROOT / "packaging" / "build.py")


@pytest.fixture(scope="session")
def sample_data(generator: ModuleType):  # type: ignore[no-untyped-def]
    """The generated tables (a ``SampleData``), made once per test process."""
    return generator.generate()
