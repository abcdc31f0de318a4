"""Platform administration pages and API (tenants, plugins per tenant)."""
