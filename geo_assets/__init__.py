"""geo-assets: street lights (PJU) and public cemeteries (TPU) of Banjarbaru in PostGIS."""

__version__ = "0.1.0"
