#!/usr/bin/env python3
"""Servers that misbehave on purpose, for the live tests.

    hostile.py drip PORT [PREFIX]     sends PREFIX (the start of a valid
                                      reply), then one byte every 0.2 s
                                      forever: each read succeeds, so only
                                      an overall deadline stops a client
    hostile.py flood PORT [PREFIX]    sends PREFIX, then 4 KiB every 10 ms
                                      without end
    hostile.py escape PORT            answers every line with a Redis-style
                                      error that holds terminal escape codes
"""
import socket
import sys
import threading
import time


def drip(c, greeting):
    c.sendall(greeting)
    while True:
        c.sendall(b"7")
        time.sleep(0.2)


def flood(c, greeting):
    c.sendall(greeting)
    while True:
        c.sendall(b"7" * 4096)
        time.sleep(0.01)


def escape(c, _greeting):
    f = c.makefile("rb")
    while f.readline():
        c.sendall(b"-ERR \x1b[2J\x1b[H\x1b]0;owned\x07ok    Redis is fine\x9b1m\r\n")


def serve(c, mode, greeting):
    try:
        {"drip": drip, "flood": flood, "escape": escape}[mode](c, greeting)
    except OSError:
        pass
    finally:
        c.close()


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    greeting = sys.argv[3].encode().decode("unicode_escape").encode("latin-1") \
        if len(sys.argv) > 3 else b""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, mode, greeting), daemon=True).start()


main()
