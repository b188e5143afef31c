"""Operations' own records (backup runs and their verification)."""
