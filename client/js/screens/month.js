// One person's month as a calendar: each day coloured by its judged status and saying it in words
// (colour is never the only signal), worked hours, and the month's totals. Opened from the live
// board, the people list, or one's own week.
import { json, services } from "../api.js";
import { currentMonth, dayName, dayOfMonth, daysOfMonth, language, number, t } from "../i18n.js";
import { $ } from "./records.js";

let person = null;
let opener = null;

export function open(who, from) {
  person = who;
  opener = from ?? document.activeElement;
  $("month-title").textContent = t("monthOf", { name: who.username });
  // In Persian the month is a Solar Hijri one (1405-09 is Azar 1405), typed as YYYY-MM.
  const picker = $("month-pick");
  const calendar = language() === "fa" ? "persian" : "gregorian";
  if (picker.dataset.calendar !== calendar) {
    picker.type = calendar === "persian" ? "text" : "month";
    picker.inputMode = "numeric";
    picker.placeholder = calendar === "persian" ? "1405-09" : "";
    picker.value = currentMonth(calendar);
    picker.dataset.calendar = calendar;
  }
  $("month-dialog").showModal();
  show();
}

export function close() {
  $("month-dialog").close();
  opener?.focus?.();
}

export async function show(event) {
  event?.preventDefault();
  $("month-error").textContent = "";
  const month = $("month-pick").value.trim();
  if (!person) return;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) { $("month-error").textContent = t("monthHint"); return; }
  const [year, m] = month.split("-").map(Number);
  const dates = daysOfMonth($("month-pick").dataset.calendar, year, m);
  try {
    const days = await json(services.attendance, `/attendance/${person.id}/summary?from=${dates[0]}&to=${dates[dates.length - 1]}`);
    render(dates, days);
  } catch (error) {
    $("month-error").textContent = error.message;
    $("month-grid").replaceChildren();
    $("month-totals").replaceChildren();
  }
}

function render(dates, days) {
  const byDate = new Map(days.map((d) => [d.date, d]));
  // Weeks start on Saturday in Persian, on Monday otherwise.
  const firstWeekday = language() === "fa" ? 6 : 1;
  const first = new Date(dates[0] + "T00:00:00Z");
  const lead = (first.getUTCDay() - firstWeekday + 7) % 7;

  const head = document.createElement("thead");
  const headRow = head.insertRow();
  for (let i = 0; i < 7; i++) {
    const th = document.createElement("th");
    th.scope = "col";
    const sample = new Date(Date.UTC(2026, 10, 1 + ((firstWeekday + i) % 7))); // 2026-11-01 was a Sunday
    th.textContent = dayName(sample.toISOString().slice(0, 10));
    headRow.append(th);
  }
  const body = document.createElement("tbody");
  let row = body.insertRow();
  for (let i = 0; i < lead; i++) row.insertCell().className = "empty";
  for (const iso of dates) {
    if (row.cells.length === 7) row = body.insertRow();
    row.append(dayCell(iso, byDate.get(iso)));
  }
  while (row.cells.length < 7) row.insertCell().className = "empty";
  $("month-grid").replaceChildren(head, body);
  renderTotals(days);
}

function dayCell(iso, summary) {
  const cell = document.createElement("td");
  cell.dataset.date = iso;
  const status = summary?.status ?? (summary?.worked_minutes ? "present" : null);
  cell.className = `day-cell ${status ?? "none"}`;
  const numberLine = document.createElement("span");
  numberLine.className = "day-number";
  numberLine.textContent = dayOfMonth(iso);
  cell.append(numberLine);
  if (status) {
    const word = document.createElement("span");
    word.className = "day-status";
    word.textContent = t("day_" + status);
    cell.append(word);
  }
  if (summary?.worked_minutes) {
    const worked = document.createElement("span");
    worked.className = "day-worked";
    worked.textContent = t("hours", { h: number(summary.worked_minutes / 60) });
    cell.append(worked);
  }
  if (summary?.late_minutes) cell.title = t("lateBy", { n: summary.late_minutes });
  if (summary?.needs_review) cell.classList.add("review");
  return cell;
}

function renderTotals(days) {
  const sum = (key) => days.reduce((total, d) => total + (d[key] ?? 0), 0);
  const count = (status) => days.filter((d) => d.status === status).length;
  const totals = [
    [t("workedHours"), t("hours", { h: number(sum("worked_minutes") / 60) })],
    [t("daysPresent"), number(days.filter((d) => d.first_in || d.worked_minutes > 0).length)],
    [t("daysLate"), `${number(days.filter((d) => d.late_minutes > 0).length)} (${t("minutes", { n: number(sum("late_minutes")) })})`],
    [t("daysAbsent"), number(count("absent"))],
    [t("earlyLeave"), t("minutes", { n: number(sum("early_leave_minutes")) })],
    [t("overtime"), t("minutes", { n: number(sum("overtime_minutes")) })],
  ];
  $("month-totals").replaceChildren(...totals.flatMap(([label, value]) => {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value;
    return [dt, dd];
  }));
}
