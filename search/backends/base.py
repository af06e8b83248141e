from abc import ABC, abstractmethod


class SearchBackend(ABC):
    name: str

    @abstractmethod
    def health(self) -> dict:
        """``{"ok": bool, "backend": name, ...}``: never raises, so /healthz can always answer."""
