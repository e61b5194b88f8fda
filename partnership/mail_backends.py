"""Development e-mail: printed on the console of the process that sends it, and kept as a file.

``EMAIL_FILE_PATH=var/e-mails make run``: each message is also written there, one ``.eml`` file per message
(opened by any mail program, links clickable), named by the time it was sent. With a Celery worker
(``REDIS_URL``), the worker sends the e-mails: they print on its console, not on runserver's.
"""

import datetime
import itertools
import os
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

_sequence = itertools.count(1)


class ConsoleAndFileEmailBackend(ConsoleEmailBackend):
    def __init__(self, *args, file_path: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        if email_messages:
            self.file_path.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
                name = f"{stamp}-{os.getpid()}-{next(_sequence)}.eml"
                (self.file_path / name).write_bytes(message.message().as_bytes(linesep="\r\n"))
        return sent
