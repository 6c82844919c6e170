import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAzuriteWithBlobs, startAzurite } from "../../store/azurite.js";
import {
  EVIDENCE_CONTAINER,
  type EvidenceStorageError,
  type EvidenceStore,
  openEvidenceStore,
} from "../../store/evidenceBlobs.js";
import { hasOpenssl, managedIdentityLike, startAzuriteWithOAuth } from "../support/azuriteOAuth.js";

const PACK: Readonly<Record<string, string>> = {
  "index.html":
    "<!doctype html><title>Evidence pack</title><p>Oak House go-live: readiness approved £0</p>\n",
  "issues.csv": 'id,title,severity\nI-1,"Scanner queue, ward 3",high\n',
  "log.jsonl": '{"seq":1,"type":"project.setup"}\n{"seq":2,"type":"readiness.voted"}\n',
};
const FILES = Object.keys(PACK);

async function writePack(folder: string): Promise<void> {
  for (const [name, text] of Object.entries(PACK)) await writeFile(join(folder, name), text);
}

let exportNumber = 0;
const newExportId = () => `x-${Date.now()}-${++exportNumber}`;
const PROJECT = "p-0123456789abcdef01234567";

async function caught(promise: Promise<unknown>): Promise<EvidenceStorageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe("EvidenceStorageError");
  return error as EvidenceStorageError;
}

/** Polls a link until it stops answering 200, for at most `withinMs`; returns the last status. */
async function statusOnceRefused(url: string, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  let status = 200;
  while (status === 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = (await fetch(url)).status;
  }
  return status;
}

