"""The petition's delivery package for one target: a PDF (cover letter, the ask, totals,
supporters' public comments, the signer list) and a manifest CSV whose SHA-256 hashes prove later
what was delivered. Built by a worker (``build``), started and downloaded from the reports."""
