"""Ports for the tests' own servers, and for a service that is not there."""

import socket


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on once this returns.

    For a server that must be told its port up front (PostgreSQL, JupyterHub, JupyterLab), or
    for an address where no service answers.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
