/**
 * PostgreSQL's LISTEN/NOTIFY, for waking consumers of tables written by other transactions or
 * processes. A notification is a hint, never data: it can be missed (while reconnecting), so a
 * subscriber is also woken after every reconnection and must read what it needs from the table.
 */
export abstract class DatabaseNotifications {
  /**
   * Calls `onWake` for every notification on `channel`, once when its listening starts on a new
   * connection, and so after each reconnection. Returns the unsubscribe function.
   */
  abstract subscribe(channel: string, onWake: () => void): () => void;

  /**
   * True while a connection is established and LISTENs on `channel`: a notification committed now
   * will reach the subscribers. False before the first connection, from the moment a loss is
   * known until the reconnection has listened again, and for channels nobody subscribed to. A
   * cache that a channel keeps fresh must not serve while this is false.
   */
  abstract isListening(channel: string): boolean;
}
