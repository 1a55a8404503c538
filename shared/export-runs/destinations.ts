import { Writable } from 'node:stream';
import type { gmail_v1 } from '@googleapis/gmail';
import { PermanentError, RetryAfterError } from '../errors.js';
import type { ExportSummary } from '../exports/types.js';
import { googleClientFor } from '../google/credentials.js';
import { classifyGoogleError, googleErrorInfo } from '../imports/google-errors.js';
import type { Platform } from '../platform.js';
import { clearDeliveryStarted, markDeliveryStarted, type ClaimedExport, type DeliveredExport } from './claim.js';
import { DriveResumableStream, startResumableUpload } from './drive-resumable.js';
import { withMessageId } from './message-id.js';
import { countExportRows } from './rows.js';

// The Drive and Gmail clients and the MIME composer (nodemailer) are imported by the
// destination that uses them, on its first export: most exports are downloads, and the
// export function registers before any of them loads (`npm run bench:coldstart`).

/** The file being exported: its name and type, and how to write it into a stream. */
export interface ExportFile {
  fileName: string;
  contentType: string;
  /** Writes the whole file into `out`, ends it and resolves once it is flushed (destroys `out` on failure). */
  writeTo(out: Writable): Promise<ExportSummary>;
}

export interface DeliveryContext {
  platform: Platform;
  claimed: ClaimedExport;
  workerId: string;
  file: ExportFile;
  /** Gmail: how long after an interrupted send its message may take to show in search. */
  gmailSettleSeconds: number;
  /** Drive: bytes per PUT of the resumable upload. */
  driveChunkBytes?: number;
}

/** Where the download destination stores an export: named from ids only, never from user text. */
export function exportObjectName(claimed: { runId: string; id: string; fileType: string }): string {
  return `runs/${claimed.runId}/${claimed.id}.${claimed.fileType}`;
}

/**
 * download: the file streams into the exports bucket (a resumable upload on GCS). The
 * object is named from the ids, so a retried export overwrites the same object: one object.
 */
export async function deliverDownload({ platform, claimed, file }: DeliveryContext): Promise<DeliveredExport> {
  const objectName = exportObjectName(claimed);
  const out = platform.blobs.openWriteStream('exports', objectName, {
    contentType: file.contentType,
    metadata: { exportId: claimed.id, runId: claimed.runId },
  });
  const { rows } = await file.writeTo(out);
  return { externalId: objectName, objectName, fileName: file.fileName, rows, where: 'ready to download' };
}

/** The appProperties key that finds the Drive file of an export again. */
export const DRIVE_EXPORT_KEY = 'bytereviewExportId';

/**
 * gdrive: a resumable upload into the chosen folder with the `drive.file` scope, the file
 * tagged with `appProperties.bytereviewExportId`. Before creating anything, the export's
 * earlier upload is looked up by that tag: Drive shows a file only once its upload has
 * finished, so one found is complete, and a retry after a crash adopts it (one file).
 */
export async function deliverDrive({ platform, claimed, file, driveChunkBytes }: DeliveryContext): Promise<DeliveredExport> {
  const auth = await googleClientFor(platform, requireAccount(claimed));
  const rootUrl = platform.google.endpoints?.rootUrl ?? 'https://www.googleapis.com/';
  const { drive } = await import('@googleapis/drive');
  const api = drive({ version: 'v3', auth, rootUrl });
  const folder = claimed.options.folderId;
  try {
    const { data } = await api.files.list({
      q: `appProperties has { key='${DRIVE_EXPORT_KEY}' and value='${claimed.id}' } and trashed = false`,
      fields: 'files(id,name)', spaces: 'drive', pageSize: 10, supportsAllDrives: true, includeItemsFromAllDrives: true,
    });
    const earlier = data.files?.[0];
    if (earlier?.id) {
      return { externalId: earlier.id, fileName: earlier.name ?? file.fileName, rows: await countExportRows(platform.database.db, claimed.runId), where: 'saved to Google Drive' };
    }
    const session = await startResumableUpload(auth, rootUrl, {
      name: file.fileName,
      mimeType: file.contentType.split(';')[0]!,
      ...(folder ? { parents: [folder] } : {}),
      appProperties: { [DRIVE_EXPORT_KEY]: claimed.id },
    });
    const upload = new DriveResumableStream(auth, session, driveChunkBytes);
    const { rows } = await file.writeTo(upload);
    const uploaded = await upload.file;
    return { externalId: uploaded.id, fileName: file.fileName, rows, where: 'saved to Google Drive' };
  } catch (error) {
    throw describeDriveError(classifyGoogleError(error), folder);
  }
}

function describeDriveError(error: Error, folder: string | undefined): Error {
  if (error instanceof PermanentError && error.code === 'google_notFound' && folder) {
    return new PermanentError(`the Drive folder ${folder} was not found, or this account may not write to it`, 'drive_folder_not_found', { cause: error });
  }
  return error;
}

/** The largest file Gmail takes as an attachment. */
export const GMAIL_ATTACHMENT_LIMIT_BYTES = 25 * 1024 * 1024;

