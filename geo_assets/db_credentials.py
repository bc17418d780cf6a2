"""Passwords of an external PostGIS (GEO_ASSETS_DATABASE_URL): well-known ones are refused."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from geo_assets.errors import InsecureConfiguration

MIN_PASSWORD_LENGTH = 12
# Defaults shipped by images, tutorials and this project's own old docker-compose.yml.
KNOWN_PASSWORDS = frozenset(
    {
        "",
        "admin",
        "change-me",
        "change-me-in-production",
        "changeme",
        "geo_assets",
        "geoassets",
        "password",
        "postgis",
        "postgres",
        "root",
        "secret",
    }
)


def check_database_password(url: str, variable: str = "GEO_ASSETS_DATABASE_URL") -> None:
    """Refuse a URL whose password is empty, a well-known default, the user name, or short.

    A URL with no password at all is allowed: the password then comes from PGPASSFILE, or the
    server trusts the client another way (peer, certificate).
    """
    parsed = make_url(url)
    password = parsed.password
    if password is None:
        return
    password = str(password)
    if (
        password.lower() in KNOWN_PASSWORDS
        or password == parsed.username
        or len(password) < MIN_PASSWORD_LENGTH
    ):
        raise InsecureConfiguration(
            f"{variable} gives user '{parsed.username}' a well-known or short "
            f"password; set a random one of {MIN_PASSWORD_LENGTH}+ characters on the database "
            "and in the URL (e.g. openssl rand -base64 24), then start again."
        )
