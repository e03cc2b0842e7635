"""Performance harness (not part of the test run). Each ``benchmarks/<app>_*.py`` script prints its
figures and the ratio against its baseline; ``python -m benchmarks`` runs them all."""
