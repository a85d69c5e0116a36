"""Reference code sets landed from maintained packages for dbt to read as sources."""
