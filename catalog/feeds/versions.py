"""The feed versions an export job may choose: each one's columns, rows, validation, hash and delta keys.

A job records its ``feed_version``; everything that writes or compares its rows (the writers, the
streaming export, the delta against a base job, the report) takes them from the version here. 2.0 is the
default for new jobs; 1.0 stays available and is deprecated (``docs/nara-feed.md``). A delta compares like
with like: its base job must have the same version (``scope.resolve_base_job``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone

from catalog.feeds import nara, nara2
from catalog.feeds.nara import Column, Reason


class FeedVersionChoice(models.TextChoices):
    V1 = nara.FEED_VERSION, "1.0 (deprecated)"
    V2 = nara2.FEED_VERSION, "2.0 (PPS formats)"


DEFAULT_VERSION = nara2.FEED_VERSION


@dataclass(frozen=True)
class FeedVersion:
    number: str
    columns: tuple[Column, ...]
    build_row: Callable[..., dict[str, Any]]
    validate_row: Callable[[dict[str, Any], Any, date], list[Reason]]
    row_hash: Callable[[dict[str, Any]], str]
    empty_row: Callable[[], dict[str, Any]]
    # (prdct_clsfc_no, dtil_prdct_clsfc_no, prdct_idnt_no, cert_no) of a row, as the manifest keeps them
    manifest_keys: Callable[[dict[str, Any]], tuple[str, str, str, str]]
    # the manifest's keys back into a delisted row's columns
    delisted_keys: Callable[[str, str, str, str], dict[str, str]]
    # how a delisted row spells the moment it left (chgDt)
    moment: Callable[[datetime], Any]
    deprecated: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)

    @property
    def column_by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}


def _v1_manifest_keys(row: dict[str, Any]) -> tuple[str, str, str, str]:
    return row["prdctClsfcNo"][:10], row["dtilPrdctClsfcNo"][:10], row["prdctIdntNo"][:8], row["cert_no"][:20]


def _v1_delisted_keys(prdct_clsfc_no: str, dtil_no: str, idnt_no: str, cert_no: str) -> dict[str, str]:
    return {
        "prdctClsfcNo": prdct_clsfc_no,
        "dtilPrdctClsfcNo": dtil_no,
        "prdctIdntNo": idnt_no,
        "cert_no": cert_no,
    }


def _v1_moment(value: datetime) -> datetime:
    return timezone.localtime(value).replace(microsecond=0)


VERSIONS: dict[str, FeedVersion] = {
    nara.FEED_VERSION: FeedVersion(
        number=nara.FEED_VERSION,
        columns=nara.COLUMNS,
        build_row=nara.build_row,
        validate_row=nara.validate_row,
        row_hash=nara.row_hash,
        empty_row=nara.empty_row,
        manifest_keys=_v1_manifest_keys,
        delisted_keys=_v1_delisted_keys,
        moment=_v1_moment,
        deprecated=True,
    ),
    nara2.FEED_VERSION: FeedVersion(
        number=nara2.FEED_VERSION,
        columns=nara2.COLUMNS,
        build_row=nara2.build_row,
        validate_row=nara2.validate_row,
        row_hash=nara2.row_hash,
        empty_row=nara2.empty_row,
        manifest_keys=nara2.manifest_keys,
        delisted_keys=nara2.delisted_keys,
        moment=lambda value: nara2.moment(timezone.localtime(value)),
    ),
}
CURRENT = VERSIONS[DEFAULT_VERSION]


def feed_version(number: str | None) -> FeedVersion:
    """The version ``number`` names (the default for None); ValueError for one we do not write."""
    try:
        return VERSIONS[number or DEFAULT_VERSION]
    except KeyError:
        raise ValueError(f"unknown feed version {number!r}; use one of {', '.join(VERSIONS)}") from None
