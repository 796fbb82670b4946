// The employee's own card: the punch button, today's records and the week's hours. Loaded once per
// session (and after a resync); from then on every own record, from the punch's answer or the live
// feed, updates the list, the button and today's total in place: no refetch per punch.
import { call, json, NetworkError, services, session } from "../api.js";
import { dayName, number, t, time } from "../i18n.js";
import * as outbox from "../outbox.js";
import * as corrections from "./corrections.js";
import { $, recordItem } from "./records.js";

const state = {
  calendar: { time_zone: "UTC", today: null },
  seen: new Set(),
  next: "in",
  lastPunch: null,
  week: [],
  // Today's worked minutes as of `since`, and whether the clock still runs.
  today: { minutes: 0, open: false, since: 0 },
  ticker: null,
};

/** The business day (YYYY-MM-DD) of an instant, in the server's business time zone. */
const businessDay = (instant) => new Intl.DateTimeFormat("en-CA", {
  timeZone: state.calendar.time_zone, year: "numeric", month: "2-digit", day: "2-digit",
}).format(new Date(instant));

// Own records that arrive while a load is in flight (a punch right after sign-in, a live frame) wait
// for it: its answer may have been read before they were written, and would otherwise drop them.
let loadsInFlight = 0;
const arrivedDuringLoad = [];

export async function load() {
  state.seen.clear();
  $("today").replaceChildren();
  loadsInFlight++;
  const me = session.me.id;
  // Read beside the requests, not after them; without IndexedDB (some private windows) nothing waits.
  const waiting = outbox.waiting(me).catch(() => []);
  try {
    const [calendar, records, week] = await Promise.all([
      json(services.attendance, "/attendance/calendar"),
      json(services.attendance, `/attendance/${me}`),
      json(services.attendance, `/attendance/${me}/summary`),
    ]);
    state.calendar = calendar;
    // What the server says now replaces what the page knew (a void may have withdrawn the last punch).
    state.lastPunch = null;
    state.next = "in";
    records.slice().reverse().forEach(addToday);
    state.week = week;
    const today = week[week.length - 1];
    state.today = { minutes: today?.worked_minutes ?? 0, open: Boolean(today?.open), since: Date.now() };
    if (records.length > 0) notePunch(records[0]);
    else if (state.today.open) { state.next = "out"; }
    (await waiting).forEach(showWaiting);
  } catch (error) {
    $("punch-error").textContent = error.message;
    // Opened without a connection: at least the punches waiting on this device are known.
    if (error instanceof NetworkError) (await waiting).forEach(showWaiting);
  } finally {
    loadsInFlight--;
  }
  renderEmpty();
  render();
  if (loadsInFlight === 0 && arrivedDuringLoad.length > 0) {
    const late = arrivedDuringLoad.splice(0).filter((record) => !onOwnRecord(record));
    if (late.length > 0) await load(); // one of them began a new business day
  }
  if (loadsInFlight === 0) sendWaiting();
}

export function reset() {
  arrivedDuringLoad.length = 0;
  state.seen.clear();
  state.lastPunch = null;
  state.next = "in";
  clearInterval(state.ticker);
  state.ticker = null;
  $("today").replaceChildren();
}

/** One of the caller's own records, however it arrived; each counts once. Returns false for a record of another business day. */
export function onOwnRecord(record) {
  if (state.seen.has(record.id)) return true;
  if (loadsInFlight > 0) { arrivedDuringLoad.push(record); return true; }
  const day = businessDay(record.timestamp);
  if (state.calendar.today && day > state.calendar.today) return false; // a new business day began: reload
  if (day === state.calendar.today) {
    addToday(record);
    countToday(record);
  }
  notePunch(record);
  renderEmpty();
  render();
  return true;
}

export async function punch() {
  $("punch-error").textContent = "";
  $("punch").disabled = true;
  // Made now, whenever it reaches the server: the key makes a second sending of it harmless.
  const made = { key: crypto.randomUUID(), employee_id: session.me.id, action: state.next, timestamp: new Date().toISOString() };
  try {
    if (!navigator.onLine) { await wait(made); return; }
    const record = await json(services.attendance, "/attendance", {
      method: "POST", body: { action: made.action }, headers: { "Idempotency-Key": made.key },
    });
    if (!onOwnRecord(record)) await load();
  } catch (error) {
    if (error instanceof NetworkError) { await wait(made); return; }
    $("punch-error").textContent = error.message;
    await load();
  } finally {
    $("punch").disabled = false;
  }
}

/** No connection: the punch waits on the device, shown as such, and the button moves on. */
async function wait(made) {
  await outbox.add(made);
  showWaiting(made);
  render();
}

function showWaiting(made) {
  if ($("today").querySelector(`li[data-key="${made.key}"]`)) return;
  const li = recordItem({ id: made.key, action: made.action, timestamp: made.timestamp }, false);
  li.dataset.key = made.key;
  li.classList.add("waiting");
  const note = document.createElement("span");
  note.className = "badge";
  note.textContent = t("waitingToSend");
  li.append(note);
  const list = $("today");
  list.insertBefore(li, list.firstChild);
  if (!state.lastPunch || made.timestamp >= state.lastPunch.timestamp) {
    state.lastPunch = { action: made.action, timestamp: made.timestamp };
    state.next = made.action === "in" ? "out" : "in";
  }
  renderEmpty();
}

