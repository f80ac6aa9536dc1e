// The development inbox: mail kept in memory instead of sent, newest first, bounded, for `npm run demo` and
// GATEHOUSE_DEV_INBOX=1. It holds live codes and links, so it exists only when asked for; http/dev-inbox-routes.ts
// shows it. Nothing is written to disk and a restart empties it.

export interface InboxMessage {
  /** Sequence number in this process, for the page's anchors. */
  id: number;
  /** ISO 8601 time it was "sent". */
  at: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface DevInbox {
  add(msg: Omit<InboxMessage, 'id'>): void;
  /** Newest first. */
  list(): readonly InboxMessage[];
}

export function createDevInbox(limit = 100): DevInbox {
  const messages: InboxMessage[] = [];
  let seq = 0;
  return {
    add(msg) {
      messages.unshift({ id: ++seq, ...msg });
      if (messages.length > limit) messages.length = limit;
    },
    list: () => messages.slice(),
  };
}
