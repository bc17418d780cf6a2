"""A small in-process LRU of hot tiles, keyed by tileset, tile and data version."""

from __future__ import annotations

import threading
from collections import OrderedDict

TileKey = tuple[str, int, int, int, str]  # (tileset, z, y, x, version token)


class TileCache:
    """Tiles most recently asked for, up to `max_bytes` in all; safe across threads."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._tiles: OrderedDict[TileKey, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: TileKey) -> bytes | None:
        """The cached tile, or None."""
        with self._lock:
            tile = self._tiles.get(key)
            if tile is not None:
                self._tiles.move_to_end(key)
            return tile

    def put(self, key: TileKey, tile: bytes) -> None:
        """Keep `tile`, dropping the least recently used ones beyond the size limit."""
        if len(tile) > self.max_bytes // 8:
            return  # one huge tile would push out everything else
        with self._lock:
            if key in self._tiles:
                return
            self._tiles[key] = tile
            self._size += len(tile)
            while self._size > self.max_bytes:
                _, dropped = self._tiles.popitem(last=False)
                self._size -= len(dropped)
