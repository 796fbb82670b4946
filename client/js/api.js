// Talking to the services: where they are, the signed-in session, and requests that turn problem
// details into readable errors.
import { t } from "./i18n.js";

const config = window.ATTENDANCE_CONFIG || {};

// By default everything goes through the page's own host (its proxy): one origin, no CORS, and the
// refresh cookie stays first-party.
export const services = {
  auth: config.authUrl || "/api/auth",
  attendance: config.attendanceUrl || "/api/attendance",
  reporter: config.reporterUrl || `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`,
};

export class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

/** The request never got an answer: offline, or the service is down. */
export class NetworkError extends ApiError {}

/** Refresh this long before the access token runs out, so no request meets an expired one. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * The signed-in person. The access token lives in this page's memory only; the refresh token is an
 * HttpOnly cookie no script can read, which renews the access token silently and survives a reload.
 */
export const session = {
  token: null,
  me: null,
  onExpired: () => {},
  _refreshing: null,
  _timer: null,

  /** Starts (or renews) a session from an access token; false when it has already expired. */
  begin(token) {
    const claims = decode(token);
    if (claims.exp * 1000 <= Date.now()) { this.end(); return false; }
    this.token = token;
    this.me = { id: Number(claims.employee_id), name: claims.name, role: claims.role, exp: claims.exp };
    clearTimeout(this._timer);
    const margin = Math.min(REFRESH_MARGIN_MS, ((claims.exp - (claims.iat ?? claims.exp)) * 1000) / 4);
    this._timer = setTimeout(() => this.refresh(), Math.max(1000, claims.exp * 1000 - Date.now() - margin));
    return true;
  },

  end() {
    clearTimeout(this._timer);
    this.token = null;
    this.me = null;
  },

  /**
   * A new access token from the refresh cookie; null when the sign-in is over. One at a time, across
   * tabs too (a refresh token is good once: two tabs racing with one would end the session).
   */
  refresh() {
    this._refreshing ??= withLock(async () => {
      try {
        const response = await fetch(services.auth + "/token/refresh", { method: "POST", credentials: "same-origin" });
        if (!response.ok) return null;
        const body = await response.json();
        return this.begin(body.token) ? body.token : null;
      } catch {
        return undefined; // offline: not over, just not renewed now
      }
    }).finally(() => { this._refreshing = null; });
    return this._refreshing;
  },

  /** Ends the sign-in on the server too (the cookie's session), then here. */
  async logout() {
    try { await fetch(services.auth + "/logout", { method: "POST", credentials: "same-origin" }); } catch { /* offline: the token expires soon */ }
    this.end();
  },

  isAdmin() { return this.me?.role === "admin"; },
  /** Admins and managers: they watch and decide for others (managers for their teams). */
  isSupervisor() { return this.me?.role === "admin" || this.me?.role === "manager"; },
  expired() { return !this.me || this.me.exp * 1000 <= Date.now(); },
};

const withLock = (work) => navigator.locks ? navigator.locks.request("attendance-refresh", work) : work();

function decode(token) {
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
}

/**
 * A request with the session's token; a failure throws an ApiError with the problem's detail. A 401
 * (the token expired or was revoked, say after a role change) is answered by one silent refresh and
 * a retry; only when that fails is the session over.
 */
export async function call(base, path, options = {}) {
  let response = await send(base, path, options);
  if (response.status === 401 && session.token) {
    const renewed = await session.refresh();
    if (renewed) response = await send(base, path, options);
    else if (renewed === null) session.onExpired();
  }
  if (!response.ok) {
    // Problem details say what was wrong in plain words.
    let message = `${response.status} ${response.statusText}`;
    try { const problem = await response.json(); message = problem.detail || problem.title || message; } catch { /* not JSON */ }
    throw new ApiError(message, response.status);
  }
  return response;
}

async function send(base, path, options) {
  const headers = { ...(options.headers || {}) };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  // raw: bytes sent as they are (a photo), with the caller's Content-Type.
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  try {
    return await fetch(base + path, { ...options, headers, body, credentials: "same-origin" });
  } catch {
    throw new NetworkError(t("networkError"));
  }
}

export const json = async (base, path, options) => (await call(base, path, options)).json();
