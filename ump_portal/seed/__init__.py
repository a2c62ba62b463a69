"""The portal's seed content: the facts of the five source documents, and their loader.

`content.toml` holds the data, in Polish and English (and in Ukrainian what newcomers
need first); `sections.py` says which TOML
array fills which model and how each object is keyed; `loader.py` writes it to the
database without overwriting what editors have changed since (see `SeedRecord`).
The `load_seed_content` management command runs the loader.
"""

from pathlib import Path

CONTENT_FILE = Path(__file__).resolve().parent / "content.toml"
