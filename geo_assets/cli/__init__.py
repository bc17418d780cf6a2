"""The `geo-assets` command line."""
