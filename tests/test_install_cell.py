"""Each chapter runs on its own: its first cell installs lossbook where it is missing.

The test builds a wheel of lossbook, makes a fresh virtual environment that sees every
installed dependency of the book except lossbook, copies a chapter out of the repository,
and runs it there with ``LOSSBOOK_SOURCE`` pointing at the wheel, so no network is needed.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import venv

import nbformat
import pytest
from nbclient import NotebookClient

from scripts import install_cell
from scripts.check_notebooks import find_notebooks

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = find_notebooks([str(ROOT / "chapters")])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_starts_with_the_install_cell(path):
    assert install_cell.has_install_cell(nbformat.read(path, as_version=4))


def test_the_cell_installs_from_the_repository_of_the_launch_buttons():
    source = install_cell.install_cell_source()
    assert f'"git+{install_cell.repository_url()}"' in source
    assert install_cell.repository_url().startswith("https://")


def _bare_environment(tmp_path):
    """A venv that sees the book's dependencies (through a .pth file) but not lossbook."""
    deps = tmp_path / "deps"
    deps.mkdir()
    for entry in pathlib.Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.lower().startswith(("lossbook", "__editable__")):
            (deps / entry.name).symlink_to(entry)
    env_dir = tmp_path / "bare"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (pathlib.Path(purelib) / "book_dependencies.pth").write_text(f"{deps}\n")
    kernel = tmp_path / "jupyter" / "kernels" / "bare"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "bare", "language": "python"}))
    return python


def test_a_chapter_runs_alone_in_an_environment_without_lossbook(tmp_path, monkeypatch):
    # Build from a copy, so that setuptools' build folder does not land in the repository.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "lossbook", source / "lossbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(wheels), str(source)], check=True)
    wheel = next(wheels.glob("lossbook-*.whl"))
    python = _bare_environment(tmp_path)
    probe = [python, "-c", "import lossbook"]
    assert subprocess.run(probe, capture_output=True, cwd=tmp_path).returncode != 0

    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(ROOT / "chapters" / "intro.ipynb", alone)
    nb = nbformat.read(alone / "intro.ipynb", as_version=4)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("LOSSBOOK_SOURCE", str(wheel))
    monkeypatch.setenv("PIP_NO_INDEX", "1")       # everything else is already there
    NotebookClient(nb, timeout=300, kernel_name="bare",
                   resources={"metadata": {"path": str(alone)}}).execute()

    assert subprocess.run(probe, capture_output=True, cwd=tmp_path).returncode == 0
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "LOSSBOOK_SOURCE" in first.source
