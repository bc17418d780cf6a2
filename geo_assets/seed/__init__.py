"""The Banjarbaru sample city of SPEC §4: `seed_city` builds it, deterministically per seed."""

from geo_assets.seed.city import SeedSummary, seed_city

__all__ = ["SeedSummary", "seed_city"]
