"""Articles that staff write: editors' pages (/admin/articles), the API's writes, the audit of each change."""
