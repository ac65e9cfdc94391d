"""Repository → the list of files mlaudit audits, with sizes and content ids."""

from mlaudit.repository.inventory import RepoFile, Repository, ScanWarning, open_repository

__all__ = ["RepoFile", "Repository", "ScanWarning", "open_repository"]
