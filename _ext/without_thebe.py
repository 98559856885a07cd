"""Remove sphinx-thebe's scripts and stylesheet from every page.

Jupyter Book always loads the sphinx-thebe extension, even with ``launch_buttons: thebe:
false``. The extension then puts on every page an inline script that declares
``const THEBE_JS_URL = "https://unpkg.com/..."`` (twice, with Sphinx 7.4: the second copy is
a JavaScript error, "Identifier 'THEBE_JS_URL' has already been declared"), a loader script
and a stylesheet. This book does not use thebe (readers run the notebooks in Jupyter, Colab
or Binder instead), so the site drops all three: no console error, and no reference to a CDN.
"""

THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe")


def _is_thebe(asset) -> bool:
    text = " ".join(str(part) for part in (asset, getattr(asset, "filename", ""),
                                          getattr(asset, "attributes", {}).get("body", "")))
    return any(marker in text for marker in THEBE_MARKERS)


def _drop_thebe_assets(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def setup(app):
    # Run after every other handler has added its files to the page context.
    app.connect("html-page-context", _drop_thebe_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
