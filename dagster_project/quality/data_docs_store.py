"""The Data Docs site's validation results store, which GX instantiates by name (data_docs.py).

The site index lists every suite's newest result, and GX rebuilds it after each page by
reading and parsing every stored result again: 68 results per page, about 60% of the index's
time. A stored result never changes (its key holds the run time; a newer run is a new file),
so this store parses each file's text once per process and hands back the same object for the
same text. The files on disk are still read and listed on every build, so the index stays
complete and shows exactly what is stored.

The parsed results are shared between calls, so a change to one is seen by every later
reader: the only change the project makes (data_docs_views.py names the data asset in a
result's batch spec) gives the same result however often it is made.

The class keeps GX's name: GX 1.24 adds its default store under the key
validation_results_store unless a configured store's class is named ValidationResultsStore
(DataContextConfig._init_stores), and that default would replace this one; so the
configuration names this module and the class name GX knows.

Imports great_expectations, so only GX imports this module, when it builds the site context.
"""

from great_expectations.data_context import store

PARSED_RESULTS_KEPT = 1000  # well above one result per suite; a bound, not a tuning knob


class ValidationResultsStore(store.ValidationResultsStore):
    """A ValidationResultsStore that parses a result's stored text once per process."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 (GX's signature)
        super().__init__(*args, **kwargs)
        self._parsed: dict[str, object] = {}

    def deserialize(self, value):  # noqa: ANN001, ANN201 (GX's signature)
        if not isinstance(value, str):
            return super().deserialize(value)
        if value not in self._parsed:
            if len(self._parsed) >= PARSED_RESULTS_KEPT:
                self._parsed.clear()
            self._parsed[value] = super().deserialize(value)
        return self._parsed[value]
