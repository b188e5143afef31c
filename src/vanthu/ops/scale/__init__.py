"""Province-scale synthetic data (``vanthu seed-scale``): see ``seed.province_seed``."""
