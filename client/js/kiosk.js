// The kiosk: a shared screen by the door. It signs with its own token (registered by an admin; the
// link it gets carries the token in the fragment, kept here in localStorage), shows a clock, and
// punches for whoever picks or types their name and enters their PIN — then confirms for three
// seconds with their photo, name, action and time, and is ready for the next person.
import { services } from "./api.js";
import { dictionary, language, latinDigits, setLanguage, t, time } from "./i18n.js";

const TOKEN_KEY = "attendance.kiosk-token";
const CONFIRM_MS = 3000;
const $ = (id) => document.getElementById(id);

let token = localStorage.getItem(TOKEN_KEY);
let kiosk = null;
let chosen = null;
let resetTimer = null;

/** A request signed by this kiosk; a network failure comes back as {offline: true}. */
async function send(path, options = {}) {
  const headers = { Authorization: `Bearer ${token}`, ...(options.body ? { "Content-Type": "application/json" } : {}) };
  try {
    const response = await fetch(services.attendance + path, { ...options, headers, body: options.body && JSON.stringify(options.body) });
    return { response };
  } catch {
    return { offline: true };
  }
}

// The banner's text by key, so a change of language says it again in the new one.
let statusKey = null;

function status(key) {
  statusKey = key;
  $("kiosk-status").textContent = key ? t(key) : "";
  $("kiosk-status").hidden = !key;
}

/** Reads who this kiosk is; says so plainly when it was revoked or the service cannot be reached. */
async function identify() {
  if (!token) { showSetup(); return; }
  const { response, offline } = await send("/kiosk");
  if (offline) { status("kioskOffline"); return; }
  if (response.status === 401) { kiosk = null; showRevoked(); return; }
  if (!response.ok) { status("networkError"); return; }
  kiosk = await response.json();
  status(null);
  $("setup").hidden = true;
  $("punch-form").hidden = false;
  $("forget").hidden = false;
  renderKiosk();
}

function showSetup() {
  $("setup").hidden = false;
  $("punch-form").hidden = true;
  $("forget").hidden = true;
  $("setup-token").focus();
}

function showRevoked() {
  $("punch-form").hidden = true;
  $("forget").hidden = false;
  status("kioskRevoked");
}

function renderKiosk() {
  if (!kiosk) return;
  $("kiosk-name").textContent = kiosk.name;
  $("who-title").hidden = kiosk.people.length === 0;
  // Without a list to pick from, the field is simply the username.
  document.querySelector("label[for=kiosk-username]").textContent = t(kiosk.people.length === 0 ? "username" : "orUsername");
  $("people").replaceChildren(...kiosk.people.map((person) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = person.full_name || person.username;
    button.setAttribute("aria-pressed", String(chosen === person.username));
    button.addEventListener("click", () => choose(person.username));
    return button;
  }));
}

function choose(username) {
  chosen = username;
  $("kiosk-username").value = username;
  renderKiosk();
  $("kiosk-pin").focus();
}

function tick() {
  const now = new Date();
  $("clock-time").textContent = time(now.toISOString());
  $("clock-date").textContent = new Intl.DateTimeFormat(dictionary().locale, { dateStyle: "full" }).format(now);
}

function applyLanguage() {
  document.documentElement.lang = language();
  document.documentElement.dir = dictionary().dir;
  document.title = kiosk ? `${t("kioskTitle")} · ${kiosk.name}` : t("kioskTitle");
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("pin-back").setAttribute("aria-label", t("back"));
  $("language").value = language();
  status(statusKey);
  renderKiosk();
  tick();
}

