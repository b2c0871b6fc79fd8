"""A loopback SMTP server that keeps what it receives, for tests and benchmarks.

    python -m tests.helpers.smtp_sink --dir DIR [--port 0] [--delay-ms N]

Prints ``listening on <port>`` once ready and serves until it is killed. It accepts every
message and writes:

- ``DIR/deliveries.log``: one line per message accepted (its Message-ID and recipients),
  duplicates included. ``mailbox`` reads it as a mail store that de-duplicates by
  Message-ID would hold it: one copy per Message-ID.

``--delay-ms`` holds each reply to DATA that long (a slower mail server), so a test can kill a
sender while a batch is in flight. Bound to 127.0.0.1 only. Speaks the few SMTP commands
``smtplib`` uses (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT).
"""

import argparse
import asyncio
import re
import subprocess  # nosec B404: starts this module in a child process
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


class Sink:
    def __init__(self, directory: Path, delay: float):
        self.delay = delay
        directory.mkdir(parents=True, exist_ok=True)
        self.log = (directory / "deliveries.log").open("a", buffering=1)

    def keep(self, data: bytes, recipients: list[str]) -> None:
        headers = data.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(headers)
        message_id = found.group(1).decode() if found else "<none>"
        self.log.write(f"{message_id} {','.join(recipients)}\n")

    async def session(self, reader, writer) -> None:
        def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        reply("220 127.0.0.1 psd test sink")
        recipients: list[str] = []
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    reply("250-127.0.0.1")
                    reply("250 8BITMIME")
                elif verb == b"DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    data = await self.read_data(reader)
                    if self.delay:
                        await asyncio.sleep(self.delay)
                    self.keep(data, recipients)
                    recipients = []
                    reply("250 OK: queued")
                elif verb == b"QUIT":
                    reply("221 Bye")
                    break
                elif verb == b"RCPT":
                    recipients.append(line[8:].strip().decode(errors="replace").strip("<>"))
                    reply("250 OK")
                elif verb in (b"HELO", b"MAIL", b"RSET", b"NOOP"):
                    reply("250 OK")
                else:
                    reply("502 Command not implemented")
                await writer.drain()
        except ConnectionError:
            pass  # the client died mid-session: nothing it sent is kept
        finally:
            writer.close()

    @staticmethod
    async def read_data(reader) -> bytes:
        lines = []
        while True:
            line = await reader.readline()
            if not line:
                raise ConnectionError("client went away inside DATA")
            if line in (b".\r\n", b".\n"):
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b"..") else line)


def deliveries(directory: Path) -> list[str]:
    """The Message-ID of every message the sink accepted, in order, duplicates included."""
    log = Path(directory) / "deliveries.log"
    return [line.split(" ", 1)[0] for line in log.read_text().splitlines()] if log.exists() else []


def mailbox(directory: Path) -> set[str]:
    """What a mail store that de-duplicates by Message-ID holds: one copy of each."""
    return set(deliveries(directory))


def start(directory: Path, *, delay_ms: float = 0) -> tuple[subprocess.Popen, int]:
    """Start the sink in a child process; return it and the port it listens on."""
    process = subprocess.Popen(  # noqa: S603  # nosec B603: our own module, fixed arguments
        [sys.executable, "-m", "tests.helpers.smtp_sink", "--dir", str(directory)]
        + ["--delay-ms", str(delay_ms)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError("the SMTP sink did not start")
    return process, int(line.split()[-1])


async def serve(directory: Path, port: int, delay: float) -> None:
    sink = Sink(directory, delay)
    server = await asyncio.start_server(sink.session, "127.0.0.1", port)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, default=0)
    args = parser.parse_args()
    asyncio.run(serve(args.dir, args.port, args.delay_ms / 1000))


if __name__ == "__main__":
    main()
