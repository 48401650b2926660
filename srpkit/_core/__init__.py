"""The foundation: errors, the arithmetic backend, the group, encodings, checks, SRP math, TIMESTAMP, SECRET_HASH.

Pure functions of their inputs (randomness is drawn only in ``ephemeral``).
Nothing here imports from any other part of srpkit.
"""
