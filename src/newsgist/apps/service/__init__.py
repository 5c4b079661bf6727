"""The HTTP service (``newsgist serve``): ``app`` (FastAPI routes, limits,
security headers), ``engine`` (worker processes with per-request deadlines),
``docs`` (offline Swagger UI), ``web/`` (the page at ``/``).
"""
