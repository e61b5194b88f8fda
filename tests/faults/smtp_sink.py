"""A real SMTP server on loopback that keeps what it receives (aiosmtpd)."""

from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.faults.redis_server import free_port


class _Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self):
        self.port = free_port()
        self.collector = _Collector()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)

    def restart(self):
        """The server back on the same port after ``stop``, keeping what it received before."""
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.start()

    def parsed(self):
        """The received messages as ``email.message.EmailMessage`` objects (headers decoded and unfolded)."""
        return [message_from_bytes(envelope.original_content, policy=policy.default) for envelope in self.messages]

    @property
    def messages(self):
        return self.collector.messages

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()
