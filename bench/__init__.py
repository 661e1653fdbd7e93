"""Benchmarks, not tests: the numbers belong to the machine.

``make bench`` (``bench.site``) loads an archive into PostgreSQL and drives the reader
site and the API with wrk under production settings; ``bench/images.py`` times image
renditions against bare Pillow (``make bench-images``).
"""
