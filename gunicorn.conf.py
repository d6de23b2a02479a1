"""gunicorn's settings, read from the project directory whenever gunicorn starts there.

Command-line flags (workers, threads, bind) still win; see docs/scale.md."""

# How long gunicorn keeps an idle connection open for the next request. Its default, 2 s, is
# shorter than a person's pause between pages, and the gthread worker closes a connection whose
# time is up without reading a request that has just arrived on it: the client gets "connection
# reset" for a request the application never saw (the load test saw about 1 request in 100 fail
# this way on a busy machine). Longer than whatever holds connections open to gunicorn (a
# browser between clicks, or a load balancer's 60 s idle time-out), so that end always closes
# an idle connection first and gunicorn never closes one a request is arriving on.
keepalive = 75
