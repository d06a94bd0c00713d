"""Tags on the opened use case: chips added with Enter and removed with their close button,
suggestions from the service as the user types, and a click on a chip that filters the
browser's list by that tag.

Tags are the service's: ``PATCH useCases/{id}/ {"tags": [...]}`` replaces them and the service
says what it accepts (a refusal shows beside the tag field); ``GET useCases/tags/?prefix=``
suggests the caller's existing ones.
"""

from __future__ import annotations

from traitlets import List, Unicode

from ucwidgets.models.use_cases.use_case import UseCase
from ucwidgets.widgets._common import action
from ucwidgets.widgets.live import LiveWidget

__all__ = ["SUGGESTIONS", "TagEditing"]

#: How many suggestions the tag field offers.
SUGGESTIONS = 10


class TagEditing(LiveWidget):
    """The tags of a use case and what may be done with them.

    A subclass (:class:`~ucwidgets.widgets.detail.UseCaseDetail`) keeps the shown ``use_case``
    and gives ``_require()`` and ``load()``.
    """

    tag_suggestions = List(
        Unicode(), help="Existing tags starting with what the user typed, not on this use case."
    ).tag(sync=True)
    tag_filter = Unicode(
        "", help="The tag the user clicked to filter the list by; the browser applies it."
    )

    @action("tags")
    def set_tags(self, tags: list[str]) -> list[str]:
        """Replace the use case's tags (what the service keeps is what it answers)."""
        use_case = self._require()
        with self.api():
            updated = use_case.update(tags=list(tags))
        self.clear_draft("tag")
        self.tag_suggestions = []
        self.load(use_case.id)
        return list(updated.tags)

    @action("tags")
    def add_tag(self, tag: str) -> list[str]:
        """Add one tag (Enter in the tag field)."""
        current = list(self._require().tags)
        return self.set_tags(current if tag in current else [*current, tag])

    @action("tags")
    def remove_tag(self, tag: str) -> list[str]:
        """Remove one tag (its close button)."""
        return self.set_tags([t for t in self._require().tags if t != tag])

    @action("tag_input")
    def suggest_tags(self, prefix: str) -> list[str]:
        """Load the suggestions for what the user typed in the tag field."""
        current = {t.casefold() for t in self._require().tags}
        with self.api():
            found = UseCase.list_tags(prefix.strip(), limit=SUGGESTIONS + len(current))
        self.tag_suggestions = [t for t in found if t.casefold() not in current][:SUGGESTIONS]
        return self.tag_suggestions

    @action("tags")
    def filter_by_tag(self, tag: str) -> None:
        """Ask the browser to list the use cases carrying ``tag`` (a click on a chip)."""
        self.tag_filter = ""  # a second click on one tag applies it again
        self.tag_filter = tag
