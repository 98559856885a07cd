"""Serve MathJax 3 from the built site instead of a CDN.

The book is built and read without network access, so the MathJax script that
Sphinx links to must sit next to the pages. MathJax itself comes from the
pinned PyPI package ``django-static-mathjax`` (import name ``mathjax``), which
ships the MathJax 3 ``es5`` distribution as plain files; despite its name it
does not depend on Django.

This extension copies the pieces a page needs (the combined
``tex-mml-chtml.js`` component, the CHTML fonts, and the input, output,
accessibility and menu components that it loads on demand) into
``<outdir>/_static/mathjax/``. ``_config.yml`` points ``mathjax_path`` at
``mathjax/tex-mml-chtml.js``, which Sphinx resolves relative to ``_static``.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Entries of MathJax's ``es5`` folder that are copied into the site.
#: The other combined components (SVG output, ``*-full``, node) are not used.
COPIED = (
    "tex-mml-chtml.js",
    "a11y",
    "adaptors",
    "input",
    "output/chtml.js",
    "output/chtml",
    "sre",
    "ui",
)


def mathjax_es5_dir() -> Path:
    """Return the ``es5`` folder of the installed MathJax package."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or spec.origin is None:
        raise ExtensionError(
            "MathJax is not installed: install the pinned `django-static-mathjax` "
            "package from requirements.txt (make book does this)."
        )
    es5 = Path(spec.origin).parent / "static" / "mathjax" / "es5"
    if not (es5 / "tex-mml-chtml.js").is_file():
        raise ExtensionError(f"MathJax files not found in {es5}")
    return es5


def _check(app: Sphinx) -> None:
    # Fail at the start of a build rather than after all notebooks have run.
    if app.builder.format == "html":
        mathjax_es5_dir()


def _copy(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    es5 = mathjax_es5_dir()
    dest = Path(app.outdir) / "_static" / "mathjax"
    for entry in COPIED:
        src = es5 / entry
        if src.is_dir():
            shutil.copytree(src, dest / entry, dirs_exist_ok=True)
        else:
            (dest / entry).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / entry)
    shutil.copy2(es5.parent / "LICENSE", dest / "LICENSE")
    logger.info("copied MathJax from %s to %s", es5, dest)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _check)
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
