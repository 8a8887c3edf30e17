"""Agreements, amendments, documents and the legal-authority library."""
