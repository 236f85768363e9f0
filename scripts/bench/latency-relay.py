#!/usr/bin/python3
"""Latency like a region's network, for scripts/bench.sh: TCP relays on 127.0.0.1 that forward to the local
cloud's ports, each byte held DELAY in each direction, and each new connection's first bytes a further round trip
(2 x DELAY), as the TCP handshake costs on a real path. This kernel has no netem qdisc (CONFIG_NET_SCH_NETEM is
not set), so the delay is made here, in user space, the same for every contender.

Each direction of a connection has a reader, which stamps what arrives with the time it is due, and a writer,
which sleeps until then (time.sleep: sub-millisecond, unlike an event loop's millisecond timeouts) and sends it.
Order is kept; nothing is batched or reordered.

Usage: latency-relay.py LISTEN:TARGET:DELAY_MS [...]     e.g. 0:18081:5 0:18090:0.1 (LISTEN 0: any free port)
Loopback only; once every listener is up prints "ready" and the listening ports, in the order given; runs
until killed (bench.sh kills it).
"""
import queue
import socket
import sys
import threading
import time


def direction(src, dst, delay, not_before):
    """Copies src to dst, each chunk sent DELAY after it arrived and never before not_before."""
    pending = queue.SimpleQueue()

    def read():
        try:
            while True:
                data = src.recv(65536)
                pending.put((max(time.monotonic() + delay, not_before), data))
                if not data:
                    return
        except OSError:
            pending.put((0, b""))

    def write():
        try:
            while True:
                due, data = pending.get()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if not data:
                    dst.shutdown(socket.SHUT_WR)
                    return
                dst.sendall(data)
        except OSError:
            pass

    threads = [threading.Thread(target=f, daemon=True) for f in (read, write)]
    for t in threads:
        t.start()
    return threads


def relay(client, target, delay):
    accepted = time.monotonic()
    try:
        upstream = socket.create_connection(("127.0.0.1", target))
    except OSError:
        client.close()
        return
    for s in (client, upstream):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # SYN, SYN-ACK: the client's first bytes leave after one round trip and arrive one delay later.
    threads = direction(client, upstream, delay, accepted + 3 * delay) + direction(upstream, client, delay, 0)
    for t in threads:
        t.join()
    client.close()
    upstream.close()


def listen(port, target, delay):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(128)

    def accept():
        while True:
            client, _ = server.accept()
            threading.Thread(target=relay, args=(client, target, delay), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return server.getsockname()[1]


def main(specs):
    ports = []
    for spec in specs:
        port, target, delay_ms = spec.split(":")
        ports.append(str(listen(int(port), int(target), float(delay_ms) / 1000)))
    print("ready " + " ".join(ports), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    try:
        main(sys.argv[1:])
    except KeyboardInterrupt:
        pass
