"""Fixtures for email in: private file storage, and a real IMAP server (pymap) per test."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    username: str
    password: str

    def connect(self, folder: str = "INBOX") -> MailBoxUnencrypted:
        return MailBoxUnencrypted(self.host, self.port).login(
            self.username, self.password, initial_folder=folder
        )

    def deliver(self, *messages: tuple[EmailMessage, dt.datetime]) -> None:
        """Put messages in the inbox as the mail server would, each with the time it arrived
        (one connection: signing in to pymap takes a good part of a second)."""
        with self.connect() as mailbox:
            for message, arrived in messages:
                mailbox.append(message.as_bytes(), "INBOX", dt=arrived, flag_set=())

    def subjects(self, folder: str) -> list[str]:
        with self.connect() as mailbox:
            if not mailbox.folder.exists(folder):
                return []
            mailbox.folder.set(folder)
            return sorted(mail.subject for mail in mailbox.fetch(mark_seen=False))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    """pymap's in-memory (dict) backend on a free port, plain IMAP, one mailbox user."""
    server = ImapServer("127.0.0.1", _free_port(), "complaints@landlord.example", "imap-secret")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("pymap")),
            *("--host", server.host, "--port", str(server.port), "--no-tls"),
            *("dict", "--demo-user", server.username, "--demo-password", server.password),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection((server.host, server.port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"pymap did not start: {process.stderr.read().decode()}")
                if time.monotonic() > deadline:
                    pytest.fail("pymap did not start listening within 15 seconds")
                time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()
