// The admin's holidays, a year at a time: nobody with a schedule is expected at work on one.
import { call, json, services } from "../api.js";
import { date, t } from "../i18n.js";
import { $, actionButton } from "./records.js";

let holidays = [];

export async function load(event) {
  event?.preventDefault();
  $("holiday-error").textContent = "";
  $("holiday-year").value ||= String(new Date().getFullYear());
  try {
    holidays = await json(services.attendance, `/holidays?year=${encodeURIComponent($("holiday-year").value)}`);
  } catch (error) {
    $("holiday-error").textContent = error.message;
  }
  render();
}

export function reset() {
  holidays = [];
  $("holidays").replaceChildren();
}

export function render() {
  $("holidays").replaceChildren(...holidays.map((holiday) => {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.className = "when";
    label.textContent = `${date(holiday.date)} · ${holiday.name}`;
    li.append(label, actionButton(t("delete"), holiday.name, () => removeHoliday(holiday)));
    return li;
  }));
  $("holidays-empty").hidden = holidays.length > 0;
}

export async function add(event) {
  event.preventDefault();
  $("holiday-error").textContent = "";
  try {
    await json(services.attendance, "/holidays", { method: "POST", body: { date: $("holiday-date").value, name: $("holiday-name").value.trim() } });
    $("holiday-year").value = $("holiday-date").value.slice(0, 4);
    $("holiday-form").reset();
    await load();
  } catch (error) {
    $("holiday-error").textContent = error.message;
  }
}

async function removeHoliday(holiday) {
  $("holiday-error").textContent = "";
  try {
    await call(services.attendance, `/holidays/${holiday.date}`, { method: "DELETE" });
    await load();
  } catch (error) {
    $("holiday-error").textContent = error.message;
  }
}
