// Talking to the services: where they are, the signed-in session, and requests that turn problem
// details into readable errors.
import { t } from "./i18n.js";

const config = window.ATTENDANCE_CONFIG || {};
const host = location.hostname || "localhost";

export const services = {
  auth: config.authUrl || `${location.protocol}//${host}:8001`,
  attendance: config.attendanceUrl || `${location.protocol}//${host}:8002`,
  reporter: config.reporterUrl || `${location.protocol === "https:" ? "wss" : "ws"}://${host}:8103`,
};

export class ApiError extends Error {}

const TOKEN_KEY = "attendance.token";

/** The signed-in person: the token (this tab only) and what it says about them. */
export const session = {
  token: null,
  me: null,
  onExpired: () => {},

  /** Starts a session from a token; false when it has already expired. */
  begin(token) {
    const claims = decode(token);
    if (claims.exp * 1000 <= Date.now()) { this.end(); return false; }
    this.token = token;
    this.me = { id: Number(claims.employee_id), name: claims.name, role: claims.role, exp: claims.exp };
    sessionStorage.setItem(TOKEN_KEY, token);
    return true;
  },

  end() {
    this.token = null;
    this.me = null;
    sessionStorage.removeItem(TOKEN_KEY);
  },

  saved: () => sessionStorage.getItem(TOKEN_KEY),
  isAdmin() { return this.me?.role === "admin"; },
  /** Admins and managers: they watch and decide for others (managers for their teams). */
  isSupervisor() { return this.me?.role === "admin" || this.me?.role === "manager"; },
  expired() { return !this.me || this.me.exp * 1000 <= Date.now(); },
};

function decode(token) {
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
}

/** A request with the session's token; a failure throws an ApiError with the problem's detail. */
export async function call(base, path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  // raw: bytes sent as they are (a photo), with the caller's Content-Type.
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  let response;
  try {
    response = await fetch(base + path, { ...options, headers, body });
  } catch {
    throw new ApiError(t("networkError"));
  }
  if (response.status === 401 && session.token) session.onExpired();
  if (!response.ok) {
    // Problem details say what was wrong in plain words.
    let message = `${response.status} ${response.statusText}`;
    try { const problem = await response.json(); message = problem.detail || problem.title || message; } catch { /* not JSON */ }
    throw new ApiError(message);
  }
  return response;
}

export const json = async (base, path, options) => (await call(base, path, options)).json();
