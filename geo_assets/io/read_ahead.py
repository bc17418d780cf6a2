"""Items of an iterator made one ahead in a thread, while the caller works on the one before.

A large import reads and checks slice k+1 in this thread while the database writes slice k: the
database's work and Python's then overlap on two cores. The items still arrive in order, an
exception raised while making one is raised to the caller at that place, and a caller that stops
early (an error while writing) stops the thread at its next item.
"""

from __future__ import annotations

import queue
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


@contextmanager
def read_ahead(items: Iterator[T], ahead: int = 1) -> Iterator[Iterator[T]]:
    """`items`, made in a thread at most `ahead` items before the caller takes them.

    Nothing else may use what `items` uses (its connection) until the context ends; at its end
    the thread is stopped and joined.
    """
    handover: queue.Queue[_Item[T] | _End] = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    thread = threading.Thread(
        target=_make, args=(items, handover, stop), name="read-ahead", daemon=True
    )
    thread.start()
    try:
        yield _taken(handover)
    finally:
        stop.set()
        thread.join()


def _make(
    items: Iterator[T], handover: queue.Queue[_Item[T] | _End], stop: threading.Event
) -> None:
    """The thread: make each item and hand it over, until the end, an error or a stop."""
    end = _End()
    try:
        for value in items:
            if not _hand_over(handover, _Item(value), stop):
                return
            del value  # not kept alive while the next one is made
    except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
        end = _End(error)
    finally:
        close = getattr(items, "close", None)
        if close:
            close()
    _hand_over(handover, end, stop)


def _hand_over(
    handover: queue.Queue[_Item[T] | _End], item: _Item[T] | _End, stop: threading.Event
) -> bool:
    """Put `item` in the queue once there is room; False if the caller stopped first."""
    while not stop.is_set():
        try:
            handover.put(item, timeout=_POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False


def _taken(handover: queue.Queue[_Item[T] | _End]) -> Iterator[T]:
    """The items in order; the thread's error raised where it happened."""
    while True:
        item = handover.get()
        if isinstance(item, _End):
            if item.error is not None:
                raise item.error
            return
        yield item.value
        del item
