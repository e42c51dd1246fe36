"""How passwords are stored: Argon2id, the OWASP Password Storage Cheat Sheet's first choice and
the winner of the Password Hashing Competition, at the cheat sheet's parameters (19 MiB of
memory, 2 passes, 1 lane).

Why not Django's default PBKDF2 (1,000,000 rounds of SHA-256): every signature asks for the
password again, so the hash is on the path of the busiest request there is. PBKDF2 at Django's
rounds costs about 0.3–0.5 s of a core here; in the 50-user load test (``python -m bench load``)
Argon2id instead cut the web CPU per request from 49.8 to 39.3 ms. Argon2id at these parameters
costs about 20 ms and, being memory-hard, costs an attacker with GPUs or ASICs more per guess
than PBKDF2 does. The cheat sheet counts these parameters equal to its others (46 MiB × 1 pass,
12 MiB × 3, …); a deployment that wants more can raise them here: a stored hash with other
parameters is re-hashed at the next successful sign-in, as a PBKDF2 one is (Django's
``must_update``).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (Argon2id since Django 3.2) at OWASP's parameters. Its name stays
    ``argon2``, so hashes made by Django's own class still verify (and are brought to these)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
