"""Login pages: residents (through providers), staff (password and a one-time code, or the
city's IdP), and the OpenID Connect callback both share."""
