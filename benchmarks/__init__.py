"""Benchmarks: ``python -m benchmarks`` runs every module here that has a ``main()``;
``python -m benchmarks.<name>`` runs one. Each prints its figures with a ratio
against a baseline measured in the same run (see README.md). Never run by the tests.
"""
