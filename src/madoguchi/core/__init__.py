"""Cross-cutting helpers shared by every app: layout, dates, text, i18n. No domain models."""
