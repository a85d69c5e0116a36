"""Great Expectations Data Docs: one local site under <data dir>/gx, built page by page, that
works offline (its scripts and styles are copied into it from node_modules).

Validations run in an in-memory context (validation.py); the result, with identifiers already
masked, is then stored in the site's folder and its page built. Pages render data values as
text, never as HTML: GX 1.24 puts sampled and observed values into table cells unescaped
(its templates are `.j2` files, for which Jinja's autoescape is off), so the site uses GX's
own views with `render_content_block` escaping plain strings (data_docs_views.py). GX's
configuration selects those views; no GX code is patched. The validation page also names its
data asset (GX reads the name from a batch spec that a DataFrame batch does not fill).
"""

import shutil
from functools import cache
from pathlib import Path

from dagster_project import settings

DOCS_SITE = "local_site"
DOCS_INDEX_RESULTS = 100  # an upper bound for the index: one (the newest) validation per suite
VIEWS_MODULE = "dagster_project.quality.data_docs_views"  # imported by GX, when it renders
STORE_MODULE = "dagster_project.quality.data_docs_store"  # imported by GX, for the site's results
GX_STORES = "great_expectations.data_context.store"
NODE_MODULES = settings.REPO_ROOT / "node_modules"  # npm ci of package.json: the offline assets


IN_MEMORY = {"class_name": "InMemoryStoreBackend"}


def _context_config(suites: dict, results: dict, sites: dict, results_module: str = GX_STORES):  # noqa: ANN202 (a GX DataContextConfig)
    """An ephemeral context's configuration: where suites and results are stored, which sites,
    and the module whose ValidationResultsStore keeps the results."""
    from great_expectations.data_context.types.base import DataContextConfig, ProgressBarsConfig

    return DataContextConfig(
        stores={
            "expectations_store": {"class_name": "ExpectationsStore", "store_backend": suites},
            "validation_results_store": {
                "module_name": results_module,
                "class_name": "ValidationResultsStore",
                "store_backend": results,
            },
            "validation_definition_store": {
                "class_name": "ValidationDefinitionStore",
                "store_backend": IN_MEMORY,
            },
            "checkpoint_store": {"class_name": "CheckpointStore", "store_backend": IN_MEMORY},
        },
        expectations_store_name="expectations_store",
        validation_results_store_name="validation_results_store",
        checkpoint_store_name="checkpoint_store",
        data_docs_sites=sites,
        progress_bars=ProgressBarsConfig(globally=False),
    )


def in_memory_context_config():  # noqa: ANN201 (a GX DataContextConfig)
    """An ephemeral context whose stores live in memory: what a validation run needs."""
    return _context_config(IN_MEMORY, IN_MEMORY, {})


def _site_context_config(docs_dir: Path):  # noqa: ANN202 (a GX DataContextConfig)
    """A context whose suites, results and Data Docs are files under docs_dir."""

    def files(folder: str) -> dict:
        return {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir / folder)}

    def view(class_name: str) -> dict:
        return {"module_name": VIEWS_MODULE, "class_name": class_name}

    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": files("data_docs"),
        # every check rebuilds the index: bounded to the newest results, it costs the same on the
        # hundredth run as on the first
        "site_index_builder": {
            "class_name": "DefaultSiteIndexBuilder",
            "validation_results_limit": DOCS_INDEX_RESULTS,
            "view": view("OfflineJinjaIndexPageView"),
        },
        "site_section_builders": {
            "expectations": {"view": view("OfflineJinjaPageView")},
            "validations": {
                "view": view("OfflineJinjaPageView"),
                "renderer": view("AssetNamedValidationResultsPageRenderer"),
            },
            "profiling": "False",
        },
    }
    return _context_config(files("expectations"), files("validations"), {DOCS_SITE: site}, STORE_MODULE)


@cache
def _site(docs_dir: Path):  # noqa: ANN202 (a GX context and its SiteBuilder)
    """The site's context and builder, made once per process: the builder's views keep GX's
    compiled Jinja templates, which `context.build_data_docs` would compile again per page."""
    import great_expectations as gx
    from great_expectations.data_context.util import instantiate_class_from_config

    context = gx.get_context(project_config=_site_context_config(docs_dir), mode="ephemeral")
    builder = instantiate_class_from_config(
        config=context.variables.data_docs_sites[DOCS_SITE],
        runtime_environment={
            "data_context": context,
            "root_directory": context.root_directory,
            "site_name": DOCS_SITE,
        },
        config_defaults={
            "class_name": "SiteBuilder",
            "module_name": "great_expectations.render.renderer.site_builder",
        },
    )
    copy_vendor_files(docs_dir / "data_docs")
    return context, builder


def copy_vendor_files(site_dir: Path) -> None:
    """Copy the files the offline views point at from node_modules (npm ci) into the site
    (<site>/static/vendor/); a file already there with the same size is kept."""
    from dagster_project.quality.data_docs_views import CDN_FILES, VENDOR_DIR, VENDOR_FOLDERS

    files = list(CDN_FILES.values())
    for folder in VENDOR_FOLDERS:
        files += [str(path.relative_to(NODE_MODULES)) for path in sorted((NODE_MODULES / folder).glob("*"))]
    for name in files:
        source, target = NODE_MODULES / name, site_dir / VENDOR_DIR / name
        if not source.is_file():
            raise FileNotFoundError(f"{source} is missing: `make install` runs `npm ci` (package.json)")
        if not target.is_file() or target.stat().st_size != source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def _keep_newest_run(suite_folder: Path) -> None:
    """Keep only a suite's newest validation (result and page): the site shows the current state
    of every suite; the history of each check is in Dagster. Folders are
    <suite>/<run name>/<run time>/, and run times sort as they happened."""
    runs = sorted(suite_folder.glob("*/*"), key=lambda path: path.name)
    for old in runs[:-1]:
        shutil.rmtree(old)


def publish_page(docs_dir: Path, suite, result) -> str:  # noqa: ANN001 (GX suite and result)
    """Store the suite and the result in the site and build their pages and the index;
    return the validation page's file path."""
    import great_expectations as gx
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    context, builder = _site(docs_dir)
    suite_identifier = ExpectationSuiteIdentifier(name=suite.name)
    # the suite as it ran: its parameters filled in, as GX's suite page can only render values
    as_run = gx.ExpectationSuite(
        name=suite.name,
        meta=suite.meta,
        expectations=[expectation.expectation_config.to_json_dict() for expectation in result.results],
    )
    context.expectations_store.set(suite_identifier, as_run)
    batch = result.meta["active_batch_definition"]
    identifier = ValidationResultIdentifier(
        expectation_suite_identifier=suite_identifier,
        run_id=result.meta["run_id"],
        batch_identifier=f"{batch['datasource_name']}-{batch['data_asset_name']}",
    )
    context.validation_results_store.set(identifier, result)
    for folder in (docs_dir / "validations", docs_dir / "data_docs" / "validations"):
        _keep_newest_run(folder / suite.name)
    builder.build(resource_identifiers=[identifier, suite_identifier])
    url = builder.get_resource_url(resource_identifier=identifier)
    if not url:
        raise RuntimeError(f"Great Expectations wrote no Data Docs page for suite {suite.name} (see its log)")
    return url.removeprefix("file://")


def page_url(docs_dir: Path, page: str) -> str:
    """A Data Docs page's address on the docs server (`make docs` serves the site folder;
    settings.data_docs_url, read when called): a link the Dagster UI can open, where a file
    path is refused by the browser."""
    relative = Path(page).relative_to(docs_dir / "data_docs").as_posix()
    return f"{settings.data_docs_url()}/{relative}"
