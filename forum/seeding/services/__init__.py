"""The seed importer: a pure parser of seed documents, the role rules, and the loader."""
