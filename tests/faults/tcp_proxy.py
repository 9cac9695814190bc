"""A TCP proxy that can be switched off and on, to make a server unreachable for a while."""

import contextlib
import socket
import threading

from bench.http_load import free_port

# How often the accepting thread looks whether it should stop.
ACCEPT_POLL_SECONDS = 0.1


class TcpProxy:
    """Forward 127.0.0.1:<port> to `target`. stop() cuts every open connection and refuses new
    ones, as a database server that went away does; start() listens on the same port again."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._acceptor: threading.Thread | None = None
        self._pumps: list[threading.Thread] = []
        self._running = threading.Event()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(ACCEPT_POLL_SECONDS)
        self._running.set()
        self._acceptor = self._spawn(self._accept, listener)

    def stop(self) -> None:
        self._running.clear()
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)  # first: it accepts no connection after this
            self._acceptor = None
        with self._lock:
            sockets, self._sockets = self._sockets, set()
            pumps, self._pumps = self._pumps, []
        for connection in sockets:
            _close(connection)
        for thread in pumps:
            thread.join(timeout=5)

    def _spawn(self, target, *args) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        return thread

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._running.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    _close(client)
                    continue
                client.settimeout(None)
                upstream.settimeout(None)
                with self._lock:
                    self._sockets |= {client, upstream}
                    self._pumps += [
                        self._spawn(_pump, client, upstream),
                        self._spawn(_pump, upstream, client),
                    ]


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass  # the other side, or stop(), closed the connection
    finally:
        _close(source)
        _close(sink)


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading it
    connection.close()
