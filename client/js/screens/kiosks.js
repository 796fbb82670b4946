// The admin's kiosks: register one (its token is shown once, as a link to open on the kiosk's
// screen) and revoke one (its token stops working at once).
import { call, json, services } from "../api.js";
import { dateTime, t } from "../i18n.js";
import { teamName } from "./directory.js";
import { $, actionButton } from "./records.js";

let kiosks = [];

export async function load() {
  try {
    kiosks = await json(services.attendance, "/kiosks");
  } catch (error) {
    $("kiosk-error").textContent = error.message;
  }
  render();
}

export function reset() {
  kiosks = [];
  $("kiosks").replaceChildren();
  $("kiosk-created").hidden = true;
  $("kiosk-link").textContent = "";
}

export function render() {
  $("kiosks").replaceChildren(...kiosks.map((kiosk) => {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.className = "when";
    const team = kiosk.team_id ? ` · ${teamName(kiosk.team_id)}` : "";
    const state = kiosk.revoked_at ? t("revokedAt", { time: dateTime(kiosk.revoked_at) }) : t("kioskSince", { time: dateTime(kiosk.created_at) });
    label.textContent = `${kiosk.name}${team} · ${state}`;
    li.append(label);
    if (!kiosk.revoked_at) li.append(actionButton(t("revoke"), kiosk.name, () => revoke(kiosk)));
    return li;
  }));
  $("kiosks-empty").hidden = kiosks.length > 0;
}

export async function register(event) {
  event.preventDefault();
  $("kiosk-error").textContent = "";
  const name = $("kiosk-name").value.trim();
  if (!name) { $("kiosk-error").textContent = t("nameRequired"); $("kiosk-name").focus(); return; }
  try {
    const teamId = $("kiosk-team").value ? Number($("kiosk-team").value) : null;
    const kiosk = await json(services.attendance, "/kiosks", { method: "POST", body: { name, team_id: teamId } });
    // The token travels in the fragment: never sent to a server, never in a log.
    const link = new URL(`kiosk.html#token=${encodeURIComponent(kiosk.token)}`, location.href).href;
    $("kiosk-link").href = link;
    $("kiosk-link").textContent = link;
    $("kiosk-created").hidden = false;
    $("kiosk-name").value = "";
    await load();
  } catch (error) {
    $("kiosk-error").textContent = error.message;
  }
}

async function revoke(kiosk) {
  $("kiosk-error").textContent = "";
  try {
    await call(services.attendance, `/kiosks/${kiosk.id}`, { method: "DELETE" });
    await load();
  } catch (error) {
    $("kiosk-error").textContent = error.message;
  }
}
