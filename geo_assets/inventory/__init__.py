"""The inventory as data access, without HTTP: listing, items, writes, lamp events, stats, audit.

Every list and item is built as GeoJSON text by PostgreSQL (`ST_AsGeoJSON` inside
`json_build_object` / `json_agg`), so callers hand that text to clients unchanged.
"""
