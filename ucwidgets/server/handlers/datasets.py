"""Datasets: upload, list, read, change, delete, download."""

from __future__ import annotations

from .. import wire
from .assets import AssetHandler, listing, use_case_ids
from .base import ApiHandler, authenticated
from .uploads import UploadHandler


class DatasetsHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        items, total = await self.call(
            self.ctx.store.catalog.list_datasets,
            self.user,
            listing(self, offset, limit, use_case_ids(self)),
            category=self.query("category"),
            order_by=self.query("orderBy"),
        )
        self.query_bool("filterFailed")  # every stored dataset completed; validated only
        self.send_page([wire.dataset(d) for d in items], total, offset, limit)


class DatasetFromFileHandler(UploadHandler):
    @authenticated
    async def post(self) -> None:
        name, upload, described = await self.uploaded_file()
        dataset, job = await self.call(
            self.ctx.store.catalog.create_dataset, self.user, name, upload, described
        )
        self.accepted(
            job,
            {
                "catalogId": dataset["id"],
                "catalogVersionId": dataset["version_id"],
                "statusId": job,
            },
        )


class DatasetHandler(AssetHandler):
    etype = "dataset"


class DatasetFileHandler(ApiHandler):
    """The dataset's CSV, streamed from the blob store."""

    @authenticated
    async def get(self, dataset_id: str) -> None:
        dataset, path = await self.call(self.ctx.store.catalog.dataset_file, self.user, dataset_id)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Length", str(dataset["size"]))
        with open(path, "rb") as f:
            while chunk := f.read(256 * 1024):
                self.write(chunk)
                await self.flush()
        self.finish()
