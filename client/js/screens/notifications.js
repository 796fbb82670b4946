// The notification bell: the unread count, the latest notifications, marking them read. New ones
// arrive as the reporter's notification frames; missed ones are read back on every (re)connect.
import { call, json, services } from "../api.js";
import { dateTime, number, t } from "../i18n.js";
import { $ } from "./records.js";

let unread = 0;
let items = [];

export async function load() {
  try {
    const [count, latest] = await Promise.all([
      json(services.attendance, "/notifications/unread-count"),
      json(services.attendance, "/notifications?limit=20"),
    ]);
    unread = count.unread;
    items = latest;
  } catch {
    // The bell stays as it was; the next (re)connect tries again.
  }
  render();
}

export function onNotification(notification) {
  if (items.some((n) => n.id === notification.id)) return;
  items.unshift({ ...notification, read_at: null });
  items.length = Math.min(items.length, 20);
  unread += 1;
  render();
}

export function reset() {
  unread = 0;
  items = [];
  setOpen(false);
  $("bell").hidden = true;
}

export function toggle() {
  setOpen($("notifications").hidden);
}

export function closeIfOpen() {
  if (!$("notifications").hidden) {
    setOpen(false);
    $("bell").focus();
  }
}

function setOpen(open) {
  $("notifications").hidden = !open;
  $("bell").setAttribute("aria-expanded", String(open));
  if (open) ($("notification-list").querySelector("button") ?? $("read-all")).focus();
}

export async function readAll() {
  try {
    await call(services.attendance, "/notifications/read-all", { method: "POST" });
    const now = new Date().toISOString();
    items = items.map((n) => ({ ...n, read_at: n.read_at ?? now }));
    unread = 0;
  } catch {
    // Left unread; nothing lost.
  }
  render();
}

async function read(notification) {
  if (notification.read_at) return;
  try {
    await call(services.attendance, `/notifications/${notification.id}/read`, { method: "POST" });
    notification.read_at = new Date().toISOString();
    unread = Math.max(0, unread - 1);
  } catch {
    // Stays unread.
  }
  render();
}

export function render() {
  $("bell").hidden = false;
  const count = $("bell-count");
  count.hidden = unread === 0;
  count.textContent = number(unread);
  $("bell").setAttribute("aria-label", t("bellLabel", { n: number(unread) }));
  $("notification-list").replaceChildren(...items.map((n) => {
    const li = document.createElement("li");
    li.className = n.read_at ? "read" : "unread";
    const text = document.createElement("button");
    text.type = "button";
    text.className = "plain";
    text.textContent = n.text;
    text.title = t("markRead");
    text.addEventListener("click", () => read(n));
    const when = document.createElement("span");
    when.className = "muted";
    when.textContent = dateTime(n.created_at);
    li.append(text, when);
    return li;
  }));
  $("notifications-empty").hidden = items.length > 0;
}
