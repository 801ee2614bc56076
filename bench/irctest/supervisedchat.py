"""irctest controller for SupervisedChat (copied into an irctest checkout by bench/irctest/run.sh).

Starts one server process per test case:

    dotnet $SUPERVISEDCHAT_DLL --port 0 --irc-port PORT --bind HOSTNAME
           --max-per-ip 0 --flood-rate 0 --server-name My.Little.Server
           [--irc-password PASS]

``--port 0`` lets the server's own (line-chat) listener pick a free port; the
IRC listener gets the port irctest chose. The server prints
``SupervisedChat listening on ADDR:PORT`` and then ``IRC listening on ADDR:PORT``
on stdout when ready; ``run`` waits for the IRC port to accept with irctest's
``wait_for_port`` and, if the process exits first, raises with the server's
last output lines so the failure says why.

Nothing is claimed that the server is not known to do: no capabilities, no
SASL mechanisms, no ISUPPORT expectations, no optional behaviours. Tests then
find out for themselves (CAP NAK -> skip, which is irctest's normal path for
any server that does not advertise a capability).
"""

import atexit
import collections
import os
from pathlib import Path
import subprocess
import sys
import signal
import threading
import time
from typing import IO, Deque, Optional, Set, Type

from irctest.basecontrollers import (
    BaseServerController,
    DirectoryBasedController,
    ProcessStopped,
)
from irctest.runner import NotImplementedByController

READY_TIMEOUT = 30.0  # seconds to wait for "IRC listening on"
SERVER_NAME = "My.Little.Server"  # the name irctest's tests expect (time.py, who.py, ...)


# Servers this pytest process started and has not stopped yet. irctest does not
# call kill() when a test's setUp raises SkipTest after the server started
# (e.g. bot_mode.py without the BOT token), so such servers would outlive the
# run; at exit, this process stops exactly those (by process group it created).
_live: Set[subprocess.Popen] = set()


@atexit.register
def _stop_leftover_servers() -> None:
    for proc in list(_live):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # start_new_session: pgid == pid
            except OSError:
                proc.terminate()
    for proc in list(_live):
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
    _live.clear()


class SupervisedChatController(BaseServerController, DirectoryBasedController):
    software_name = "SupervisedChat"
    supported_sasl_mechanisms: Set[str] = set()
    supports_sts = False
    # capabilities / optional_behaviors / isupport: left at the base class's
    # empty defaults on purpose (claim nothing).

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._output: Deque[str] = collections.deque(maxlen=50)
        self._irc_ready = threading.Event()

    def _pump(self, stream: IO[bytes], name: str) -> None:
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self._output.append(f"{name}: {line}")
            if line.startswith("IRC listening on"):
                self._irc_ready.set()
            if self.debug_mode:
                try:
                    sys.stdout.write(f"{time.time():.3f} supervisedchat {name}: {line}\n")
                except ValueError:
                    pass

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
        websocket_hostname: Optional[str],
        websocket_port: Optional[int],
    ) -> None:
        if websocket_hostname is not None or websocket_port is not None:
            raise NotImplementedByController("Websocket")
        if ssl:
            raise NotImplementedByController("TLS")
        if run_services:
            raise NotImplementedByController("Services")
        assert self.proc is None
        self.port = port
        self.hostname = hostname
        self.create_config()  # temp directory, removed by kill()
        assert self.directory is not None

        dll = os.environ.get("SUPERVISEDCHAT_DLL", "")
        if not Path(dll).is_file():
            raise FileNotFoundError(
                f"SUPERVISEDCHAT_DLL={dll!r} is not a file: publish the server first "
                "(bench/irctest/run.sh does)"
            )
        command = [
            os.environ.get("DOTNET", "dotnet"),
            dll,
            "--port", "0",
            "--irc-port", str(port),
            "--bind", hostname,
            "--max-per-ip", "0",
            "--flood-rate", "0",
            "--server-name", SERVER_NAME,
            # The operator account the oper, info, kill and who tests use (ngircd.py configures the same).
            "--irc-oper", "operuser:operpassword",
        ]
        if password is not None:
            command += ["--irc-password", password]

        env = dict(os.environ)
        env.setdefault("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
        env.setdefault("DOTNET_NOLOGO", "1")

        self._output.clear()
        self._irc_ready.clear()
        self.proc = self.execute(
            command,
            proc_name="supervisedchat",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.directory,
            env=env,
        )
        _live.add(self.proc)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        for stream, name in ((self.proc.stdout, "out"), (self.proc.stderr, "err")):
            threading.Thread(
                target=self._pump, args=(stream, name), daemon=True
            ).start()

        self.wait_for_port()

    def kill_proc(self) -> None:
        proc = self.proc
        super().kill_proc()
        _live.discard(proc)  # type: ignore[arg-type]

    def _tail(self) -> str:
        time.sleep(0.2)  # let the pump threads drain the last lines
        return "\n".join(self._output) or "(no output)"

    def wait_for_port(self) -> None:
        if self.port_open:
            return
        # First the readiness line (or an early exit, e.g. an unknown option),
        # so that a server that never opens the IRC port fails in seconds
        # instead of irctest's 60 s connect loop per test.
        deadline = time.time() + READY_TIMEOUT
        while not self._irc_ready.wait(0.05):
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise ProcessStopped(
                    f"SupervisedChat exited with {self.proc.returncode} before "
                    f"printing 'IRC listening on'; last output:\n{self._tail()}"
                )
            if time.time() > deadline:
                raise TimeoutError(
                    f"SupervisedChat did not print 'IRC listening on' within "
                    f"{READY_TIMEOUT} s; last output:\n{self._tail()}"
                )
        # Then irctest's own check: connect, QUIT, wait for the server to
        # process it (keeps LUSERS counts clean).
        try:
            super().wait_for_port()
        except ProcessStopped as e:
            raise ProcessStopped(
                f"SupervisedChat exited before its IRC port {self.port} accepted "
                f"({e}); last output:\n{self._tail()}"
            ) from None


def get_irctest_controller_class() -> Type[SupervisedChatController]:
    return SupervisedChatController
