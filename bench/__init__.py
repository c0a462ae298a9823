"""Benchmarks: the real stack on loopback under a viral spike. Run with ``make bench``.

Nothing here runs in CI or in the test suite; benchmarks report figures, they assert nothing.
"""
