// The reporter's WebSocket: connects with the session's token, resumes from the last cursor after
// any break (so a short outage loses nothing), and hands each frame to whoever listens.
import { services, session } from "./api.js";

const MAX_DELAY_MS = 10000;

export class LiveFeed {
  #socket = null;
  #cursor = null;
  #retry = 0;
  #reconnectTimer = null;

  /** @param handlers {{ onRecord(record), onVoid(voided), onNotification(notification), onConnected(), onResync(), onStatus(live: boolean), onSessionOver() }} */
  constructor(handlers) {
    this.handlers = handlers;
  }

  get connected() { return this.#socket?.readyState === WebSocket.OPEN; }

  connect() {
    if (!session.token) return;
    let url = `${services.reporter}/ws?token=${encodeURIComponent(session.token)}`;
    if (this.#cursor) url += `&after=${encodeURIComponent(this.#cursor)}`;
    const socket = new WebSocket(url);
    this.#socket = socket;
    this.handlers.onStatus(false);
    socket.onmessage = (event) => this.#receive(JSON.parse(event.data));
    socket.onclose = (event) => this.#closed(socket, event);
  }

  /** Stops for good (logging out): no reconnect, the cursor forgotten. */
  close() {
    clearTimeout(this.#reconnectTimer);
    const socket = this.#socket;
    this.#socket = null;
    this.#cursor = null;
    this.#retry = 0;
    socket?.close(1000, "logout");
  }

  #receive(message) {
    if (message.type === "hello") {
      this.#retry = 0;
      if (!this.#cursor && message.cursor) this.#cursor = message.cursor;
      this.handlers.onStatus(true);
      this.handlers.onConnected();
    } else if (message.type === "record") {
      this.#cursor = message.cursor;
      this.handlers.onRecord(message.record);
    } else if (message.type === "void") {
      // A void has its place in the feed like a record: the cursor moves past it.
      this.#cursor = message.cursor;
      this.handlers.onVoid(message);
    } else if (message.type === "notification") {
      this.handlers.onNotification(message.notification);
    } else if (message.type === "resync") {
      // Too long away to replay: whoever shows records reloads them.
      this.handlers.onResync();
    }
  }

  #closed(socket, event) {
    if (this.#socket !== socket) return;
    this.#socket = null;
    if (!session.token) return;
    if (event.code === 1008 || (event.code === 1006 && session.expired())) {
      // The token expired or was revoked: a silent refresh either renews the sign-in (then resume
      // from the cursor, nothing lost) or shows it is over.
      session.refresh().then((token) => {
        if (token) this.connect();
        else if (token === null) this.handlers.onSessionOver();
        else this.#reconnectTimer = setTimeout(() => this.connect(), MAX_DELAY_MS);
      });
      return;
    }
    this.handlers.onStatus(false);
    // Back off, then resume from the last cursor.
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** this.#retry++);
    this.#reconnectTimer = setTimeout(() => this.connect(), delay);
  }
}
