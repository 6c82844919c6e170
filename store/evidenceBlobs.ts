import { stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { TokenCredential } from "@azure/core-auth";
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  type StoragePipelineOptions,
  type StorageRetryOptions,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from "@azure/storage-blob";
import { statusOf } from "./errors.js";

/**
 * Evidence packs in Blob Storage: a pack folder (index.html, CSVs, log.jsonl, manifest.json) is uploaded whole
 * under `{projectId}/{exportId}/` in a private container, and the requester gets a read-only link to one blob
 * that expires. Links are signed with the account key only for the emulator (connection string); in Azure the
 * store is reached with a token credential (managed identity) and links are signed with a user delegation key.
 */

/** Where the blobs are: the emulator by connection string, or Azure by blob endpoint and a token credential. */
export type BlobTarget =
  | { kind: "connection-string"; connectionString: string }
  | {
      kind: "endpoint";
      /** The account's blob endpoint, e.g. `https://<account>.blob.core.windows.net`. */
      endpoint: string;
      credential: TokenCredential;
    };

export const EVIDENCE_CONTAINER = "evidence-packs";
export const DEFAULT_LINK_LIFETIME_MS = 3_600_000;
/** Azure's limit for a user delegation key, and so for any link signed with one. */
export const MAX_LINK_LIFETIME_MS = 7 * 24 * 3_600_000;
/** Links start this long before "now", so a storage clock a little behind ours still accepts them. */
export const LINK_CLOCK_SKEW_MS = 5 * 60_000;
/**
 * The SAS version links to the local emulator are signed with. Azurite 3.35 knows SAS versions up to 2025-11-05
 * and would reject a user delegation link in the newer format the SDK writes by default; Azure takes the
 * SDK's default.
 */
export const EMULATOR_SAS_VERSION = "2025-11-05";
/** A user delegation key is asked for at least this long, so links made soon after reuse it. */
const DELEGATION_KEY_REUSE_MS = 2 * 3_600_000;

const RETRY_OPTIONS: StorageRetryOptions = {
  // A person is waiting in Teams for the link: a few quick tries, then say so.
  maxTries: 3,
  retryDelayInMs: 200,
  maxRetryDelayInMs: 2_000,
};

export type EvidenceStorageErrorCode =
  /** Storage could not be reached or failed (refused connection, timeout, 5xx). */
  | "Unavailable"
  /** Storage answered no (e.g. 403: the identity lacks a role). */
  | "Refused"
  /** A blob of the pack was already there: export ids are used once. */
  | "AlreadyExists"
  /** The blob a link was asked for is not there. */
  | "NotFound"
  /** A file of the pack folder could not be read. */
  | "FileUnreadable";

/** A failure of the evidence store, with what a caller needs to tell a person the truth. */
export class EvidenceStorageError extends Error {
  override readonly name = "EvidenceStorageError";
  readonly code: EvidenceStorageErrorCode;
  /** Storage's HTTP status, when storage answered. */
  readonly statusCode: number | undefined;
  /**
   * Blobs a failed upload could not remove (storage went away while cleaning up); `deletePack` them later.
   * Empty when nothing of the pack was left behind.
   */
  readonly leftBehind: readonly string[];
  constructor(
    message: string,
    options: { code: EvidenceStorageErrorCode; cause?: unknown; leftBehind?: readonly string[] },
  ) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.statusCode = statusOf(options.cause);
    this.leftBehind = options.leftBehind ?? [];
  }
}

export interface EvidenceStoreOptions {
  /** Defaults to `evidence-packs`. */
  containerName?: string;
  retryOptions?: StorageRetryOptions;
}

export interface UploadPackOptions {
  projectId: string;
  exportId: string;
  /** The folder the pack was built in. */
  folder: string;
  /** The pack's files, relative to `folder` (`/`-separated), e.g. `["index.html", "issues.csv"]`. */
  files: readonly string[];
  abortSignal?: AbortSignal;
}

export interface UploadedPack {
  /** `{projectId}/{exportId}/`: every blob of the pack starts with it. */
  prefix: string;
  /** The pack's size: the sum of its files' sizes. */
  bytes: number;
  /** `{prefix}{file}` for each file, in the order given. */
  blobPaths: string[];
}

export interface LinkOptions {
  /** A blob of a pack, `{projectId}/{exportId}/{file}`. */
  blobPath: string;
  /** Defaults to one hour; at most seven days. */
  expiresInMs?: number;
  /** The clock; defaults to the current time. */
  now?: Date;
  abortSignal?: AbortSignal;
}

