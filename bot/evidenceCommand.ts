import type { TurnContext } from "botbuilder";
import { evidencePackCard } from "../adaptive-cards/evidenceCards.js";
import type { Actor } from "../governance/events.js";
import { EvidenceChainError, resolveEvidenceRange } from "../governance/evidencePack.js";
import { decideEvidenceExport, refuseEvidenceExport } from "../governance/evidenceRules.js";
import type { ProjectState } from "../governance/project.js";
import type { EvidenceStore } from "../store/evidenceBlobs.js";
import { exportEvidencePack, temporaryPackFolder } from "../store/evidencePack.js";
import { zipFolder } from "../store/evidenceZip.js";
import { recordRefusal } from "./cardScope.js";
import type { ConversationDependencies, TurnRecord } from "./conversation.js";
import { errorProperties } from "./logger.js";
import type { PrivateSender } from "./privateMessage.js";
import { replyText } from "./replies.js";

/** What producing evidence packs needs: where packs are kept, how long links last, how to reach a person privately. */
export interface EvidenceDependencies {
  store: Pick<EvidenceStore, "uploadPack" | "linkFor" | "deletePack">;
  linkLifetimeMs: number;
  sendPrivately: PrivateSender;
}

const ZIP = "evidence-pack.zip";
const ALREADY_SENT =
  "That request was already answered: the evidence pack's links were sent to you in a private chat. Type evidence again for a new pack.";

/**
 * `evidence [from {date}] [to {date}]` (domain page §5): builds the pack from the governance log, keeps it in
 * Blob Storage, records the export in the log (every read of the evidence is logged), and sends the person
 * read-only links that expire — privately, never in the channel. Refused (and the refusal logged) for anyone
 * without one of the roles that answer to commissioners and inspectors.
 */
