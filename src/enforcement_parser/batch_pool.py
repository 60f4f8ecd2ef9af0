"""A small process pool for batch conversion: per-task timeout and crash isolation.

multiprocessing.Pool loses a task (and hangs imap) when a worker dies, and concurrent.futures breaks the
whole pool; neither can stop one task stuck inside C code. Here every worker has its own pipe, so the
parent knows which task a worker holds, can kill it at its deadline, report that one task as failed and
start a fresh worker, while the other tasks go on.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait

# Modules a fresh worker would otherwise import itself; the fork server imports them once.
PRELOAD = ["enforcement_parser.api", "enforcement_parser.engine", "enforcement_parser.record",
           "enforcement_parser.batch"]


@dataclass(frozen=True)
class Lost:
    """Why a task produced no result: its worker timed out or died."""

    task: object
    reason: str  # "timeout" or "crash"
    message: str


def _context():
    """forkserver: workers start from a clean, thread-free process (the parent runs a progress thread)."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _serve(conn, func: Callable) -> None:
    """Worker loop: run tasks until the parent sends None or goes away. Ctrl-C is the parent's job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            conn.send(func(task))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx, func: Callable):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child, func), daemon=True)
        self.proc.start()
        child.close()
        self.task: object = None
        self.deadline = float("inf")

    def give(self, task: object, timeout: float | None) -> None:
        self.task = task
        self.deadline = time.monotonic() + timeout if timeout else float("inf")
        try:
            self.conn.send(task)
        except OSError:
            pass  # the worker is dead: its sentinel turns the task into a Lost "crash"


    def take(self) -> object:
        task, self.task, self.deadline = self.task, None, float("inf")
        return task

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.kill()
        self.conn.close()


def run_tasks(func: Callable, tasks: Iterable, *, jobs: int, timeout: float | None) -> Iterator[object]:
    """Yield func(task) for every task (in completion order), or a Lost for a task that timed out or
    crashed its worker. Tasks are pulled lazily, at most `jobs` in flight, so memory stays bounded.
    Closing the generator (or an exception in the caller) kills every worker."""
    ctx = _context()
    pending = iter(tasks)
    workers = [_Worker(ctx, func) for _ in range(max(1, jobs))]
    idle = list(workers)
    busy: list[_Worker] = []
    exhausted = False
    try:
        while True:
            while idle and not exhausted:
                task = next(pending, _END)
                if task is _END:
                    exhausted = True
                    break
                worker = idle.pop()
                worker.give(task, timeout)
                busy.append(worker)
            if not busy:
                return
            for worker, outcome in _collect(busy, timeout):
                busy.remove(worker)
                if isinstance(outcome, Lost):
                    workers.remove(worker)
                    worker = _Worker(ctx, func)
                    workers.append(worker)
                idle.append(worker)
                yield outcome
    finally:
        for worker in workers:
            if worker.task is None:
                worker.stop()
            else:
                worker.kill()


_END = object()


def _collect(busy: list[_Worker], timeout: float | None) -> list[tuple[_Worker, object]]:
    """Wait for at least one busy worker to answer, die or pass its deadline."""
    deadline = min(w.deadline for w in busy)
    wait_for = None if deadline == float("inf") else max(0.0, deadline - time.monotonic())
    by_handle = {}
    for w in busy:
        by_handle[w.conn] = w
        by_handle[w.proc.sentinel] = w
    ready = wait(list(by_handle), timeout=wait_for)
    out: dict[_Worker, object] = {}
    for handle in ready:
        worker = by_handle[handle]
        if worker in out:
            continue
        if worker.conn.poll():
            try:
                out[worker] = worker.conn.recv()
                worker.take()
                continue
            except (EOFError, OSError):
                pass
        worker.proc.join(1)
        code = worker.proc.exitcode
        out[worker] = Lost(worker.take(), "crash", f"worker process died (exit code {code})")
        worker.kill()
    now = time.monotonic()
    for worker in busy:
        if worker not in out and worker.deadline <= now:
            worker.kill()
            out[worker] = Lost(worker.take(), "timeout", f"no result within {timeout:g} s (--timeout)")
    return list(out.items())
