"""Query budgets: what building a page costs, and what answering it from the cache costs.

A page is built from scratch when its cached copy is missing or out of date (a new library or
personal data version). The rule book of the library version is read once per process, so a
build is counted with it already read, as it is on every request but a process's first.
"""

from django.core.cache import cache

from routines.models import DataVersion, LibraryVersion

# A build of a library page, for a visitor and for a logged-in person (who adds the session,
# their user and the "add to my routine" choices).
LIBRARY_BUILD = 6
LIBRARY_BUILD_LOGGED_IN = 9
# A build of a personal page: the builder, the course page, the dashboard, the routine list.
PERSONAL_BUILD = 12
# A page answered from the cache: the versions (1), plus the session and user when logged in.
CACHED_VISITOR = 1
CACHED_LOGGED_IN = 3


def announce_changes(*users) -> None:
    """Tell the app about rows a test wrote behind its back, as load_library or an admin edit
    of the library, and a person's own request or an admin edit of their data, do."""
    LibraryVersion.objects.bump()
    for user in users:
        DataVersion.objects.bump(user.pk)


def build_queries(client, url: str, assert_max_num_queries, budget: int):
    """Build `url` afresh within `budget` queries; return the response and the count."""
    cache.clear()
    client.get(url)  # the process reads the rule book of this library version
    cache.clear()
    with assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(captured.captured_queries)
