"""Staff pages. Every read of a resident's personal data is written to the audit log."""
