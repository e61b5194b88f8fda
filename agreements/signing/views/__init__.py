"""The two doors onto the signing services: the signer's portal (``portal``: personal link, no
account; with the public verification page) and countersigning in the application (``countersign``)."""
