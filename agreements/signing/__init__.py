"""Online signing of partnership contracts, from « envoyer à la signature » to the sealed PDF.

Reading order: ``services`` (the flow: the document presented for signature, requests, codes,
signatures, refusals, finalisation), ``selectors`` (the reads), ``audit`` (the hash-chained
evidence), ``final_document`` and ``sealing`` (the PDF handed back), ``emails`` and ``tasks`` (what
goes out), ``views`` (the signer's portal and the délégué's countersigning in the application).
The models keep the ``agreements`` app label and tables; ``agreements.models`` registers them.
"""
