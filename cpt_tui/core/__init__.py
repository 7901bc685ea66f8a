"""The CPT rules: catalog, models, standing, fees and CSV, with no Textual or TinyDB."""
