#!/usr/bin/python3
"""Latency like a region's network, for scripts/bench.sh: TCP relays on 127.0.0.1 that forward to the local
cloud's ports, each byte held DELAY in each direction, and each new connection's first bytes a further round trip
(2 x DELAY), as the TCP handshake costs on a real path. This kernel has no netem qdisc (CONFIG_NET_SCH_NETEM is
not set), so the delay is made here, in user space, the same for every contender.

Usage: latency-relay.py LISTEN:TARGET:DELAY_MS [...]     e.g. 0:18081:5 0:18090:0.1 (LISTEN 0: any free port)
Loopback only; once every listener is up prints "ready" and the listening ports, in the order given; runs
until killed (bench.sh kills it).
"""
import asyncio
import socket
import sys
import time


def relay_pair(delay, handshake_until):
    """One direction's pump: writes each chunk DELAY after it arrived, in order, never earlier than
    handshake_until (the first data of a connection waits out the handshake's round trip)."""

    async def pump(reader, writer):
        due = handshake_until
        try:
            while True:
                data = await reader.read(65536)
                now = time.monotonic()
                due = max(due, now + delay)
                wait = due - now
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            try:
                if writer.can_write_eof():
                    writer.write_eof()
            except (ConnectionError, OSError, RuntimeError):
                pass

    return pump


async def serve(listen, target, delay):
    async def on_client(c_reader, c_writer):
        accepted = time.monotonic()
        try:
            s_reader, s_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            c_writer.close()
            return
        for w in (c_writer, s_writer):
            w.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # SYN, SYN-ACK: the client's first bytes leave after one round trip and arrive one delay later.
        up = relay_pair(delay, accepted + 3 * delay)(c_reader, s_writer)
        down = relay_pair(delay, 0)(s_reader, c_writer)
        await asyncio.gather(up, down)
        for w in (c_writer, s_writer):
            w.close()

    server = await asyncio.start_server(on_client, "127.0.0.1", listen, reuse_address=True)
    return server


async def main(specs):
    servers = []
    for spec in specs:
        listen, target, delay_ms = spec.split(":")
        servers.append(await serve(int(listen), int(target), float(delay_ms) / 1000))
    ports = [str(s.sockets[0].getsockname()[1]) for s in servers]
    print("ready " + " ".join(ports), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    try:
        asyncio.run(main(sys.argv[1:]))
    except KeyboardInterrupt:
        pass
