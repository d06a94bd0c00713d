"""Datasets: upload, list, read, change, delete, download."""

from __future__ import annotations

from .. import wire
from .base import ApiHandler, authenticated
from .uploads import UploadHandler
from .use_cases import use_case_ids


class DatasetsHandler(ApiHandler):
    @authenticated
    async def get(self) -> None:
        offset, limit = self.paging()
        items, total = await self.call(
            self.ctx.store.list_datasets,
            self.user,
            use_case_ids=use_case_ids(self),
            category=self.query("category"),
            order_by=self.query("orderBy"),
            offset=offset,
            limit=limit,
            shared_with_me=self.query_bool("sharedWithMe"),
        )
        self.query_bool("filterFailed")  # every stored dataset completed; validated only
        self.send_page([wire.dataset(d) for d in items], total, offset, limit)


class DatasetFromFileHandler(UploadHandler):
    @authenticated
    async def post(self) -> None:
        name, upload, described = await self.uploaded_file()
        dataset, job = await self.call(
            self.ctx.store.create_dataset, self.user, name, upload, described
        )
        self.accepted(
            job,
            {
                "catalogId": dataset["id"],
                "catalogVersionId": dataset["version_id"],
                "statusId": job,
            },
        )


class DatasetHandler(ApiHandler):
    @authenticated
    async def get(self, dataset_id: str) -> None:
        self.send(
            wire.dataset(await self.call(self.ctx.store.get, self.user, "dataset", dataset_id))
        )

    @authenticated
    async def patch(self, dataset_id: str) -> None:
        body = self.json_body()
        self.send(
            wire.dataset(
                await self.call(self.ctx.store.update_dataset, self.user, dataset_id, body)
            )
        )

    @authenticated
    async def delete(self, dataset_id: str) -> None:
        await self.call(self.ctx.store.delete_asset, self.user, "dataset", dataset_id)
        self.no_content()


class DatasetFileHandler(ApiHandler):
    """The dataset's CSV, streamed from the blob store."""

    @authenticated
    async def get(self, dataset_id: str) -> None:
        dataset, path = await self.call(self.ctx.store.dataset_file, self.user, dataset_id)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Length", str(dataset["size"]))
        with open(path, "rb") as f:
            while chunk := f.read(256 * 1024):
                self.write(chunk)
                await self.flush()
        self.finish()
