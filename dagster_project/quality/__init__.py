"""Great Expectations glue: suite files, their parameters, the readers of the validated
tables, and the validation itself. great_expectations is imported only when a suite runs."""
