"""Open311 GeoReport v2: the services residents may report, API keys, and request intake.

`services` is the catalogue, `keys` the API keys of residents' apps, `intake` turns a report
into a stored request (snapped to a lamp, merged with duplicates, on the SLA clock), and
`requests` reads requests back in the specification's shape. Nothing here knows HTTP.
"""
