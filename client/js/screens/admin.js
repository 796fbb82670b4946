// The live board (admins: everyone; managers: their teams): who is in now, punches live, and the CSV
// export; a name opens that person's month. Presence is read
// once per session (and after a resync); then each record frame moves its person in or out, so an
// open admin page costs the API nothing per punch.
import { call, json, services, session } from "../api.js";
import { t, time } from "../i18n.js";
import * as month from "./month.js";
import { $, personButton, recordItem } from "./records.js";

const FEED_LENGTH = 50;
const present = new Map(); // employee_id → { username, since }
// Records that arrived while presence was being read: the answer may predate them.
let arrivedDuringLoad = null;

export async function load(today) {
  renderTitle();
  arrivedDuringLoad = [];
  try {
    const entries = await json(services.attendance, "/attendance/presence");
    present.clear();
    for (const p of entries) present.set(p.employee_id, { username: p.username, since: p.since });
    arrivedDuringLoad.forEach(movePresence);
    renderPresence();
  } catch (error) {
    $("export-error").textContent = error.message;
  } finally {
    arrivedDuringLoad = null;
  }
  $("export-to").value ||= today;
  $("export-from").value ||= today.slice(0, 8) + "01";
}

export function reset() {
  present.clear();
  $("feed").replaceChildren();
  $("presence").replaceChildren();
}

export function onRecord(record) {
  const list = $("feed");
  list.insertBefore(recordItem(record, true, month.open), list.firstChild);
  while (list.children.length > FEED_LENGTH) list.lastChild.remove();
  arrivedDuringLoad?.push(record);
  movePresence(record);
  renderPresence();
}

function movePresence(record) {
  if (record.action === "in") present.set(record.employee_id, { username: record.username, since: record.timestamp });
  else present.delete(record.employee_id);
}

/** A record left the timeline: strike it through in the feed, and ask who is in again (the void may change it). */
export async function onVoid(voided) {
  for (const li of $("feed").children) {
    if (Number(li.dataset.id) === voided.record_id) li.classList.add("voided");
  }
  try {
    const entries = await json(services.attendance, "/attendance/presence");
    present.clear();
    for (const p of entries) present.set(p.employee_id, { username: p.username, since: p.since });
  } catch {
    // Presence stays as it was until the next record.
  }
  renderPresence();
}

export function render() {
  renderTitle();
  renderPresence();
}

/** A manager's board shows their teams, not everyone: its title says so. */
function renderTitle() {
  $("feed-title").textContent = t(session.isAdmin() ? "livePunches" : "teamPunches");
}

function renderPresence() {
  const people = [...present].sort(([, a], [, b]) => a.username.localeCompare(b.username));
  $("presence").replaceChildren(...people.map(([id, p]) => {
    const li = document.createElement("li");
    li.dataset.employeeId = id;
    const name = personButton(id, p.username, month.open);
    const since = document.createElement("span");
    since.className = "muted";
    since.textContent = t("since", { time: time(p.since) });
    li.append(name, since);
    return li;
  }));
  $("presence-empty").hidden = present.size > 0;
}

export async function exportCsv(event) {
  event.preventDefault();
  $("export-error").textContent = "";
  const from = $("export-from").value, to = $("export-to").value;
  if (from > to) { $("export-error").textContent = t("rangeError"); return; }
  try {
    const blob = await (await call(services.attendance, `/attendance/export.csv?from=${from}&to=${to}`)).blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `attendance-${from}-${to}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (error) {
    $("export-error").textContent = error.message;
  }
}
