"""OGC API – Features under `/ogc` (landing page, conformance, collections, items, queryables)."""

from __future__ import annotations

from api.ogc import items, routes

router = routes.router  # `items` adds its routes to the same router

__all__ = ["items", "router"]
