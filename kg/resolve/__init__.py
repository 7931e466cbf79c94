"""Resolution: paper identity and de-duplication, canonical entity ids and aliases."""
