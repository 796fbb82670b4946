// Corrections on the page: the employee's "fix a punch" dialog (void a record, or add a missing
// one) and their requests with status; an approver's inbox of pending requests, kept current by
// the notification frames the reporter pushes.
import { call, json, services, session } from "../api.js";
import { dateTime, t, time } from "../i18n.js";
import { $ } from "./records.js";

let fixing = null; // { kind: "void", record, opener } or { kind: "add", opener }
let requests = [];
let inbox = [];
const names = new Map(); // employee id → username, for the inbox

/** The dialog for voiding one of today's records; focus returns to `opener` when it closes. */
export function openVoid(record, opener) {
  fixing = { kind: "void", record, opener };
  showDialog();
}

/** The dialog for adding a punch that was forgotten. */
export function openAdd(opener) {
  fixing = { kind: "add", opener };
  showDialog();
}

function showDialog() {
  const isVoid = fixing.kind === "void";
  $("fix-title").textContent = t(isVoid ? "voidTitle" : "addTitle");
  $("fix-record").textContent = isVoid ? t("voidWhich", { action: t(fixing.record.action), time: time(fixing.record.timestamp) }) : "";
  $("fix-record").hidden = !isVoid;
  $("fix-add-fields").hidden = isVoid;
  $("fix-reason").value = "";
  $("fix-error").textContent = "";
  $("fix-time").max = localInput(new Date());
  $("fix-time").value = localInput(new Date(Date.now() - 30 * 60000));
  $("fix-dialog").showModal();
  (isVoid ? $("fix-reason") : $("fix-action")).focus();
}

export function closeFix() {
  if ($("fix-dialog").open) $("fix-dialog").close();
  fixing?.opener?.focus();
  fixing = null;
}

export async function submitFix(event) {
  event.preventDefault();
  const reason = $("fix-reason").value.trim();
  if (reason.length < 3 || reason.length > 500) {
    $("fix-error").textContent = t("reasonHint");
    $("fix-reason").focus();
    return;
  }
  let body = { kind: "void", record_id: fixing.record?.id, reason };
  if (fixing.kind === "add") {
    const when = $("fix-time").value ? new Date($("fix-time").value) : null;
    if (!when || Number.isNaN(when.getTime()) || when > new Date()) {
      $("fix-error").textContent = t("timeHint");
      $("fix-time").focus();
      return;
    }
    body = { kind: "add", action: $("fix-action").value, timestamp: when.toISOString(), reason };
  }
  $("fix-submit").disabled = true;
  try {
    await json(services.attendance, "/attendance/corrections", {
      method: "POST", body, headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    closeFix();
    await loadRequests();
  } catch (error) {
    $("fix-error").textContent = error.message;
  } finally {
    $("fix-submit").disabled = false;
  }
}

/** The signed-in person's own requests, newest first. */
export async function loadRequests() {
  try {
    requests = await json(services.attendance, `/attendance/corrections?employee_id=${session.me.id}&limit=20`);
  } catch {
    requests = [];
  }
  renderRequests();
}

/** Pending requests this approver may decide (their own are shown, but another approver decides them). */
export async function loadInbox() {
  try {
    const pending = await json(services.attendance, "/attendance/corrections?status=pending&limit=100");
    // Someone who joined since the names were read: read them again.
    if (pending.some((c) => !names.has(c.employee_id) || !names.has(c.requested_by))) {
      for (const person of await json(services.auth, "/employees?limit=500")) names.set(person.id, person.username);
    }
    inbox = pending;
    $("inbox-error").textContent = "";
  } catch (error) {
    $("inbox-error").textContent = error.message;
  }
  renderInbox();
}

export function reset() {
  requests = [];
  inbox = [];
  names.clear();
  $("requests").replaceChildren();
  $("inbox").replaceChildren();
}

export function render() {
  renderRequests();
  renderInbox();
}

function describe(c) {
  return c.kind === "add"
    ? t("addChange", { action: t(c.action), time: dateTime(c.timestamp) })
    : t("voidChange", { id: c.record_id });
}

function statusTag(status) {
  const tag = document.createElement("span");
  tag.className = `status-tag ${status}`;
  tag.textContent = t("status_" + status);
  return tag;
}

function renderRequests() {
  $("requests").replaceChildren(...requests.map((c) => {
    const li = document.createElement("li");
    li.dataset.id = c.id;
    const text = document.createElement("div");
    const what = document.createElement("strong");
    what.textContent = describe(c);
    const why = document.createElement("p");
    why.className = "muted";
    why.textContent = c.reason + (c.note ? ` — ${t("note")}: ${c.note}` : "");
    text.append(what, why);
    li.append(text, statusTag(c.status));
    return li;
  }));
  $("requests-empty").hidden = requests.length > 0;
}

function renderInbox() {
  $("inbox").replaceChildren(...inbox.map((c) => {
    const li = document.createElement("li");
    li.dataset.id = c.id;
    const text = document.createElement("div");
    const what = document.createElement("strong");
    what.textContent = `${names.get(c.employee_id) ?? "#" + c.employee_id}: ${describe(c)}`;
    const why = document.createElement("p");
    why.className = "muted";
    why.textContent = `${c.reason} · ${t("askedBy", { name: names.get(c.requested_by) ?? "#" + c.requested_by, time: dateTime(c.requested_at) })}`;
    text.append(what, why);
    const own = c.requested_by === session.me.id || c.employee_id === session.me.id;
    const actions = document.createElement("div");
    actions.className = "decide";
    if (own) {
      const waits = document.createElement("span");
      waits.className = "muted";
      waits.textContent = t("anotherApprover");
      actions.append(waits);
    } else {
      const noteId = `note-${c.id}`;
      const label = document.createElement("label");
      label.htmlFor = noteId;
      label.className = "visually-hidden";
      label.textContent = t("noteFor", { change: describe(c) });
      const note = document.createElement("input");
      note.id = noteId;
      note.maxLength = 500;
      note.placeholder = t("noteOptional");
      const approve = button(t("approve"), "approve", () => decide(c, "approve", note.value, li));
      const reject = button(t("reject"), "reject", () => decide(c, "reject", note.value, li));
      approve.setAttribute("aria-label", `${t("approve")}: ${what.textContent}`);
      reject.setAttribute("aria-label", `${t("reject")}: ${what.textContent}`);
      actions.append(label, note, approve, reject);
    }
    li.append(text, actions);
    return li;
  }));
  $("inbox-empty").hidden = inbox.length > 0;
}

function button(text, className, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

async function decide(correction, decision, note, li) {
  $("inbox-error").textContent = "";
  li.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  try {
    await call(services.attendance, `/attendance/corrections/${correction.id}/${decision}`, {
      method: "POST", body: note.trim() ? { note: note.trim() } : {},
    });
    inbox = inbox.filter((c) => c.id !== correction.id);
    renderInbox();
    $("inbox").querySelector("input, button")?.focus();
  } catch (error) {
    // Already decided by someone else, or it would break the timeline: say so, and show what is left.
    $("inbox-error").textContent = error.message;
    await loadInbox();
  }
}

/** A Date as the value of an <input type="datetime-local"> (the browser's local time). */
function localInput(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}
