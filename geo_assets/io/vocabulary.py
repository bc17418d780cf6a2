"""How vocabulary values in files are matched: any case, spaces or hyphens, code or label.

Kept free of numpy/pandas so that the export command starts quickly.
"""

from __future__ import annotations

import re

from geo_assets.vocab import Vocabulary


def vocabulary_key(value: object) -> str:
    """How a vocabulary value is compared: case, spaces and hyphens do not matter."""
    return re.sub(r"[\s\-]+", "_", str(value).strip().lower())


def vocabulary_lookup(vocabulary: Vocabulary) -> dict[str, str]:
    """Accepted spellings → code: the code, and its Indonesian and English labels."""
    lookup = {vocabulary_key(code): code for code in vocabulary}
    for code, labels in vocabulary.items():
        for text in labels.values():
            lookup.setdefault(vocabulary_key(text), code)
    return lookup
