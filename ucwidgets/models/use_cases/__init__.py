"""Use cases: :class:`UseCase`, the links it returns and the users it shows."""

from ucwidgets.models.use_cases.use_case import (
    UseCase,
    UseCaseReferenceEntity,
    UseCaseUser,
    list_use_cases,
)

__all__ = ["UseCase", "UseCaseReferenceEntity", "UseCaseUser", "list_use_cases"]
