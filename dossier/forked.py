"""One function call in a forked process, its result sent back through a pipe.

Simpler than a process pool, and safe to stop at any moment: no helper threads, no queue
locks that a killed worker could leave held (a ``multiprocessing.Pool`` whose worker dies
waiting for a task hangs its parent in ``terminate()``). The child ignores Ctrl-C (the
terminal sends it to the whole process group: stopping is the parent's job) and dies
silently on SIGTERM; the parent stops children with SIGKILL. No traceback either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal

HELD = {signal.SIGINT, signal.SIGTERM}


def available() -> bool:
    """Tell whether this system can fork."""
    return hasattr(os, "fork") and hasattr(signal, "pthread_sigmask")


class WorkerDied(RuntimeError):
    """The forked process ended without sending its result."""


class Call:
    """A call running in a child process; ``get()`` waits for its result."""

    def __init__(self, func, args: tuple = (), initializer=None):
        read, write = os.pipe()
        # Both signals wait while forking: none reaches the child before its own handlers.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
        try:
            pid = os.fork()
            if pid == 0:  # the child: never returns
                os.close(read)
                _child(write, mask, func, args, initializer)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(write)
        self.pid, self._read, self._done, self._value = pid, read, False, None

    def get(self):
        """The call's return value (its exception is raised here); waits for it."""
        if not self._done:
            chunks = []
            try:
                while chunk := os.read(self._read, 1 << 20):
                    chunks.append(chunk)
            finally:
                self.cancel()
            if not chunks:
                raise WorkerDied("a worker process ended without its result")
            self._value = pickle.loads(b"".join(chunks))
        ok, value = self._value
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child if it still runs and reap it (idempotent)."""
        if self._done:
            return
        self._done = True
        self._value = (False, WorkerDied("the worker was stopped"))
        with contextlib.suppress(OSError):
            os.close(self._read)
        with contextlib.suppress(OSError):  # ended already, or another process's child
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _child(write: int, mask, func, args: tuple, initializer) -> None:
    """Run in the forked child: quiet signals, the call, its pickled result, then exit."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if initializer is not None:
            initializer()
        try:
            data = pickle.dumps((True, func(*args)), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # a bug in the call: the parent raises it
            try:
                data = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
            except Exception:
                data = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        view = memoryview(data)
        while view:
            view = view[os.write(write, view):]
    except BaseException:  # the parent went away (a broken pipe): nothing to tell anyone
        code = 1
    finally:
        os._exit(code)  # never the parent's clean-up, atexit handlers or buffered output


class Worker:
    """Calls started in forked children, each after ``initializer``: a pool's interface."""

    def __init__(self, initializer=None):
        self.initializer, self.calls = initializer, []

    def apply_async(self, func, args: tuple = ()) -> Call:
        """Start ``func(*args)`` in a new child now; return the call."""
        call = Call(func, args, self.initializer)
        self.calls.append(call)
        return call

    def terminate(self) -> None:
        """Stop every child still running."""
        for call in self.calls:
            call.cancel()
