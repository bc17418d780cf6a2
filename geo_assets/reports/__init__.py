"""Reports as files for people: spreadsheets (xlsx) and the printable SPM PDF."""
