"""The project's middleware, in the order `MIDDLEWARE` runs them (settings.py):

- `request_id`: an id on every response and every log line;
- `security`: the one security header neither Django nor a package sets;
- `health`: `/healthz`, answered before anything reads the host;
- `page_cache`: whole pages for anonymous visitors, before the session is read;
- `database_down`: the 503 page when the database does not answer.

docs/ARCHITECTURE.md ("A request") tells how a request passes through them.
"""
