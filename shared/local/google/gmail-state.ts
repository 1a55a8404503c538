import { randomBytes } from 'node:crypto';

/** An attachment given to `addMessage`. */
export interface GmailAttachmentInput {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** What a test or the local stack puts in the mailbox. */
export interface NewGmailMessage {
  from: string;
  to?: string;
  subject: string;
  body?: string;
  html?: string;
  date?: Date;
  attachments?: GmailAttachmentInput[];
  /** Defaults to `['INBOX', 'UNREAD']`. */
  labelIds?: string[];
  threadId?: string;
}

/** A stored attachment; its id stays stable across reads (real Gmail ids may not). */
export interface GmailAttachment {
  attachmentId: string;
  filename: string;
  mimeType: string;
  bytes: Buffer;
}

/** A message of the simulated mailbox. */
export interface GmailMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  historyId: number;
  internalDate: number;
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html?: string;
  attachments: GmailAttachment[];
  /** The RFC 822 bytes as sent, for messages that came in through messages.send. */
  raw?: Buffer;
}

/** One `messagesAdded` history record. */
export interface GmailHistoryRecord {
  id: number;
  messageId: string;
}

/** The active `users.watch`, if any. */
export interface GmailWatch {
  emailAddress: string;
  topicName: string;
  labelIds: string[];
  labelFilterAction: 'include' | 'exclude';
  expiration: number;
}

/** What Gmail publishes to the watch topic (the Pub/Sub message data, decoded). */
export interface GmailWatchNotification {
  emailAddress: string;
  historyId: number;
  topicName: string;
}

const WATCH_TTL_MS = 7 * 24 * 3600_000;

/** The simulated mailbox all accounts of the double share: messages, history, sent mail, watch. */
export class GmailState {
  readonly messages = new Map<string, GmailMessage>();
  readonly history: GmailHistoryRecord[] = [];
  watch: GmailWatch | undefined;
  private currentHistoryId = 100_000;
  private oldestHistoryId = 1;
  private readonly listeners = new Set<(n: GmailWatchNotification) => void>();

  /** Delivers a message into the mailbox (a `messagesAdded` history record; a watch notification). */
  addMessage(input: NewGmailMessage): GmailMessage {
    const id = gmailId();
    const date = input.date ?? new Date();
    const message: GmailMessage = {
      id,
      threadId: input.threadId ?? id,
      labelIds: input.labelIds ?? ['INBOX', 'UNREAD'],
      historyId: 0,
      internalDate: date.getTime(),
      from: input.from,
      to: input.to ?? 'me',
      subject: input.subject,
      messageId: `<${id}@bytereview.local>`,
      text: input.body ?? '',
      html: input.html,
      attachments: (input.attachments ?? []).map((a) => ({
        attachmentId: `ANGjdJ${randomBytes(48).toString('base64url')}`,
        filename: a.filename,
        mimeType: a.mimeType,
        bytes: Buffer.from(a.bytes),
      })),
    };
    return this.store(message);
  }

  /** Stores a fully formed message (used by messages.send) and records its history. */
  store(message: GmailMessage): GmailMessage {
    message.historyId = ++this.currentHistoryId;
    this.messages.set(message.id, message);
    this.history.push({ id: message.historyId, messageId: message.id });
    this.notifyWatch(message);
    return message;
  }

  /** The messages sent through messages.send, oldest first, with their raw RFC 822 bytes. */
  sentMessages(): (GmailMessage & { raw: Buffer })[] {
    return [...this.messages.values()].filter((m): m is GmailMessage & { raw: Buffer } => m.raw !== undefined);
  }

  /** The mailbox's current history id (what getProfile answers). */
  historyId(): number {
    return this.currentHistoryId;
  }

  /** Makes history before `historyId` (default: now) unavailable, so history.list answers 404 as Gmail does. */
  forgetHistoryBefore(historyId = this.currentHistoryId): void {
    this.oldestHistoryId = historyId;
  }

  /** True when history.list can still answer from this id. */
  hasHistorySince(historyId: number): boolean {
    return historyId >= this.oldestHistoryId;
  }

  /** Starts (or renews) the watch; returns Gmail's answer. */
  startWatch(watch: Omit<GmailWatch, 'expiration'>): { historyId: string; expiration: string } {
    this.watch = { ...watch, expiration: Date.now() + WATCH_TTL_MS };
    return { historyId: String(this.currentHistoryId), expiration: String(this.watch.expiration) };
  }

  /** Calls `listener` with what Gmail would publish to the watch topic whenever a watched message arrives. */
  onWatchNotification(listener: (n: GmailWatchNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notifyWatch(message: GmailMessage): void {
    const watch = this.watch;
    if (!watch || watch.expiration < Date.now()) return;
    if (watch.labelIds.length > 0) {
      const labelled = watch.labelIds.some((l) => message.labelIds.includes(l));
      if (labelled !== (watch.labelFilterAction === 'include')) return;
    }
    for (const listener of this.listeners) listener({ emailAddress: watch.emailAddress, historyId: message.historyId, topicName: watch.topicName });
  }
}

let sequence = 0;

/** Gmail-looking ids (16 hex digits), unique within the process. */
export function gmailId(): string {
  return (BigInt(Date.now()) * 4096n + BigInt(sequence++ & 0xfff)).toString(16);
}
