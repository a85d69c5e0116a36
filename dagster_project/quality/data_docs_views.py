"""The Data Docs views GX instantiates by name (see data_docs.py): GX's own, except that data
values are escaped and the validation page names its data asset. Imports great_expectations,
so only GX imports this module, when it renders a page."""

import html

from great_expectations.render.renderer import ValidationResultsPageRenderer
from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import pass_context


def escape_data(content_block):  # noqa: ANN001, ANN201 (any GX content block)
    """Plain strings are data (sampled or observed values, run and asset names): escape them.
    Rendered components (dicts) go through GX, which escapes their parameters itself."""
    if isinstance(content_block, str):
        return html.escape(content_block, quote=False)
    if isinstance(content_block, list):
        return [html.escape(item, quote=False) if isinstance(item, str) else item for item in content_block]
    return content_block


class _EscapingMixin:
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


class EscapingJinjaPageView(_EscapingMixin, DefaultJinjaPageView):
    """Suite and validation pages."""


class EscapingJinjaIndexPageView(_EscapingMixin, DefaultJinjaIndexPageView):
    """The site's index."""


class AssetNamedValidationResultsPageRenderer(ValidationResultsPageRenderer):
    """GX's validation page, whose "Data asset:" line names the DataFrame asset: GX reads it
    from meta["batch_spec"], which a DataFrame batch leaves without a name."""

    def render(self, validation_results, suite_parameters=None):  # noqa: ANN001, ANN201
        spec = validation_results.meta.get("batch_spec")
        if isinstance(spec, dict) and not spec.get("data_asset_name") and validation_results.asset_name:
            validation_results.meta["batch_spec"] = {**spec, "data_asset_name": validation_results.asset_name}
        return super().render(validation_results, suite_parameters)