/**
 * Sends the punches waiting on this device, oldest first, as {action, timestamp, source: "offline"}
 * with their own keys; one tab at a time. A punch the server refuses is dropped and the refusal
 * shown; one that cannot reach it stays for the next try.
 */
export function sendWaiting() {
  if (!session.me || !navigator.onLine) return Promise.resolve();
  const me = session.me.id;
  const send = async () => {
    for (const made of await outbox.waiting(me)) {
      if (session.me?.id !== me) return;
      try {
        const response = await call(services.attendance, "/attendance", {
          method: "POST", body: { action: made.action, timestamp: made.timestamp, source: "offline" }, headers: { "Idempotency-Key": made.key },
        });
        const answer = await response.json();
        await outbox.remove(made.key);
        $("today").querySelector(`li[data-key="${made.key}"]`)?.remove();
        if (response.status === 202) $("punch-error").textContent = t("sentForApproval", { time: time(made.timestamp) });
        else if (!onOwnRecord(answer)) await load();
      } catch (error) {
        if (error instanceof NetworkError || !(error.status >= 400 && error.status < 500) || error.status === 401) return;
        await outbox.remove(made.key);
        $("today").querySelector(`li[data-key="${made.key}"]`)?.remove();
        $("punch-error").textContent = t("offlineRefused", { action: t(made.action), time: time(made.timestamp), reason: error.message });
        await load();
        return;
      }
    }
    renderEmpty();
    render();
  };
  return navigator.locks ? navigator.locks.request("attendance-outbox", send) : send();
}

export function render() {
  renderPunch();
  renderWeek();
  for (const li of $("today").children) {
    const action = li.querySelector(".tag").classList.contains("in") ? "in" : "out";
    li.querySelector(".tag").textContent = t(action);
    li.querySelector(".when").textContent = time(li.dataset.timestamp);
    const fix = li.querySelector("button.fix");
    if (!fix) { li.querySelector(".badge").textContent = t("waitingToSend"); continue; }
    fix.textContent = t("fix");
    fix.setAttribute("aria-label", t("fixLabel", { action: t(action), time: time(li.dataset.timestamp) }));
  }
}

function addToday(record) {
  if (state.seen.has(record.id)) return;
  state.seen.add(record.id);
  const list = $("today");
  const li = recordItem(record, false);
  // A wrong punch is fixed from the list: a request to void it, with a reason.
  const fix = document.createElement("button");
  fix.type = "button";
  fix.className = "link fix";
  fix.textContent = t("fix");
  fix.setAttribute("aria-label", t("fixLabel", { action: t(record.action), time: time(record.timestamp) }));
  fix.addEventListener("click", () => corrections.openVoid(record, fix));
  li.append(fix);
  // Newest first: insert before the first older record.
  const older = [...list.children].find((item) => item.dataset.timestamp < record.timestamp);
  list.insertBefore(li, older || null);
}

/** Today's total follows the punches: an "in" starts the clock, an "out" stops it. */
function countToday(record) {
  const at = Date.parse(record.timestamp);
  const today = state.today;
  if (record.action === "in" && !today.open) {
    state.today = { minutes: today.minutes, open: true, since: at };
  } else if (record.action === "out" && today.open) {
    state.today = { minutes: today.minutes + Math.max(0, at - today.since) / 60000, open: false, since: at };
  }
}

function notePunch(record) {
  if (!state.lastPunch || record.timestamp >= state.lastPunch.timestamp) {
    state.lastPunch = record;
    state.next = record.action === "in" ? "out" : "in";
  }
}

function renderEmpty() {
  $("today-empty").hidden = $("today").children.length > 0;
}

function renderPunch() {
  const button = $("punch");
  button.dataset.action = state.next;
  button.textContent = t(state.next === "in" ? "punchIn" : "punchOut");
  $("last-punch").textContent = state.lastPunch
    ? t("lastPunch", { action: t(state.lastPunch.action), time: time(state.lastPunch.timestamp) })
    : t("neverPunched");
}

function renderWeek() {
  const today = state.today;
  const days = state.week.map((d, i) => i < state.week.length - 1 ? d : {
    ...d,
    worked_minutes: today.minutes + (today.open ? Math.max(0, Date.now() - today.since) / 60000 : 0),
    open: today.open,
  });
  // While checked in, today's bar grows by itself.
  if (today.open && !state.ticker) state.ticker = setInterval(renderWeek, 60000);
  if (!today.open && state.ticker) { clearInterval(state.ticker); state.ticker = null; }

  const max = Math.max(8, ...days.map((d) => d.worked_minutes / 60));
  const chart = $("week");
  chart.setAttribute("aria-label", t("weekLabel") + ": " +
    days.map((d) => `${dayName(d.date)} ${t("hours", { h: number(d.worked_minutes / 60) })}`).join(", "));
  chart.replaceChildren(...days.map((d) => {
    const hours = d.worked_minutes / 60;
    const column = document.createElement("div");
    column.className = "day";
    const value = document.createElement("span");
    value.textContent = number(hours);
    const fill = document.createElement("div");
    fill.className = d.open ? "fill open" : "fill";
    fill.style.height = `${(hours / max) * 100}%`;
    const label = document.createElement("span");
    label.textContent = dayName(d.date);
    column.append(value, fill, label);
    return column;
  }));
}

/** Today's business date, as the server counts it. */
export const today = () => state.calendar.today;
