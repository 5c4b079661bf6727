"""Batch runs over JSONL corpora: ``local`` (streaming, resumable, worker
processes) and ``ray_engine`` (the same records on a Ray cluster).
"""
