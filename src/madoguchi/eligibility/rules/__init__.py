"""Rules as code, kept free of Django so that the isolated rules environment (OpenFisca-Japan
pins its own numpy) can import them. Everything here works on columnar numpy arrays."""
