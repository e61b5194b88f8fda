"""A real SMTP server on loopback that keeps what it receives (aiosmtpd)."""

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

    @property
    def messages(self):
        return self.collector.messages

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()
