// The admin's schedules: a working week in a time zone, edited as a grid of seven days (a day left
// unticked is a day off; an end at or before the start is a night shift), with minutes of grace.
import { call, json, services } from "../api.js";
import { dayName, t } from "../i18n.js";
import { directory, load as loadDirectory } from "./directory.js";
import { $, actionButton } from "./records.js";

// The API's keys, Saturday first as the Persian week starts; 2026-11-21 was a Saturday (for names).
const DAYS = ["sat", "sun", "mon", "tue", "wed", "thu", "fri"];
const dateOf = (index) => `2026-11-${21 + index}`;

export function init() {
  if (!$("zones").children.length && Intl.supportedValuesOf) {
    $("zones").replaceChildren(...Intl.supportedValuesOf("timeZone").map((zone) => new Option(zone)));
  }
  if (!$("schedule-days").children.length) buildGrid();
  render();
}

function buildGrid() {
  $("schedule-days").replaceChildren(...DAYS.map((key, index) => {
    const row = document.createElement("tr");
    row.dataset.day = key;
    const name = document.createElement("th");
    name.scope = "row";
    name.className = "day-name";
    name.dataset.date = dateOf(index);
    const works = cell(input("checkbox", `${key}-works`));
    const start = cell(input("time", `${key}-start`, "08:00"));
    const end = cell(input("time", `${key}-end`, "16:00"));
    const note = document.createElement("td");
    note.className = "muted night";
    row.append(name, works, start, end, note);
    row.addEventListener("input", () => describe(row));
    return row;
  }));
  renderDayNames();
}

function input(type, id, value) {
  const element = document.createElement("input");
  element.type = type;
  element.id = `schedule-${id}`;
  if (value) element.value = value;
  if (type === "time") element.step = 60;
  return element;
}

function cell(child) {
  const td = document.createElement("td");
  td.append(child);
  return td;
}

/** Names the days in the page's language, and labels each row's inputs with its day. */
function renderDayNames() {
  for (const row of $("schedule-days").children) {
    const th = row.querySelector("th");
    th.textContent = dayName(th.dataset.date, "long");
    row.querySelectorAll("input").forEach((element, i) =>
      element.setAttribute("aria-label", `${th.textContent}: ${t(["works", "start", "end"][i])}`));
    describe(row);
  }
}

function describe(row) {
  const [works, start, end] = row.querySelectorAll("input");
  start.disabled = end.disabled = !works.checked;
  row.querySelector(".night").textContent = works.checked && start.value && end.value && end.value <= start.value ? t("nightShift") : "";
}

export function render() {
  renderDayNames();
  $("schedules").replaceChildren(...directory.schedules.map((schedule) => {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.className = "when";
    const days = DAYS.filter((key) => schedule.days[key])
      .map((key) => `${dayName(dateOf(DAYS.indexOf(key)))} ${schedule.days[key].start}–${schedule.days[key].end}`).join(", ");
    label.textContent = `${schedule.name} · ${schedule.time_zone} · ${t("grace", { n: schedule.grace_minutes })} · ${days || t("noWorkdays")} · ${t("people_n", { n: schedule.assigned_count })}`;
    li.append(label, actionButton(t("edit"), schedule.name, () => startEdit(schedule)), actionButton(t("delete"), schedule.name, () => remove(schedule)));
    return li;
  }));
  $("schedules-empty").hidden = directory.schedules.length > 0;
}

function startEdit(schedule) {
  $("schedule-id").value = schedule.id;
  $("schedule-name").value = schedule.name;
  $("schedule-zone").value = schedule.time_zone;
  $("schedule-grace").value = schedule.grace_minutes;
  for (const row of $("schedule-days").children) {
    const [works, start, end] = row.querySelectorAll("input");
    const shift = schedule.days[row.dataset.day];
    works.checked = Boolean(shift);
    if (shift) { start.value = shift.start; end.value = shift.end; }
    describe(row);
  }
  $("schedule-save").textContent = t("save");
  $("schedule-cancel").hidden = false;
  $("schedule-name").focus();
}

export function cancel() {
  $("schedule-form").reset();
  $("schedule-id").value = "";
  for (const row of $("schedule-days").children) describe(row);
  $("schedule-save").textContent = t("addSchedule");
  $("schedule-cancel").hidden = true;
  $("schedule-error").textContent = "";
}

export async function save(event) {
  event.preventDefault();
  $("schedule-error").textContent = "";
  const days = {};
  for (const row of $("schedule-days").children) {
    const [works, start, end] = row.querySelectorAll("input");
    if (works.checked) days[row.dataset.day] = { start: start.value, end: end.value };
  }
  const id = $("schedule-id").value;
  const body = {
    name: $("schedule-name").value.trim(),
    time_zone: $("schedule-zone").value.trim(),
    grace_minutes: Number($("schedule-grace").value),
    days,
  };
  try {
    // The server checks everything (zone, times, grace) and says which field is wrong.
    await json(services.attendance, id ? `/schedules/${id}` : "/schedules", { method: id ? "PUT" : "POST", body });
    cancel();
    await loadDirectory();
    render();
  } catch (error) {
    $("schedule-error").textContent = error.message;
  }
}

async function remove(schedule) {
  $("schedule-error").textContent = "";
  try {
    await call(services.attendance, `/schedules/${schedule.id}`, { method: "DELETE" });
    await loadDirectory();
    render();
  } catch (error) {
    $("schedule-error").textContent = error.message;
  }
}