export interface EvidenceLink {
  /** Read-only: anyone holding it can download this one blob until `expiresOn`, and do nothing else. */
  url: string;
  expiresOn: Date;
}

export interface PackBlob {
  blobPath: string;
  bytes: number;
  contentType: string | undefined;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".jsonl": "application/x-ndjson",
  ".ndjson": "application/x-ndjson",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/** The Content-Type a pack file is stored (and later served) with. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
}

// One path segment: no leading dot (so never "." or ".."), nothing that needs escaping in a URL.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const PREFIX = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})\/$/;
const CONTAINER_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** `{projectId}/{exportId}/`, the prefix of every blob of one pack. */
export function packPrefix(projectId: string, exportId: string): string {
  if (!SEGMENT.test(projectId)) throw new RangeError(`Not a usable project id: ${JSON.stringify(projectId)}`);
  if (!SEGMENT.test(exportId)) throw new RangeError(`Not a usable export id: ${JSON.stringify(exportId)}`);
  return `${projectId}/${exportId}/`;
}

function checkFile(file: string): string {
  const segments = file.split("/");
  if (file.length > 512 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new RangeError(`Not a usable pack file name: ${JSON.stringify(file)}`);
  }
  return file;
}

function checkBlobPath(blobPath: string): void {
  const [projectId = "", exportId = "", ...file] = blobPath.split("/");
  packPrefix(projectId, exportId);
  if (file.length === 0) throw new RangeError(`Not a blob of a pack: ${JSON.stringify(blobPath)}`);
  checkFile(file.join("/"));
}

function checkPrefix(prefix: string): void {
  // Never "" or one segment: deletePack("") would empty the container.
  if (!PREFIX.test(prefix)) throw new RangeError(`Not a pack prefix ({projectId}/{exportId}/): ${prefix}`);
}

function isLoopback(hostname: string): boolean {
  return ["127.0.0.1", "localhost", "[::1]", "::1"].includes(hostname.toLowerCase());
}

const FILE_ERRORS = new Set(["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "ELOOP"]);

function isFileError(error: unknown): boolean {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  return typeof code === "string" && FILE_ERRORS.has(code) && typeof path === "string";
}

/** Storage answered with a definite no: the request was not carried out. */
function isDefiniteRefusal(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * The error to throw for a failure of storage or of the pack folder. The caller's own abort stays an
 * `AbortError`, as everywhere in the Azure SDK.
 */
function toEvidenceError(error: unknown, what: string, leftBehind?: readonly string[]): unknown {
  if (error instanceof EvidenceStorageError) return error;
  if ((error as { name?: unknown } | null)?.name === "AbortError") return error;
  const status = statusOf(error);
  const code: EvidenceStorageErrorCode = isFileError(error)
    ? "FileUnreadable"
    : status === 409
      ? "AlreadyExists"
      : status === 404
        ? "NotFound"
        : isDefiniteRefusal(error)
          ? "Refused"
          : "Unavailable";
  const reason: Record<EvidenceStorageErrorCode, string> = {
    Unavailable: "evidence storage could not be reached",
    Refused: "evidence storage refused the request",
    AlreadyExists: "a pack with this export id is already stored",
    NotFound: "it is not in evidence storage",
    FileUnreadable: "a file of the pack could not be read",
  };
  return new EvidenceStorageError(`${what}: ${reason[code]}.`, { code, cause: error, leftBehind });
}

type LinkSigner =
  | { kind: "account-key"; credential: StorageSharedKeyCredential }
  | { kind: "user-delegation"; accountName: string };

interface CachedDelegationKey {
  startsOn: number;
  expiresOn: number;
  key: Promise<UserDelegationKey>;
}

/** The evidence packs of every project, in one private container. */
export class EvidenceStore {
  readonly containerName: string;
  private readonly service: BlobServiceClient;
  private readonly container: ContainerClient;
  private readonly signer: LinkSigner;
  /** `https` only in Azure; the emulator is served over http on loopback. */
  private readonly linkProtocol: SASProtocol;
  /** Set for the emulator only; Azure gets the SDK's default. */
  private readonly sasVersion: string | undefined;
  private containerReady: Promise<void> | undefined;
  private delegationKey: CachedDelegationKey | undefined;

  constructor(target: BlobTarget, options: EvidenceStoreOptions = {}) {
    this.containerName = options.containerName ?? EVIDENCE_CONTAINER;
    if (!CONTAINER_NAME.test(this.containerName)) {
      throw new RangeError(`Not a valid container name: ${this.containerName}`);
    }
    const pipelineOptions: StoragePipelineOptions = { retryOptions: options.retryOptions ?? RETRY_OPTIONS };
    if (target.kind === "connection-string") {
      this.service = BlobServiceClient.fromConnectionString(target.connectionString, pipelineOptions);
      if (!(this.service.credential instanceof StorageSharedKeyCredential)) {
        throw new RangeError(
          "The evidence store's connection string has no AccountKey, so it cannot sign links; in Azure use an endpoint and a token credential.",
        );
      }
      this.signer = { kind: "account-key", credential: this.service.credential };
    } else {
      this.service = new BlobServiceClient(
        target.endpoint.replace(/\/$/, ""),
        target.credential,
        pipelineOptions,
      );
      this.signer = { kind: "user-delegation", accountName: this.service.accountName };
    }
    const url = new URL(this.service.url);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
      throw new RangeError(
        `Evidence storage must be reached over https (only the local emulator may use http).`,
      );
    }
    this.linkProtocol = url.protocol === "https:" ? SASProtocol.Https : SASProtocol.HttpsAndHttp;
    this.sasVersion = isLoopback(url.hostname) ? EMULATOR_SAS_VERSION : undefined;
    this.container = this.service.getContainerClient(this.containerName);
  }

  /**
   * Uploads a pack folder's files under `{projectId}/{exportId}/`, each streamed from disk with its content type.
   * All or nothing: every file is checked before the first upload, and if an upload fails what was uploaded is
   * deleted before the error is thrown (`leftBehind` lists anything storage would not let us delete). A blob
   * that already exists is never overwritten (`AlreadyExists`).
   */
  async uploadPack(options: UploadPackOptions): Promise<UploadedPack> {
    const prefix = packPrefix(options.projectId, options.exportId);
    const files = options.files.map(checkFile);
    if (files.length === 0) throw new RangeError("An evidence pack needs at least one file.");
    if (new Set(files).size !== files.length) throw new RangeError("A pack file is listed twice.");
    const what = `The evidence pack ${prefix} was not stored`;

    let bytes = 0;
    for (const file of files) {
      const info = await stat(join(options.folder, file)).catch((error: unknown) => {
        throw toEvidenceError(error, what);
      });
      if (!info.isFile()) {
        throw new EvidenceStorageError(`${what}: ${file} is not a file.`, { code: "FileUnreadable" });
      }
      bytes += info.size;
    }
    await this.ensureContainer(options.abortSignal).catch((error: unknown) => {
      throw toEvidenceError(error, what);
    });

    const blobPaths = files.map((file) => prefix + file);
    /** Blobs this call wrote, or may have written (the answer was lost): removed if the pack fails. */
    const written: string[] = [];
    try {
      for (const [index, file] of files.entries()) {
        const blobPath = blobPaths[index] ?? prefix + file;
        try {
          await this.container.getBlockBlobClient(blobPath).uploadFile(join(options.folder, file), {
            blobHTTPHeaders: { blobContentType: contentTypeFor(file), blobCacheControl: "private, no-store" },
            // Never replace a blob: a second upload of the same export must not mix two packs.
            conditions: { ifNoneMatch: "*" },
            abortSignal: options.abortSignal,
          });
          written.push(blobPath);
        } catch (error) {
          if (!isDefiniteRefusal(error) && !isFileError(error)) written.push(blobPath);
          throw error;
        }
      }
    } catch (error) {
      // The container went away since it was made: make it again next time.
      if (statusOf(error) === 404) this.containerReady = undefined;
      const leftBehind = await this.deleteBlobs(written);
      throw toEvidenceError(error, what, leftBehind);
    }
    return { prefix, bytes, blobPaths };
  }

  /**
   * A read-only link to one blob of a pack: permission `r` only, from a few minutes ago (clock skew) until
   * `expiresInMs` from now, https only outside the emulator. Signed with a user delegation key when the store
   * was opened with a token credential, so no account key is ever needed in Azure.
   */
  async linkFor(options: LinkOptions): Promise<EvidenceLink> {
    checkBlobPath(options.blobPath);
    const lifetime = options.expiresInMs ?? DEFAULT_LINK_LIFETIME_MS;
    if (!Number.isInteger(lifetime) || lifetime <= 0 || lifetime > MAX_LINK_LIFETIME_MS) {
      throw new RangeError(`A link lasts from 1 ms to 7 days, not ${lifetime} ms.`);
    }
    const now = (options.now ?? new Date()).getTime();
    // A link's times are whole seconds: the start rounds down and the end up, so it lasts at least as asked and
    // `expiresOn` is exactly what the link says.
    const startsOn = new Date(Math.floor((now - LINK_CLOCK_SKEW_MS) / 1000) * 1000);
    const expiresOn = new Date(Math.ceil((now + lifetime) / 1000) * 1000);
    const blob = this.container.getBlobClient(options.blobPath);
    const what = `No link could be made to ${options.blobPath}`;
    try {
      // A link to nothing would only fail later, in the requester's browser.
      await blob.getProperties({ abortSignal: options.abortSignal });
      const values = {
        containerName: this.containerName,
        blobName: options.blobPath,
        permissions: BlobSASPermissions.parse("r"),
        startsOn,
        expiresOn,
        protocol: this.linkProtocol,
        version: this.sasVersion,
      };
      const sas =
        this.signer.kind === "account-key"
          ? generateBlobSASQueryParameters(values, this.signer.credential)
          : generateBlobSASQueryParameters(
              values,
              await this.userDelegationKey(now, startsOn, expiresOn, options.abortSignal),
              this.signer.accountName,
            );
      return { url: `${blob.url}?${sas.toString()}`, expiresOn };
    } catch (error) {
      throw toEvidenceError(error, what);
    }
  }

  /** The blobs of one pack (`{projectId}/{exportId}/`), in name order. */
  async listPack(prefix: string, options: { abortSignal?: AbortSignal } = {}): Promise<PackBlob[]> {
    checkPrefix(prefix);
    const blobs: PackBlob[] = [];
    try {
      for await (const item of this.container.listBlobsFlat({ prefix, abortSignal: options.abortSignal })) {
        blobs.push({
          blobPath: item.name,
          bytes: item.properties.contentLength ?? 0,
          contentType: item.properties.contentType,
        });
      }
    } catch (error) {
      // No container yet: no pack was ever stored.
      if (statusOf(error) === 404) return [];
      throw toEvidenceError(error, `The evidence pack ${prefix} could not be listed`);
    }
    return blobs;
  }

  /** Deletes every blob of one pack; returns how many were deleted. */
  async deletePack(prefix: string, options: { abortSignal?: AbortSignal } = {}): Promise<number> {
    const blobs = await this.listPack(prefix, options);
    const leftBehind = await this.deleteBlobs(blobs.map((blob) => blob.blobPath));
    if (leftBehind.length > 0) {
      throw new EvidenceStorageError(`The evidence pack ${prefix} was not fully deleted.`, {
        code: "Unavailable",
        leftBehind,
      });
    }
    return blobs.length;
  }

  /** Creates the container once, private (no public access level). */
  private ensureContainer(abortSignal: AbortSignal | undefined): Promise<void> {
    this.containerReady ??= this.container.createIfNotExists({ abortSignal }).then(
      () => undefined,
      (error: unknown) => {
        this.containerReady = undefined;
        throw error;
      },
    );
    return this.containerReady;
  }

  /** Deletes each blob (gone already is fine); returns those that could not be deleted. */
  private async deleteBlobs(blobPaths: readonly string[]): Promise<string[]> {
    const results = await Promise.allSettled(
      // No abort signal: cleaning up must not be cut short by the caller giving up on the upload.
      blobPaths.map((blobPath) =>
        this.container.getBlobClient(blobPath).deleteIfExists({ deleteSnapshots: "include" }),
      ),
    );
    return blobPaths.filter((_, index) => results[index]?.status === "rejected");
  }

  /** A user delegation key covering `[startsOn, expiresOn]`, reused while it does. */
  private userDelegationKey(
    now: number,
    startsOn: Date,
    expiresOn: Date,
    abortSignal: AbortSignal | undefined,
  ): Promise<UserDelegationKey> {
    const cached = this.delegationKey;
    if (cached && cached.startsOn <= startsOn.getTime() && cached.expiresOn >= expiresOn.getTime()) {
      return cached.key;
    }
    const keyExpiresOn = Math.min(
      now + MAX_LINK_LIFETIME_MS,
      Math.max(expiresOn.getTime(), now + DELEGATION_KEY_REUSE_MS),
    );
    const key = this.service.getUserDelegationKey(startsOn, new Date(keyExpiresOn), { abortSignal });
    const entry = { startsOn: startsOn.getTime(), expiresOn: keyExpiresOn, key };
    this.delegationKey = entry;
    key.catch(() => {
      if (this.delegationKey === entry) this.delegationKey = undefined;
    });
    return key;
  }
}

/** Opens the evidence store; the container is created (private) on the first upload. */
export function openEvidenceStore(target: BlobTarget, options?: EvidenceStoreOptions): EvidenceStore {
  return new EvidenceStore(target, options);
}
