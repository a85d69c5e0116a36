"""Which readmission definition the reports' numbers follow, and how it differs from the
official measure, in one sentence each: the executive summary and the dashboard both print it
(the rule-by-rule table is the dbt docs block readmission_rules)."""

READMISSION_DEFINITION = (
    "Readmission rates follow the CMS Hospital-Wide All-Cause Unplanned Readmission measure with "
    "its Planned Readmission Algorithm v4.0 (planned stays are not readmissions; psychiatric, "
    "rehabilitation and medical cancer stays are not index stays) and the Tuva Project's "
    "data-quality rules."
)
READMISSION_DEVIATIONS = (
    "Unlike the official measure, the rates are observed, not risk-adjusted; they count this "
    "hospital's stays only (a readmission elsewhere is not seen); they cover all payers and ages, "
    "not Medicare fee-for-service patients 65 and over; the CMS lists are applied at the level of "
    "AHRQ CCS categories (v2019.1 as AHRQ published it), without the individual codes CMS adds; "
    "and a 60-day window is measured beside the 30-day one. Rule by rule: the dbt docs of "
    "fct_readmissions."
)
