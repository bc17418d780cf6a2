"""Request and response shapes (pydantic): `XCreate`, `XUpdate`, `XPublic` per resource."""
