"""OGC API – Features over the inventory: collections from the registry, CQL2 filters, extents.

Nothing here knows HTTP; `api/ogc` turns it into the landing page, collections and items.
"""
