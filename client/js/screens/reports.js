// The monthly report (admins: everyone; managers: their teams): a month, Gregorian or Solar Hijri
// (the Persian page starts with the Solar Hijri calendar), perhaps one team, as XLSX or CSV.
import { call, services } from "../api.js";
import { currentMonth, language, t } from "../i18n.js";
import { fill, reportableTeams } from "./directory.js";
import { $ } from "./records.js";

export function init() {
  $("report-calendar").value = language() === "fa" ? "persian" : "gregorian";
  $("report-month").value = currentMonth($("report-calendar").value);
  render();
}

export function render() {
  fill($("report-team"), reportableTeams(), t("allInScope"));
}

export function calendarChanged() {
  $("report-month").value = currentMonth($("report-calendar").value);
}

export async function download(event) {
  event.preventDefault();
  $("report-error").textContent = "";
  const month = $("report-month").value.trim();
  if (!/^\d{4}-\d{2}$/.test(month)) {
    $("report-error").textContent = t("monthHint");
    $("report-month").focus();
    return;
  }
  const calendar = $("report-calendar").value, format = $("report-format").value;
  const query = new URLSearchParams({ month, calendar, format });
  if ($("report-team").value) query.set("team_id", $("report-team").value);
  try {
    const response = await call(services.attendance, `/reports/monthly?${query}`);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = `attendance-report-${month}${calendar === "persian" ? "-persian" : ""}.${format}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (error) {
    $("report-error").textContent = error.message;
  }
}
