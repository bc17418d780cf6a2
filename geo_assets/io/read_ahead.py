"""Items of an iterator made one ahead in a thread, while the caller works on the one before.

A large import reads and checks slice k+1 in this thread while the database writes slice k: the
database's work and Python's then overlap on two cores. The items still arrive in order; the
thread starts on the next item only once the caller has taken the one before (so at most two
are alive: the caller's and the one being made); an exception raised while making one is raised
to the caller at that place; a caller that stops early (an error while writing) stops the thread
at its next handover.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class _End:
    """What the thread sends after the last item: nothing, or what stopped it."""

    error: BaseException | None = None


@dataclass(frozen=True)
class _Item(Generic[T]):
    value: T


class _Handover(Generic[T]):
    """One item at a time from the thread to the caller; the thread waits until it is taken."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._slot: list[_Item[T] | _End] = []
        self.stop = threading.Event()

    def give(self, item: _Item[T] | _End) -> bool:
        """Hand `item` over and wait until it is taken; False if the caller stopped first."""
        with self._ready:
            self._slot.append(item)
            self._ready.notify_all()
            while self._slot and not self.stop.is_set():
                self._ready.wait(_POLL_SECONDS)
            return not self.stop.is_set()

    def take(self) -> _Item[T] | _End:
        """The next item, once the thread has made it."""
        with self._ready:
            while not self._slot:
                self._ready.wait()
            item = self._slot.pop()
            self._ready.notify_all()
            return item


@contextmanager
def read_ahead(items: Iterator[T]) -> Iterator[Iterator[T]]:
    """`items`, each made in a thread while the caller works on the one before.

    Nothing else may use what `items` uses (its connection) until the context ends; at its end
    the thread is stopped and joined.
    """
    handover: _Handover[T] = _Handover()
    thread = threading.Thread(target=_make, args=(items, handover), name="read-ahead", daemon=True)
    thread.start()
    try:
        yield _taken(handover)
    finally:
        handover.stop.set()
        thread.join()


def _make(items: Iterator[T], handover: _Handover[T]) -> None:
    """The thread: make each item and hand it over, until the end, an error or a stop."""
    end = _End()
    try:
        for value in items:
            if not handover.give(_Item(value)):
                return
            del value  # not kept alive while the next one is made
    except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
        end = _End(error)
    finally:
        close = getattr(items, "close", None)
        if close:
            close()
    handover.give(end)


def _taken(handover: _Handover[T]) -> Iterator[T]:
    """The items in order; the thread's error raised where it happened."""
    while True:
        item = handover.take()
        if isinstance(item, _End):
            if item.error is not None:
                raise item.error
            return
        yield item.value
        del item