export async function produceEvidence(
  context: TurnContext,
  deps: ConversationDependencies,
  turn: TurnRecord,
  request: {
    state: ProjectState;
    actor: Actor;
    projectId: string;
    key: string;
    tenantId: string | undefined;
    from?: string;
    to?: string;
  },
): Promise<void> {
  const { actor, projectId, key, tenantId } = request;
  // Decided on the state as storage has it now: a role removed a moment ago must not still open the evidence.
  const state = (await deps.log.readState(projectId)) ?? request.state;
  const refusal = refuseEvidenceExport(state, actor, tenantId);
  if (refusal?.outcome === "refused") {
    await recordRefusal(
      deps,
      { projectId, actor },
      { attempted: "evidence", reason: refusal.message, idempotencyKey: key },
    );
    return replyText(context, `${refusal.message} Nothing was produced.`);
  }
  const resolved = resolveEvidenceRange(
    state.project,
    { ...(request.from ? { from: request.from } : {}), ...(request.to ? { to: request.to } : {}) },
    deps.clock(),
  );
  if ("problem" in resolved) return replyText(context, `${resolved.problem} Nothing was produced.`);
  const evidence = deps.evidence;
  if (!evidence) {
    return replyText(
      context,
      "Evidence packs need Blob Storage, which this installation does not have. Ask your IT lead to set it up (see the README).",
    );
  }
  // Teams redelivers a message it thinks went unanswered: a pack already made for it is not made (and handed
  // out) again — every pack given out must be the one its log entry records.
  if (await deps.log.hasRecorded(projectId, key)) return replyText(context, ALREADY_SENT);
  const { range } = resolved;
  const producedAt = deps.clock();
  const temp = await temporaryPackFolder();
  let uploadedPrefix: string | undefined;
  let builtManifest: string | undefined;
  try {
    const pack = await exportEvidencePack(deps.log, {
      folder: `${temp.folder}/pack`,
      request: {
        projectId,
        range,
        producedAt: producedAt.toISOString(),
        producedBy: { objectId: actor.objectId, name: actor.name },
      },
    });
    const files = [...pack.manifest.files.map((f) => f.name), "manifest.json"];
    await zipFolder({
      folder: pack.folder,
      files,
      out: `${pack.folder}/${ZIP}`,
      at: producedAt,
      root: `evidence-pack-${range.from}-to-${range.to}`,
    });
    const exportId = `${producedAt.toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${pack.manifestSha256.slice(0, 12)}`;
    const uploaded = await evidence.store.uploadPack({
      projectId,
      exportId,
      folder: pack.folder,
      files: [...files, ZIP],
    });
    uploadedPrefix = uploaded.prefix;
    builtManifest = pack.manifestSha256;
    const result = await deps.log.change({
      projectId,
      idempotencyKey: key,
      actor,
      decide: decideEvidenceExport(actor, tenantId, {
        from: range.from,
        to: range.to,
        headSeq: pack.manifest.chain.headSeq,
        headHash: pack.manifest.chain.headHash,
        manifestSha256: pack.manifestSha256,
        files: files.length,
        bytes: pack.bytes,
        destination: "blob-storage",
      }),
    });
    if (result.status === "refused") {
      await evidence.store.deletePack(uploaded.prefix);
      uploadedPrefix = undefined;
      await recordRefusal(
        deps,
        { projectId, actor },
        { attempted: "evidence", reason: result.message, idempotencyKey: key },
      );
      return replyText(context, `${result.message} Nothing was produced.`);
    }
    if (result.status === "duplicate") {
      // Another delivery of this message recorded its own pack first: this one is not handed out.
      await evidence.store.deletePack(uploaded.prefix);
      uploadedPrefix = undefined;
      return replyText(context, ALREADY_SENT);
    }
    if (result.status !== "recorded") {
      await evidence.store.deletePack(uploaded.prefix);
      uploadedPrefix = undefined;
      return replyText(context, `${result.message} Nothing was produced.`);
    }
    turn.recorded = true;
    uploadedPrefix = undefined; // logged: the pack stays, whatever happens to the message
    const [zipLink, reportLink] = await Promise.all([
      evidence.store.linkFor({ blobPath: `${uploaded.prefix}${ZIP}`, expiresInMs: evidence.linkLifetimeMs }),
      evidence.store.linkFor({
        blobPath: `${uploaded.prefix}index.html`,
        expiresInMs: evidence.linkLifetimeMs,
      }),
    ]);
    const when = (d: Date) =>
      new Intl.DateTimeFormat("en-GB", {
        timeZone: range.timeZone,
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
      }).format(d);
    const day = (date: string) =>
      new Intl.DateTimeFormat("en-GB", {
        timeZone: "UTC",
        day: "numeric",
        month: "short",
        year: "numeric",
      }).format(new Date(`${date}T12:00:00Z`));
    const card = evidencePackCard({
      projectName: state.project.name,
      period: `${day(range.from)} to ${day(range.to)} (${range.timeZone})`,
      expires: when(zipLink.expiresOn),
      files: `${files.length} (${Math.max(1, Math.round(pack.bytes / 1024)).toLocaleString("en-GB")} KB)`,
      entries: `1 to ${pack.manifest.chain.headSeq.toLocaleString("en-GB")}`,
      loggedAs: `governance log entry ${result.entry.seq}`,
      manifestSha256: pack.manifestSha256,
      zipUrl: zipLink.url,
      reportUrl: reportLink.url,
    });
    try {
      await evidence.sendPrivately(context, {
        type: "message",
        attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }],
        summary: `Evidence pack: ${state.project.name}`,
      });
    } catch (error) {
      deps.logger.error("evidence pack link not sent privately", {
        activityId: context.activity.id,
        ...errorProperties(error),
      });
      return replyText(
        context,
        `The evidence pack is made and logged (governance log entry ${result.entry.seq}), but I could not message you privately, so its link is not posted here. Open a chat with me (Go-Live Governance) once, then type evidence here again.`,
      );
    }
    return replyText(
      context,
      `I've sent you the evidence pack for ${day(range.from)} to ${day(range.to)} in a private chat. Its links work until ${when(zipLink.expiresOn)}. This export is governance log entry ${result.entry.seq}.`,
    );
  } catch (error) {
    if (error instanceof EvidenceChainError) {
      deps.logger.error("evidence pack refused: the log does not verify", { projectId, seq: error.seq });
      return replyText(
        context,
        `The evidence pack was not made: the governance log does not verify (${error.message}). Ask the project lead to run log verify and contact support. Nothing was produced.`,
      );
    }
    throw error;
  } finally {
    // Not logged: the pack is removed — unless storage stopped answering after this very pack's export was in
    // fact recorded (its manifest is the one the entry names), or cannot say.
    if (uploadedPrefix && builtManifest !== undefined) {
      const recorded = await deps.log.recordedEntry(projectId, key).then(
        (entry) =>
          entry?.events.some((e) => e.kind === "evidence.exported" && e.manifestSha256 === builtManifest),
        () => true,
      );
      if (!recorded) await evidence.store.deletePack(uploadedPrefix).catch(() => undefined);
    }
    await temp.release();
  }
}
