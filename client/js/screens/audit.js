// The admin's view of the audit log: filter it, page through it in order, and verify its hash chain.
import { json, services } from "../api.js";
import { dateTime, t } from "../i18n.js";
import { $ } from "./records.js";

const ACTIONS = [
  "employee.registered", "employee.role_changed", "employee.deactivated", "employee.password_changed", "login.locked_out",
  "punch.backdated", "correction.requested", "correction.approved", "correction.rejected", "correction.applied",
  "punch.auto_checkout", "export.downloaded", "period.closed", "period.reopened",
  "punch.offline", "punch.kiosk", "employee.pin_changed", "kiosk.pin_locked_out", "kiosk.registered", "kiosk.revoked",
];
const PAGE = 50;
let last = 0;
let badId = null;

export function init() {
  const select = $("audit-action");
  if (select.options.length === 1) {
    select.append(...ACTIONS.map((action) => new Option(action, action)));
  }
}

export function reset() {
  last = 0;
  badId = null;
  $("audit-rows").replaceChildren();
  $("audit-status").textContent = "";
}

export async function show(event) {
  event?.preventDefault();
  last = 0;
  $("audit-rows").replaceChildren();
  await more();
}

export async function more() {
  $("audit-error").textContent = "";
  const query = new URLSearchParams({ limit: String(PAGE), after: String(last) });
  if ($("audit-action").value) query.set("action", $("audit-action").value);
  if ($("audit-employee").value) query.set("employee_id", $("audit-employee").value);
  if ($("audit-from").value) query.set("from", $("audit-from").value);
  if ($("audit-to").value) query.set("to", $("audit-to").value);
  try {
    const rows = await json(services.attendance, `/audit?${query}`);
    $("audit-rows").append(...rows.map(row));
    if (rows.length) last = rows[rows.length - 1].id;
    $("audit-more").hidden = rows.length < PAGE;
  } catch (error) {
    $("audit-error").textContent = error.message;
  }
}

export async function verify() {
  $("audit-status").textContent = t("verifying");
  try {
    const result = await json(services.attendance, "/audit/verify");
    badId = result.ok ? null : result.first_bad_id;
    $("audit-status").textContent = result.ok
      ? t("chainOk", { rows: result.rows })
      : t("chainBroken", { id: result.first_bad_id, problem: result.problem ?? "" });
    $("audit-status").className = result.ok ? "status ok" : "status bad";
    for (const tr of $("audit-rows").children) tr.classList.toggle("bad", Number(tr.dataset.id) === badId);
  } catch (error) {
    $("audit-status").textContent = "";
    $("audit-error").textContent = error.message;
  }
}

function row(entry) {
  const tr = document.createElement("tr");
  tr.dataset.id = entry.id;
  tr.classList.toggle("bad", entry.id === badId);
  const details = JSON.stringify(entry.details);
  for (const text of [entry.id, dateTime(entry.at), entry.actor ?? t("system"), entry.action, entry.employee_id ?? "", details]) {
    const td = document.createElement("td");
    td.textContent = String(text);
    tr.append(td);
  }
  return tr;
}
