"""Digital signatures: certificates, the trust store, signature and seal images, PAdES signing
and verification (DOMAIN.md §1.9, §6)."""