async function punch(event) {
  event.preventDefault();
  $("kiosk-error").textContent = "";
  const username = $("kiosk-username").value.trim();
  const pin = latinDigits($("kiosk-pin").value);
  if (!username) { $("kiosk-error").textContent = t("kioskNeedsName"); $("kiosk-username").focus(); return; }
  if (!/^[0-9]{4,8}$/.test(pin)) { $("kiosk-error").textContent = t("kioskNeedsPin"); $("kiosk-pin").focus(); return; }
  $("kiosk-submit").disabled = true;
  try {
    const { response, offline } = await send("/kiosk/punch", { method: "POST", body: { username, pin } });
    if (offline) { status("kioskOffline"); return; }
    status(null);
    if (response.status === 201) { await confirm(await response.json()); return; }
    $("kiosk-pin").value = "";
    if (response.status === 401) {
      // A wrong PIN, or this kiosk's token no longer works: ask which.
      await identify();
      if (kiosk) $("kiosk-error").textContent = t("kioskWrongPin");
      return;
    }
    if (response.status === 429) {
      $("kiosk-error").textContent = t("kioskLocked", { n: response.headers.get("Retry-After") ?? "60" });
      return;
    }
    const problem = await response.json().catch(() => ({}));
    $("kiosk-error").textContent = problem.detail || `${response.status} ${response.statusText}`;
  } finally {
    $("kiosk-submit").disabled = false;
  }
}

async function confirm(record) {
  const panel = $("confirmation");
  const photo = $("confirm-photo");
  photo.hidden = true;
  if (record.has_photo) {
    const { response } = await send(`/kiosk/photos/${record.employee_id}`);
    if (response?.ok) {
      photo.src = URL.createObjectURL(await response.blob());
      photo.alt = t("photoOf", { name: record.full_name || record.username });
      photo.hidden = false;
    }
  }
  $("confirm-text").textContent = t("kioskPunched", {
    name: record.full_name || record.username, action: t(record.action), time: time(record.timestamp),
  });
  panel.classList.toggle("out", record.action === "out");
  panel.hidden = false;
  $("punch-form").hidden = true;
  clearTimeout(resetTimer);
  resetTimer = setTimeout(idle, CONFIRM_MS);
}

/** Back to waiting for the next person: nothing of the last one stays on screen. */
function idle() {
  const photo = $("confirm-photo");
  if (photo.src) URL.revokeObjectURL(photo.src);
  photo.removeAttribute("src");
  $("confirmation").hidden = true;
  $("punch-form").hidden = false;
  $("kiosk-username").value = "";
  $("kiosk-pin").value = "";
  $("kiosk-error").textContent = "";
  chosen = null;
  renderKiosk();
  $("kiosk-username").focus();
}

// The admin's link carries the token in the fragment: keep it, then take it out of the address bar.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get("token")) {
  token = fragment.get("token");
  localStorage.setItem(TOKEN_KEY, token);
  history.replaceState(null, "", location.pathname);
}

$("setup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = $("setup-token").value.trim();
  if (!value) return;
  token = value;
  localStorage.setItem(TOKEN_KEY, token);
  $("setup-token").value = "";
  identify();
});
$("forget").addEventListener("click", () => {
  localStorage.removeItem(TOKEN_KEY);
  token = null;
  kiosk = null;
  status(null);
  showSetup();
});
$("punch-form").addEventListener("submit", punch);
$("pin-pad").addEventListener("click", (event) => {
  const digit = event.target.closest("button[data-digit]")?.dataset.digit;
  const field = $("kiosk-pin");
  if (digit && field.value.length < 8) field.value += digit;
  if (event.target.id === "pin-clear") field.value = "";
  if (event.target.id === "pin-back") field.value = field.value.slice(0, -1);
});
$("kiosk-pin").addEventListener("input", (event) => { event.target.value = latinDigits(event.target.value).replace(/\D/g, "").slice(0, 8); });
$("kiosk-username").addEventListener("input", () => { chosen = null; renderKiosk(); });
$("language").addEventListener("change", (event) => { setLanguage(event.target.value); applyLanguage(); });
$("confirmation").addEventListener("click", () => { clearTimeout(resetTimer); idle(); });
window.addEventListener("online", identify);
window.addEventListener("offline", () => status("kioskOffline"));

applyLanguage();
setInterval(tick, 1000);
// Every half minute: notices a revocation or an outage while nobody is punching.
setInterval(() => { if (token && $("confirmation").hidden) identify(); }, 30_000);
identify().then(() => { if (kiosk) $("kiosk-username").focus(); });
