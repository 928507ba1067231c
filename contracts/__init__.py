"""The emulator's OpenAPI contract and the kit that checks implementations against it."""
