"""A small process pool for batch conversion: per-task timeout and crash isolation.

multiprocessing.Pool loses a task (and hangs imap) when a worker dies, and concurrent.futures breaks the
whole pool; neither can stop one task stuck inside C code. Here every worker has its own pipe, so the
parent knows which task a worker holds, can kill it at its deadline, report that one task as failed and
start a fresh worker, while the other tasks go on.

A task may also tell() the parent something while it runs (an OCR page done), and with it replace its
own time limit (a scan gets --ocr-timeout instead of --timeout); the caller receives a Note.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait

# Modules a fresh worker would otherwise import itself; the fork server imports them once.
PRELOAD = ["enforcement_parser.api", "enforcement_parser.engine.pipeline", "enforcement_parser.outputs.record",
           "enforcement_parser.commands.batch_run"]


@dataclass(frozen=True)
class Lost:
    """Why a task produced no result: its worker timed out or died."""

    task: object
    reason: str  # "timeout" or "crash"
    message: str


@dataclass(frozen=True)
class Note:
    """What a running task told the parent (tell()), received before the task's result."""

    task: object
    body: object


@dataclass(frozen=True)
class _Told:
    body: object
    limit: tuple[float, str] | None


_parent = None   # in a worker process: its pipe to the parent


def tell(body: object, *, limit: tuple[float, str] | None = None) -> None:
    """From inside a task: send body to the parent now. `limit` = (seconds, the option that set them)
    replaces the task's time limit, counted from the task's start (0 seconds: none). Outside a worker
    (a task run in the parent's own process) there is no one to tell: nothing happens."""
    if _parent is not None:
        _parent.send(_Told(body, limit))


def _context():
    """forkserver: workers start from a clean, thread-free process (the parent runs a progress thread)."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _serve(conn, func: Callable) -> None:
    """Worker loop: run tasks until the parent sends None or goes away. Ctrl-C is the parent's job."""
    global _parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _parent = conn
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
    """One process and the tasks sent to it; the first of them is the one it is working on."""

    def __init__(self, ctx, func: Callable):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child, func), daemon=True)
        self.proc.start()
        child.close()
        self.queue: deque = deque()
        self.deadline = _NEVER
        self.started = 0.0
        self.limit: tuple[float, str] | None = None   # the current task's (seconds, option)

    def give(self, task: object, timeout: float | None) -> None:
        self.queue.append(task)
        if len(self.queue) == 1:
            self.begin(timeout)
        try:
            self.conn.send(task)
        except OSError:
            pass  # the worker is dead: its sentinel turns the task into a Lost "crash"

    def done(self, timeout: float | None) -> None:
        """The first task answered: the next one starts now, and so does its clock."""
        self.queue.popleft()
        if self.queue:
            self.begin(timeout)
        else:
            self.deadline = _NEVER

    def begin(self, timeout: float | None) -> None:
        self.started = time.monotonic()
        self.set_limit((timeout or 0, "--timeout"))

    def set_limit(self, limit: tuple[float, str]) -> None:
        self.limit = limit
        self.deadline = self.started + limit[0] if limit[0] else _NEVER

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


_NEVER = float("inf")
_END = object()


def run_tasks(func: Callable, tasks: Iterable, *, jobs: int, timeout: float | None,
              depth: int = 2) -> Iterator[object]:
    """Yield func(task) for every task (in completion order), or a Lost for a task that timed out or
    crashed its worker; before a task's result, a Note for everything it tell()s. Tasks are pulled lazily, `depth` per worker in flight (so a worker never
    waits for the parent between two tasks), which keeps memory bounded. Closing the generator (or
    an exception in the caller) kills every worker."""
    ctx = _context()
    pending = iter(tasks)
    again: deque = deque()  # tasks sent to a worker that died before starting them
    workers = [_Worker(ctx, func) for _ in range(max(1, jobs))]
    try:
        while True:
            for worker in workers:
                while len(worker.queue) < depth:
                    task = again.popleft() if again else next(pending, _END)
                    if task is _END:
                        break
                    worker.give(task, timeout)
            busy = [w for w in workers if w.queue]
            if not busy:
                return
            outcomes = _collect(busy, timeout)
            for i, worker in enumerate(workers):
                if not worker.proc.is_alive():
                    again.extend(worker.queue)
                    workers[i] = _Worker(ctx, func)
            yield from (outcome for _, outcome in outcomes)
    finally:
        for worker in workers:
            if worker.queue:
                worker.kill()
            else:
                worker.stop()


def _collect(busy: list[_Worker], timeout: float | None) -> list[tuple[_Worker, object]]:
    """Wait until a busy worker answers, dies or passes its deadline; return what happened.
    A worker that died or was killed yields a Lost for the task it was running; its unstarted
    tasks stay in its .queue for the caller to send elsewhere."""
    deadline = min(w.deadline for w in busy)
    wait_for = None if deadline == _NEVER else max(0.0, deadline - time.monotonic())
    by_handle = {}
    for w in busy:
        by_handle[w.conn] = w
        by_handle[w.proc.sentinel] = w
    out: list[tuple[_Worker, object]] = []
    dead: set[_Worker] = set()
    for handle in wait(list(by_handle), timeout=wait_for):
        worker = by_handle[handle]
        if worker in dead:
            continue
        try:
            while worker.queue and worker.conn.poll():
                message = worker.conn.recv()
                if isinstance(message, _Told):
                    if message.limit is not None:
                        worker.set_limit(message.limit)
                    out.append((worker, Note(worker.queue[0], message.body)))
                    continue
                out.append((worker, message))
                worker.done(timeout)
        except (EOFError, OSError):
            pass
        if handle is worker.proc.sentinel or not worker.proc.is_alive():
            dead.add(worker)
    now = time.monotonic()
    for worker in busy:
        if worker in dead:
            worker.proc.join(1)
            lost = Lost(worker.queue[0], "crash", f"worker process died (exit code {worker.proc.exitcode})") \
                if worker.queue else None
        elif worker.queue and worker.deadline <= now:
            seconds, option = worker.limit
            lost = Lost(worker.queue[0], "timeout", f"no result within {seconds:g} s ({option})")
        else:
            continue
        worker.kill()
        if lost is not None:
            worker.queue.popleft()
            out.append((worker, lost))
    return out
