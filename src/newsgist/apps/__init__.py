"""The interfaces over the library: ``cli/`` (one module per command group),
``service/`` (HTTP API, engine, docs, web page) and ``batch/`` (local processes, Ray).

The top layer: may import anything in ``newsgist``; nothing imports it (but the
``newsgist`` console script and ``python -m newsgist``).
"""
