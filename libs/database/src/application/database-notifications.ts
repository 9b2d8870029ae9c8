/**
 * PostgreSQL's LISTEN/NOTIFY, for waking consumers of tables written by other transactions or
 * processes. A notification is a hint, never data: it can be missed (while reconnecting), so a
 * subscriber is also woken after every reconnection and must read what it needs from the table.
 */
export abstract class DatabaseNotifications {
  /**
   * Calls `onWake` for every notification on `channel`, and once after each reconnection of the
   * listening connection. Returns the unsubscribe function.
   */
  abstract subscribe(channel: string, onWake: () => void): () => void;
}
