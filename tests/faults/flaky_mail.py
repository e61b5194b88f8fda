"""An e-mail backend whose SMTP server is down for the first N messages, then delivers to the outbox."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    failures_left = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connexion au serveur SMTP perdue")
        return super().send_messages(messages)


def reset(failures: int) -> None:
    FlakyBackend.failures_left = failures
    FlakyBackend.attempts = 0
    mail.outbox = []
