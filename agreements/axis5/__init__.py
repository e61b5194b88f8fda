"""Axis 5 of the framework agreement: INET internships at the AMF and studies requested by the AMF.

``models`` (``Internship``, ``Study``: ``agreements`` app label and tables, registered by
``agreements.models``), ``services`` (the writes and status changes), ``forms``, ``views`` and ``urls``
(``/stages-etudes/``), ``reminders`` (a study due soon), ``demo`` (its part of ``seed_demo``).
"""
