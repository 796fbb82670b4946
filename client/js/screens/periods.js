// The admin's closed months: close one that has ended (nothing dated in it changes any more, so
// the report that went to payroll stays true), or reopen it.
import { json, services } from "../api.js";
import { dateTime, t } from "../i18n.js";
import { $ } from "./records.js";

let periods = [];

export async function load() {
  try {
    periods = await json(services.attendance, "/periods");
  } catch (error) {
    $("period-error").textContent = error.message;
  }
  render();
  if (!$("period-month").value) {
    const last = new Date();
    last.setUTCDate(1);
    last.setUTCMonth(last.getUTCMonth() - 1);
    $("period-month").value = last.toISOString().slice(0, 7);
  }
}

export function reset() {
  periods = [];
  $("periods").replaceChildren();
}

export async function close(event) {
  event.preventDefault();
  await change($("period-month").value, "close");
}

async function change(month, what) {
  $("period-error").textContent = "";
  if (!/^\d{4}-\d{2}$/.test(month)) {
    $("period-error").textContent = t("monthHint");
    return;
  }
  try {
    await json(services.attendance, `/periods/${month}/${what}`, { method: "POST" });
    await load();
  } catch (error) {
    $("period-error").textContent = error.message;
  }
}

export function render() {
  $("periods").replaceChildren(...periods.map((p) => {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = `${p.month} · ${t("closedAt", { time: dateTime(p.closed_at) })}`;
    const reopen = document.createElement("button");
    reopen.type = "button";
    reopen.className = "link fix";
    reopen.textContent = t("reopen");
    reopen.setAttribute("aria-label", `${t("reopen")} ${p.month}`);
    reopen.addEventListener("click", () => change(p.month, "reopen"));
    li.append(label, reopen);
    return li;
  }));
  $("periods-empty").hidden = periods.length > 0;
}
