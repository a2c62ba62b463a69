"""Which array of tables in `content.toml` fills which model, and how its rows are keyed.

Models are named by their label (`app_label.ModelName`), as the seed keys store them,
and the loader looks each one up through the app registry.

A row's entries are model field names (translated fields with their language suffix,
`name_pl` / `name_en`), a foreign key holds the seed key of the object it points to,
and a many-to-many field a list of such keys. The only entry that is not a field is
`key`, used where a model has no slug to key its rows by.
"""

from dataclasses import dataclass

# Row entries that are not model fields.
RESERVED_ENTRIES = frozenset({"key"})


@dataclass(frozen=True)
class Section:
    name: str
    """The TOML array of tables, e.g. `[[cities]]`."""
    model_label: str
    """`app_label.ModelName`; also the first half of every seed key of the section."""
    key_entries: tuple[str, ...]
    """Row entries that together make the stable key (joined with "/")."""
    natural_lookup: tuple[str, ...]
    """Fields that find an object created by hand before the first load, so it is
    taken over instead of duplicated (slugs and unique pairs)."""

    def key_of(self, row):
        missing = [entry for entry in self.key_entries if not row.get(entry)]
        if missing:
            raise ValueError(f"a row of [[{self.name}]] has no {', '.join(missing)}: {row}")
        return "/".join(str(row[entry]) for entry in self.key_entries)

    def seed_key(self, key):
        """The key a `SeedRecord` is stored under, e.g. `cities.City:gdansk`."""
        return f"{self.model_label}:{key}"


# In dependency order: a row may only point to rows of the sections above it.
SECTIONS = (
    Section("organisations", "declarations.Organisation", ("key",), ("name_en",)),
    Section("cities", "cities.City", ("slug",), ("slug",)),
    Section("mayors", "cities.Mayor", ("key",), ("city", "full_name")),
    Section("declarations", "declarations.Declaration", ("slug",), ("slug",)),
    Section(
        "signatories", "declarations.Signatory", ("declaration", "city"), ("declaration", "city")
    ),
    Section("teams", "declarations.Team", ("slug",), ("slug",)),
    Section("initiatives", "declarations.Initiative", ("slug",), ("slug",)),
    Section("meetings", "declarations.Meeting", ("slug",), ("slug",)),
)
