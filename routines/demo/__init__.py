"""Demo people for load tests and demonstrations: `seed_demo` creates them, `seed()` is the logic.

- `people`: who they are (screening mix, which routines) and the seeding itself, in batches;
- `history`: what their courses look like so far: sessions held, pain, readings, runs, events.
"""

from .people import DEFAULT_PASSWORD, USERNAME_PREFIX, Seeded, profile_for, seed, username

__all__ = ["DEFAULT_PASSWORD", "USERNAME_PREFIX", "Seeded", "profile_for", "seed", "username"]
