"""The `geo-assets` command line, on top of `geo_assets`, `api` and `maps` (none imports it)."""