describe("evidence packs in Blob Storage (in-memory Azurite, development key)", () => {
  let azurite: RunningAzuriteWithBlobs;
  let store: EvidenceStore;
  let folder: string;

  beforeAll(async () => {
    azurite = await startAzurite();
    store = openEvidenceStore({ kind: "connection-string", connectionString: azurite.connectionString });
    folder = await mkdtemp(join(tmpdir(), "evidence-pack-"));
    await writePack(folder);
  });
  afterAll(async () => {
    await azurite?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("gives one connection string for both services; the table client still finds its endpoint", async () => {
    expect(azurite.connectionString).toContain(`TableEndpoint=${azurite.tableEndpoint};`);
    expect(azurite.connectionString).toContain(`BlobEndpoint=${azurite.blobEndpoint};`);
    const { TableClient } = await import("@azure/data-tables");
    const table = TableClient.fromConnectionString(azurite.connectionString, "probe", {
      allowInsecureConnection: true,
    });
    expect(table.url).toBe(azurite.tableEndpoint);
    await table.createTable();
    await table.createEntity({ partitionKey: "p", rowKey: "r", value: 1 });
    expect((await table.getEntity("p", "r")).value).toBe(1);
  });

  it("uploads a pack under {projectId}/{exportId}/ with content types, and a link downloads the exact bytes", async () => {
    const exportId = newExportId();
    const pack = await store.uploadPack({ projectId: PROJECT, exportId, folder, files: FILES });
    expect(pack.prefix).toBe(`${PROJECT}/${exportId}/`);
    const expectedBytes = Object.values(PACK).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(pack.bytes).toBe(expectedBytes);

    const listed = await store.listPack(pack.prefix);
    expect(listed.map((blob) => [blob.blobPath, blob.contentType])).toEqual([
      [`${pack.prefix}index.html`, "text/html; charset=utf-8"],
      [`${pack.prefix}issues.csv`, "text/csv; charset=utf-8"],
      [`${pack.prefix}log.jsonl`, "application/x-ndjson"],
    ]);

    for (const file of FILES) {
      const before = Date.now();
      const link = await store.linkFor({ blobPath: `${pack.prefix}${file}` });
      expect(link.expiresOn.getTime()).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(link.expiresOn.getTime()).toBeLessThan(before + 3_600_000 + 5_000);
      const query = new URL(link.url).searchParams;
      expect(query.get("sp")).toBe("r");
      expect(query.get("sr")).toBe("b");
      expect(query.get("spr")).toBe("https,http"); // http only because this is the emulator on loopback
      expect(new Date(query.get("st") ?? "").getTime()).toBeLessThanOrEqual(before - 4 * 60_000);
      expect(new Date(query.get("se") ?? "").getTime()).toBe(link.expiresOn.getTime());

      const response = await fetch(link.url);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(await readFile(join(folder, file)));
      expect(response.headers.get("content-type")).toBe(
        listed.find((b) => b.blobPath.endsWith(file))?.contentType,
      );
    }
  });

  it("a link only reads: writing, deleting, listing or reaching another blob with it is refused (403)", async () => {
    const pack = await store.uploadPack({
      projectId: PROJECT,
      exportId: newExportId(),
      folder,
      files: FILES,
    });
    const link = await store.linkFor({ blobPath: `${pack.prefix}issues.csv` });

    const put = await fetch(link.url, {
      method: "PUT",
      headers: { "x-ms-blob-type": "BlockBlob", "content-type": "text/csv" },
      body: "id,title\nI-9,forged\n",
    });
    expect(put.status).toBe(403);
    // Refused for the permission, not for a bad signature: the link is valid, it just cannot write.
    expect(await put.text()).toContain("<Code>AuthorizationPermissionMismatch</Code>");
    const del = await fetch(link.url, { method: "DELETE" });
    expect(del.status).toBe(403);
    expect(await del.text()).toContain("<Code>AuthorizationPermissionMismatch</Code>");

    const url = new URL(link.url);
    const otherBlob = new URL(url);
    otherBlob.pathname = url.pathname.replace(/issues\.csv$/, "log.jsonl");
    expect((await fetch(otherBlob)).status).toBe(403);
    const listing = new URL(url);
    listing.pathname = url.pathname.slice(
      0,
      url.pathname.indexOf(EVIDENCE_CONTAINER) + EVIDENCE_CONTAINER.length,
    );
    listing.searchParams.set("restype", "container");
    listing.searchParams.set("comp", "list");
    expect((await fetch(listing)).status).toBe(403);
    const widened = new URL(url);
    widened.searchParams.set("sp", "rwd");
    expect((await fetch(widened, { method: "DELETE" })).status).toBe(403);

    const still = await fetch(link.url);
    expect(await still.text()).toBe(PACK["issues.csv"]);
  });

  it("a link stops working once it expires", async () => {
    const pack = await store.uploadPack({
      projectId: PROJECT,
      exportId: newExportId(),
      folder,
      files: FILES,
    });
    const link = await store.linkFor({ blobPath: `${pack.prefix}index.html`, expiresInMs: 1_500 });
    expect((await fetch(link.url)).status).toBe(200);
    const status = await statusOnceRefused(link.url, 10_000);
    expect(status).toBe(403);
    expect(Date.now()).toBeGreaterThanOrEqual(link.expiresOn.getTime());

    // A link made for a moment already past is refused at once.
    const stale = await store.linkFor({
      blobPath: `${pack.prefix}index.html`,
      now: new Date(Date.now() - 2 * 3_600_000),
    });
    expect((await fetch(stale.url)).status).toBe(403);
  });

  it("the container is private: nothing is read or listed without a link", async () => {
    const pack = await store.uploadPack({
      projectId: PROJECT,
      exportId: newExportId(),
      folder,
      files: FILES,
    });
    const anonymous = await fetch(`${azurite.blobEndpoint}/${EVIDENCE_CONTAINER}/${pack.prefix}index.html`);
    expect([401, 403, 404]).toContain(anonymous.status);
    expect(anonymous.status).not.toBe(200);
    const list = await fetch(`${azurite.blobEndpoint}/${EVIDENCE_CONTAINER}?restype=container&comp=list`);
    expect([401, 403, 404]).toContain(list.status);

    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      EVIDENCE_CONTAINER,
    );
    expect((await container.getAccessPolicy()).blobPublicAccess).toBeUndefined();
  });

  it("a listed file that does not exist stores nothing", async () => {
    const exportId = newExportId();
    const error = await caught(
      store.uploadPack({
        projectId: PROJECT,
        exportId,
        folder,
        files: ["index.html", "missing.csv", "log.jsonl"],
      }),
    );
    expect(error.code).toBe("FileUnreadable");
    expect(await store.listPack(`${PROJECT}/${exportId}/`)).toEqual([]);
  });

  it("an upload that fails part-way removes what it uploaded and never overwrites a stored blob", async () => {
    const exportId = newExportId();
    const prefix = `${PROJECT}/${exportId}/`;
    const other = await mkdtemp(join(tmpdir(), "evidence-pack-other-"));
    try {
      await writeFile(join(other, "log.jsonl"), '{"seq":1,"type":"first"}\n');
      await store.uploadPack({ projectId: PROJECT, exportId, folder: other, files: ["log.jsonl"] });
    } finally {
      await rm(other, { recursive: true, force: true });
    }

    // index.html and issues.csv go up, then log.jsonl is refused (409): the two are removed again.
    const error = await caught(store.uploadPack({ projectId: PROJECT, exportId, folder, files: FILES }));
    expect(error.code).toBe("AlreadyExists");
    expect(error.statusCode).toBe(409);
    expect(error.leftBehind).toEqual([]);
    const left = await store.listPack(prefix);
    expect(left.map((blob) => blob.blobPath)).toEqual([`${prefix}log.jsonl`]);
    const link = await store.linkFor({ blobPath: `${prefix}log.jsonl` });
    expect(await (await fetch(link.url)).text()).toBe('{"seq":1,"type":"first"}\n');
  });

  it("deletes a pack, and refuses names that would reach outside one", async () => {
    const pack = await store.uploadPack({
      projectId: PROJECT,
      exportId: newExportId(),
      folder,
      files: FILES,
    });
    expect(await store.deletePack(pack.prefix)).toBe(3);
    expect(await store.listPack(pack.prefix)).toEqual([]);
    expect((await caught(store.linkFor({ blobPath: `${pack.prefix}index.html` }))).code).toBe("NotFound");

    await expect(store.deletePack("")).rejects.toThrow(RangeError);
    await expect(store.deletePack(`${PROJECT}/`)).rejects.toThrow(RangeError);
    await expect(store.linkFor({ blobPath: `${PROJECT}/../index.html` })).rejects.toThrow(RangeError);
    await expect(
      store.uploadPack({ projectId: PROJECT, exportId: "../escape", folder, files: FILES }),
    ).rejects.toThrow(RangeError);
    await expect(
      store.uploadPack({ projectId: PROJECT, exportId: newExportId(), folder, files: ["../secret.txt"] }),
    ).rejects.toThrow(RangeError);
    await expect(
      store.linkFor({ blobPath: `${pack.prefix}index.html`, expiresInMs: 8 * 24 * 3_600_000 }),
    ).rejects.toThrow(RangeError);
  });
});

describe("evidence blobs kept in a folder", () => {
  let location: string;
  let folder: string;
  beforeAll(async () => {
    location = await mkdtemp(join(tmpdir(), "azurite-data-"));
    folder = await mkdtemp(join(tmpdir(), "evidence-pack-"));
    await writePack(folder);
  });
  afterAll(async () => {
    await rm(location, { recursive: true, force: true });
    await rm(folder, { recursive: true, force: true });
  });

  it("survive a restart of Azurite", async () => {
    const first = await startAzurite({ location });
    const pack = await openEvidenceStore({
      kind: "connection-string",
      connectionString: first.connectionString,
    }).uploadPack({ projectId: PROJECT, exportId: newExportId(), folder, files: FILES });
    await first.close();

    const second = await startAzurite({ location });
    try {
      const store = openEvidenceStore({
        kind: "connection-string",
        connectionString: second.connectionString,
      });
      expect((await store.listPack(pack.prefix)).length).toBe(3);
      for (const file of FILES) {
        const link = await store.linkFor({ blobPath: `${pack.prefix}${file}` });
        expect(await (await fetch(link.url)).text()).toBe(PACK[file]);
      }
    } finally {
      await second.close();
    }
  });
});

describe.skipIf(!hasOpenssl)(
  "links signed with a user delegation key (token credential, Azurite over https)",
  () => {
    let azurite: RunningAzuriteWithBlobs;
    let folder: string;

    beforeAll(async () => {
      azurite = await startAzuriteWithOAuth();
      folder = await mkdtemp(join(tmpdir(), "evidence-pack-"));
      await writePack(folder);
    });
    afterAll(async () => {
      await azurite?.close();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it("uploads with the token and signs a read-only, https-only link with a user delegation key", async () => {
      expect(azurite.blobEndpoint.startsWith("https://")).toBe(true);
      const credential = managedIdentityLike();
      const store = openEvidenceStore({ kind: "endpoint", endpoint: azurite.blobEndpoint, credential });
      const pack = await store.uploadPack({
        projectId: PROJECT,
        exportId: newExportId(),
        folder,
        files: FILES,
      });
      expect(credential.calls).toBeGreaterThan(0);

      const link = await store.linkFor({ blobPath: `${pack.prefix}issues.csv` });
      const query = new URL(link.url).searchParams;
      expect(query.get("sp")).toBe("r");
      expect(query.get("spr")).toBe("https");
      expect(query.get("skoid")).toBe("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"); // user delegation: signed-key fields
      expect(query.get("sktid")).toBe("72f988bf-86f1-41af-91ab-2d7cd011db47");
      expect(query.get("skt")).not.toBeNull();
      expect(query.get("ske")).not.toBeNull();

      const response = await fetch(link.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(PACK["issues.csv"]);
      expect((await fetch(link.url, { method: "DELETE" })).status).toBe(403);
      const widened = new URL(link.url);
      widened.searchParams.set("sp", "rd");
      expect((await fetch(widened, { method: "DELETE" })).status).toBe(403);

      // A second link reuses the delegation key rather than asking for another.
      const again = await store.linkFor({ blobPath: `${pack.prefix}index.html` });
      expect(new URL(again.url).searchParams.get("ske")).toBe(query.get("ske"));
      expect(await (await fetch(again.url)).text()).toBe(PACK["index.html"]);
    });
  },
);
