"""Batch runs over JSONL corpora: ``local`` (streaming, resumable, worker processes,
per-record time budget), ``records`` (records, result lines, input readers) and
``ray_engine`` (the same records on a Ray cluster).
"""
