"""Text extraction of untrusted files in child processes, each file under a time and memory budget.

A hostile or broken file (a PDF whose compressed content stream unpacks to gigabytes, a DOCX
with a huge hidden part) must never take the app down or stall an import. So every file is
read and extracted in a child process (SPEC §8):

- memory: the child caps its own address space (RLIMIT_AS) where `resource` has it; on
  Windows, which has no such limit, a watchdog thread in the child ends it when its private
  memory passes the budget;
- time: the parent kills the child when one file takes longer than the budget, and starts a
  fresh one for the next file.

A file over either budget is skipped with its reason ("over the memory budget", "over the
time budget") and the import goes on. Results come back in the order the files were given.
"""

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait

DEFAULT_MEMORY_BYTES = 2 * 1024 * 1024 * 1024
DEFAULT_TIMEOUT_S = 120.0
OVER_MEMORY = "over the memory budget (the file needs too much memory to read; it may be damaged)"
OVER_TIME = "over the time budget (reading it took too long; it may be damaged)"
_STARTED = "started"


@dataclass(frozen=True)
class Budget:
    """What one file may use while it is read: bytes of memory and seconds."""

    memory_bytes: int = DEFAULT_MEMORY_BYTES
    timeout_s: float = DEFAULT_TIMEOUT_S


def _limit_memory(memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: watch the process's private memory instead
        _watch_windows_memory(memory_bytes)
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _watch_windows_memory(memory_bytes: int) -> None:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [
            ("cb", wintypes.DWORD),
            ("PageFaultCount", wintypes.DWORD),
            ("PeakWorkingSetSize", ctypes.c_size_t),
            ("WorkingSetSize", ctypes.c_size_t),
            ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPagedPoolUsage", ctypes.c_size_t),
            ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
            ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
            ("PagefileUsage", ctypes.c_size_t),
            ("PeakPagefileUsage", ctypes.c_size_t),
        ]

    psapi, kernel32 = ctypes.WinDLL("psapi"), ctypes.WinDLL("kernel32")
    process = kernel32.GetCurrentProcess()

    def watch() -> None:
        counters = Counters()
        counters.cb = ctypes.sizeof(Counters)
        while True:
            known = psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb)
            if known and counters.PagefileUsage > memory_bytes:
                os._exit(3)  # the parent reports the file as over the memory budget
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True, name="memory-budget").start()


def _child(conn: Connection, work: Callable, memory_bytes: int) -> None:
    """A child process: cap its memory, then run `work(*args)` for each task it is sent."""
    _limit_memory(memory_bytes)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, args = task
        conn.send((index, _STARTED))  # the file's time starts now, not at the child's start-up
        try:
            result = work(*args)
        except MemoryError:
            result = OVER_MEMORY
        try:
            conn.send((index, result))
        except MemoryError:
            conn.send((index, OVER_MEMORY))


# Tasks a child holds at once: the one it works on and those after it, so that it goes straight
# on while this process is busy (a batch commit takes tens of milliseconds, six small PDFs about
# as long) instead of waiting to be given one.
QUEUED = 6


class _Worker:
    def __init__(self, context, work: Callable, budget: Budget):
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(
            target=_child, args=(child_conn, work, budget.memory_bytes), daemon=True
        )
        self.process.start()
        child_conn.close()
        self.queue: list[int] = []  # the tasks given, the one being worked on first
        self.started: float | None = None  # when the child began the first of them

    def give(self, index: int, args: tuple) -> None:
        self.conn.send((index, args))
        self.queue.append(index)

    def done(self) -> int:
        """The task being worked on is done: the next one has not started yet."""
        self.started = None
        return self.queue.pop(0)

    def over_time(self, budget: Budget) -> bool:
        return self.started is not None and time.monotonic() - self.started >= budget.timeout_s

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def run_bounded(
    work: Callable,
    tasks: list[tuple],
    budget: Budget,
    workers: int = 1,
    window: int | None = None,
    idle: Callable[[], float | None] | None = None,
    weigh: Callable[[object], int] | None = None,
    max_held: int = 256 * 1024 * 1024,
) -> Iterator[object]:
    """`work(*task)` for each task in a child process under `budget`, results in task order.

    A task over the memory or time budget gives OVER_MEMORY or OVER_TIME instead of a result.
    `work` must be a module-level function (it is sent to spawned children). Closing the
    iterator stops every child. `idle`, when given, is called whenever the next result is not
    ready and this process would wait for a child; it returns in how many seconds it wants to
    be called again (None: not before the next wait).

    While one child is on a long task (a scan being recognised), the others go on with the
    tasks after it, up to `window` tasks ahead of the next result to give (8 a child unless
    given) and, with `weigh` (a result's size in bytes), while the results held back for it
    weigh less than `max_held`.
    """
    if not tasks:
        return
    # spawn: never fork a process that may hold Qt or an open SQLCipher connection.
    context = get_context("spawn")
    workers = max(1, min(workers, len(tasks)))
    window = window or workers * 8
    pool = [_Worker(context, work, budget) for _ in range(workers)]
    results: dict[int, object] = {}
    weights: dict[int, int] = {}  # of the results held, by task
    held = next_task = next_yield = 0

    def replace(i: int, outcome: str) -> None:
        """The child's task ends as OUTCOME and the child is replaced; its other tasks go to
        the new child."""
        worker = pool[i]
        results[worker.done()] = outcome
        worker.stop(kill=True)
        pool[i] = _Worker(context, work, budget)
        for index in worker.queue:
            pool[i].give(index, tasks[index])

    def give_out() -> None:
        """Hand the next tasks to the children with room for one."""
        nonlocal next_task
        for _round in range(QUEUED):
            for i, worker in enumerate(pool):
                if (
                    len(worker.queue) < QUEUED
                    and next_task < min(len(tasks), next_yield + window)
                    and held < max_held
                ):
                    try:
                        worker.give(next_task, tasks[next_task])
                    except OSError:  # the child died: as when its result never came
                        if worker.queue:
                            replace(i, OVER_MEMORY)
                        else:
                            worker.stop(kill=True)
                            pool[i] = _Worker(context, work, budget)
                        pool[i].give(next_task, tasks[next_task])
                    next_task += 1

    try:
        while next_yield < len(tasks):
            give_out()
            busy = [w for w in pool if w.queue]
            if busy:
                starts = [w.started for w in busy if w.started is not None]
                deadline = min(starts) + budget.timeout_s if starts else None
                left = None if deadline is None else max(0.0, deadline - time.monotonic())
                conns = [w.conn for w in busy]
                ready = wait(conns, 0)
                if not ready:
                    again = idle() if idle else None
                    if again is not None:
                        left = again if left is None else min(left, again)
                    ready = wait(conns, left)
                for i, worker in enumerate(pool):
                    if not worker.queue:
                        continue
                    if worker.conn in ready:
                        try:
                            index, result = worker.conn.recv()
                        except (EOFError, OSError):  # the child died (out of memory)
                            replace(i, OVER_MEMORY)
                            continue
                        if result == _STARTED:
                            worker.started = time.monotonic()
                            continue
                        worker.done()
                        results[index] = result
                        weights[index] = weigh(result) if weigh else 0
                        held += weights[index]
                    elif worker.over_time(budget):
                        replace(i, OVER_TIME)
            # The children freed just now start their next files before the caller is given
            # the results (it writes each to the store meanwhile), so they are never idle then.
            give_out()
            while next_yield in results:
                held -= weights.pop(next_yield, 0)
                yield results.pop(next_yield)
                next_yield += 1
    finally:
        for worker in pool:
            worker.stop(kill=bool(worker.queue))
