from django.apps import AppConfig


class VoicesConfig(AppConfig):
    name = "voices"
    verbose_name = "Children's voices and Words and Pictures"

    def map_entry_sources(self, map_) -> dict[int, str]:
        """For the map board: which entries hold a child's words, and from which piece of work
        (see practice.selectors.map_entry_sources)."""
        from voices.selectors import map_entry_sources

        return {
            entry_id: link.record.source_label for entry_id, link in map_entry_sources(map_).items()
        }
