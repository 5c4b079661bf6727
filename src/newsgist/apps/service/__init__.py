"""The HTTP service (``newsgist serve``): ``app`` (FastAPI routes, limits), ``middleware``
(body limit, per-client cap, security headers), ``pool`` (the scheduler: lanes, fair
queues, deadlines), ``workers`` (the worker processes seen from the server), ``engine``
(settings, errors, the worker side), ``docs`` (offline Swagger UI), ``web/`` (the page).
"""