/** The Message-ID an export's email carries: derived from the export id, so every attempt uses the same one. */
export function exportMessageId(exportId: string): string {
  return `<export-${exportId}@bytereview.app>`;
}

/**
 * gmail: the file is written into memory (Gmail caps attachments at 25 MB), then sent as a
 * multipart message with the file attached. Sent once, even across crashes: the message carries a Message-ID derived from the export id, and that id plus
 * the time are committed on the row BEFORE the send. An attempt that finds the marker set
 * (an earlier one crashed, or its send failed in a way that leaves doubt) searches Gmail for
 * `rfc822msgid:` first and adopts the message it finds; it sends again only when the search
 * finds nothing once the marker is `gmailSettleSeconds` old, and it never sends when it cannot
 * search (then the export fails with the reason, so no one gets two copies).
 */
export async function deliverGmail({ platform, claimed, workerId, file, gmailSettleSeconds }: DeliveryContext): Promise<DeliveredExport> {
  const accountId = requireAccount(claimed);
  const auth = await googleClientFor(platform, accountId);
  const [{ gmail }, { buildExportEmail, toGmailRaw }] = await Promise.all([import('@googleapis/gmail'), import('../exports/mime.js')]);
  const api = gmail({ version: 'v1', auth, rootUrl: platform.google.endpoints?.rootUrl ?? 'https://gmail.googleapis.com/' });
  const messageId = exportMessageId(claimed.id);
  const to = claimed.options.to;
  if (!to) throw new PermanentError('the export has no recipient', 'recipient_required');
  const where = `emailed to ${to}`;

  if (claimed.deliveryStartedAt) {
    const earlier = await findSentMessage(api, messageId);
    if (earlier) return { externalId: earlier, fileName: file.fileName, rows: await countExportRows(platform.database.db, claimed.runId), where };
    const ageSeconds = (Date.now() - claimed.deliveryStartedAt.getTime()) / 1000;
    if (ageSeconds < gmailSettleSeconds) {
      throw new RetryAfterError('an earlier attempt may have sent the email: waiting for Gmail to show it before deciding', Math.ceil(gmailSettleSeconds - ageSeconds));
    }
  }

  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > GMAIL_ATTACHMENT_LIMIT_BYTES) {
        return callback(new PermanentError(`the ${file.fileName} file is larger than Gmail's 25 MB attachment limit: export it to Google Drive or as a download`, 'attachment_too_large'));
      }
      chunks.push(chunk);
      callback();
    },
  });
  const { rows } = await file.writeTo(sink);
  const account = await platform.database.db.selectFrom('integration_accounts').select('email').where('id', '=', accountId).executeTakeFirst();
  const message = await buildExportEmail({
    from: account?.email ?? to,
    to,
    subject: claimed.options.subject ?? `${claimed.jobName} run #${claimed.runNumber} results`,
    text: `${file.fileName} is attached: ${rows} ${rows === 1 ? 'row' : 'rows'} extracted by ByteReview from run #${claimed.runNumber} of "${claimed.jobName}".\n`,
    attachment: { filename: file.fileName, contentType: file.contentType, content: Buffer.concat(chunks) },
  });
  const raw = toGmailRaw(withMessageId(message, messageId));

  if (!(await markDeliveryStarted(platform.database.db, claimed, workerId, messageId))) {
    throw new PermanentError('the export was taken over by another worker before sending', 'claim_lost');
  }
  try {
    const { data } = await api.users.messages.send({ userId: 'me', requestBody: { raw } });
    if (!data.id) throw new PermanentError('Gmail accepted the message without an id', 'gmail_no_id');
    return { externalId: data.id, fileName: file.fileName, rows, where };
  } catch (error) {
    const classified = classifyGoogleError(error);
    // A refusal (4xx) sent nothing: the marker goes, so a retried export may send.
    if (classified instanceof PermanentError) await clearDeliveryStarted(platform.database.db, claimed, workerId);
    throw classified;
  }
}

/** The id of the message with `messageId` in the account's mailbox (sent ones included), or undefined. */
async function findSentMessage(api: gmail_v1.Gmail, messageId: string): Promise<string | undefined> {
  try {
    const { data } = await api.users.messages.list({ userId: 'me', q: `rfc822msgid:${messageId.slice(1, -1)}`, includeSpamTrash: true, maxResults: 1 });
    return data.messages?.[0]?.id ?? undefined;
  } catch (error) {
    const info = googleErrorInfo(error);
    if (info.status === 403 && info.reason === 'insufficientPermissions') {
      throw new PermanentError(
        'an earlier attempt may have sent this email, and the account did not grant Gmail read access to check: not sending again so no one gets two copies',
        'delivery_unknown', { cause: error },
      );
    }
    throw classifyGoogleError(error);
  }
}

function requireAccount(claimed: ClaimedExport): string {
  if (!claimed.accountId) throw new PermanentError('the Google account of this export was disconnected: connect it and export again', 'account_not_connected');
  return claimed.accountId;
}
