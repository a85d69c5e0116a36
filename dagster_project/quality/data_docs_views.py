"""The Data Docs views GX instantiates by name (see data_docs.py): GX's own views and renderer,
except that

- every file GX's templates load from a CDN (jQuery, Bootstrap, bootstrap-table, Vega, Font
  Awesome, ...) or S3 (its logo) is loaded from the site itself instead: the same file, from the
  npm package and version GX names (package.json), copied under <site>/static/vendor/. A URL
  this map does not know (a future GX) makes rendering fail loudly rather than go online;
- data values are escaped: GX 1.24 puts sampled and observed values into table cells as raw
  HTML (its `.j2` templates run without Jinja's autoescape);
- the validation page names its data asset (GX reads it from a batch spec that a DataFrame
  batch leaves without a name).

Imports great_expectations, so only GX imports this module, when it renders a page.
"""

import html
import re

from great_expectations.render.renderer import ValidationResultsPageRenderer
from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import BaseLoader, Environment, pass_context

VENDOR_DIR = "static/vendor/"  # under the site root, laid out as node_modules
# Every URL GX 1.24.1's templates load -> the same file in node_modules (the two GX gives
# integrity hashes for are byte-for-byte those files).
CDN_FILES = {
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free/css/all.min.css"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",  # noqa: E501 (a URL)
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/dist/js/bootstrap.min.js",  # noqa: E501 (a URL)
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",  # noqa: E501 (a URL)
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table/dist/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table/dist/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (  # noqa: E501 (a URL)
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    # GX asks for the 1.19.0 CSS of this extension: 1.19.1's differs only in its version comment
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (  # noqa: E501 (a URL)
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (  # noqa: E501 (a URL)
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css"
    ),
}
VENDOR_FOLDERS = ("@fortawesome/fontawesome-free/webfonts",)  # all.min.css loads ../webfonts/*
S3 = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
LOADED_URL = re.compile(
    r"""<(?:script|link|img|iframe|source|embed)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//"""
    r"""|url\(\s*['"]?(?:https?:)?//|@import\s+['"](?:https?:)?//""",
    re.IGNORECASE,
)


def offline_source(source: str) -> str:
    """A GX template's source with every loaded URL made local (relative to `static_root`)."""
    # a page opened from file:// is an opaque origin: a script with crossorigin/integrity is
    # refused there; the local files are the very bytes those hashes name
    source = re.sub(r'\s+integrity="[^"]*"|\s+crossorigin="anonymous"', "", source)
    for url, path in CDN_FILES.items():
        source = source.replace(f'"{url}"', '"{{ static_root }}' + VENDOR_DIR + path + '"')
    # top_navbar.j2 sets static_images_dir to S3: GX's own copy of its images is in the site
    source = source.replace(f'"{S3}"', 'static_root ~ "static/images/"')
    # data_docs_default_styles.css, dark mode only: GX does not ship full_logo_dark.png
    source = source.replace(
        f"url('{S3}full_logo_dark.png')", "url('{{ static_root }}static/images/logo-long.png')"
    )
    # favicon.j2 climbs one folder too few on validation pages
    source = source.replace('static_images_dir + "favicon.ico"', 'static_root ~ "static/images/favicon.ico"')
    found = LOADED_URL.search(source)
    if found:
        raise ValueError(f"A Data Docs template loads a URL the offline views do not know: {found.group(0)}")
    return source


class _OfflineLoader(BaseLoader):
    """GX's template loader, each template made offline as it is loaded."""

    def __init__(self, inner: BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: Environment, template: str) -> tuple:
        source, filename, uptodate = self.inner.get_source(environment, template)
        return offline_source(source), filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def _static_root(document) -> str:  # noqa: ANN001 (a GX RenderedDocumentContent)
    """The relative path from a page to the site root (GX's page layout, see HtmlSiteStore)."""
    renderer_type = document.renderer_type or ""
    dots = (document.expectation_suite_name or "").count(".")
    if "ValidationResults" in renderer_type or "ProfilingResults" in renderer_type:
        return "../" * (dots + 4)  # validations/<suite/parts>/<run_name>/<run_time>/<batch>.html
    if "ExpectationSuite" in renderer_type:
        return "../" * (dots + 1)  # expectations/<suite/parts>.html
    return ""  # index.html


def escape_data(content_block):  # noqa: ANN001, ANN201 (any GX content block)
    """Plain strings are data (sampled or observed values, run and asset names): escape them.
    Rendered components (dicts) go through GX, which escapes their parameters itself."""
    if isinstance(content_block, str):
        return html.escape(content_block, quote=False)
    if isinstance(content_block, list):
        return [html.escape(item, quote=False) if isinstance(item, str) else item for item in content_block]
    return content_block


class _OfflineEscapingMixin:
    def __init__(self, custom_styles_directory=None, custom_views_directory=None) -> None:  # noqa: ANN001
        super().__init__(custom_styles_directory, custom_views_directory)
        self.env.loader = _OfflineLoader(self.env.loader)

    def render(self, document, template=None, **kwargs):  # noqa: ANN001, ANN003, ANN201 (GX's signature)
        return super().render(document, template, static_root=_static_root(document), **kwargs)

    @pass_context
    def render_content_block(  # noqa: ANN201 (GX's signature)
        self,
        jinja_context,  # noqa: ANN001
        content_block,  # noqa: ANN001
        index=None,  # noqa: ANN001
        content_block_id=None,  # noqa: ANN001
        render_to_markdown=False,  # noqa: ANN001
    ):
        return super().render_content_block(
            jinja_context, escape_data(content_block), index, content_block_id, render_to_markdown
        )


class OfflineJinjaPageView(_OfflineEscapingMixin, DefaultJinjaPageView):
    """Suite and validation pages."""


class OfflineJinjaIndexPageView(_OfflineEscapingMixin, DefaultJinjaIndexPageView):
    """The site's index."""


class AssetNamedValidationResultsPageRenderer(ValidationResultsPageRenderer):
    """GX's validation page, whose "Data asset:" line names the DataFrame asset."""

    def render(self, validation_results, suite_parameters=None):  # noqa: ANN001, ANN201
        spec = validation_results.meta.get("batch_spec")
        if isinstance(spec, dict) and not spec.get("data_asset_name") and validation_results.asset_name:
            validation_results.meta["batch_spec"] = {**spec, "data_asset_name": validation_results.asset_name}
        return super().render(validation_results, suite_parameters)
