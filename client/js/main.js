// The attendance page: wires the screens to the session and the live feed. Plain ES modules, no
// build step: api (requests, session), live (the reporter's socket), i18n, and one module per screen.
import { call, services, session } from "./api.js";
import { dictionary, language, latinDigits, setLanguage, t } from "./i18n.js";
import { LiveFeed } from "./live.js";
import * as admin from "./screens/admin.js";
import * as audit from "./screens/audit.js";
import * as auth from "./screens/auth.js";
import * as corrections from "./screens/corrections.js";
import * as directory from "./screens/directory.js";
import * as holidays from "./screens/holidays.js";
import * as kiosks from "./screens/kiosks.js";
import * as month from "./screens/month.js";
import * as notifications from "./screens/notifications.js";
import * as people from "./screens/people.js";
import * as periods from "./screens/periods.js";
import * as punch from "./screens/punch.js";
import * as reports from "./screens/reports.js";
import * as schedules from "./screens/schedules.js";
import * as teams from "./screens/teams.js";
import { $ } from "./screens/records.js";

const live = new LiveFeed({
  onStatus: renderLive,
  onRecord(record) {
    if (record.employee_id === session.me.id && !punch.onOwnRecord(record)) loadAll();
    if (session.isSupervisor()) admin.onRecord(record);
  },
  onVoid(voided) {
    if (voided.employee_id === session.me.id) punch.load();
    if (session.isSupervisor()) admin.onVoid(voided);
  },
  onNotification(notification) {
    notifications.onNotification(notification);
    if (notification.kind === "correction_requested" && session.isSupervisor()) corrections.loadInbox();
    if (notification.kind === "correction_decided") corrections.loadRequests();
  },
  // Notifications sent while the socket was down are not replayed: read them back. Back online,
  // punches waiting on the device go out too.
  onConnected: () => { notifications.load(); punch.sendWaiting(); },
  onResync: loadAll,
  onSessionOver: () => logout(t("sessionExpired")),
});
session.onExpired = () => logout(t("sessionExpired"));

function startSession(token) {
  if (!session.begin(token)) return false;
  session.me.shown = true;
  $("auth").hidden = true;
  $("app").hidden = false;
  // Managers get the same board for their teams; what only admins change stays hidden from them.
  $("admin").hidden = !session.isSupervisor();
  document.querySelectorAll("[data-admin-only]").forEach((element) => { element.hidden = !session.isAdmin(); });
  $("logout").hidden = false;
  $("who").hidden = false;
  renderWho();
  loadAll();
  notifications.load();
  live.connect();
  $("punch").focus();
  return true;
}

async function loadAll() {
  await Promise.all([punch.load(), corrections.loadRequests()]);
  if (session.isSupervisor()) {
    // The people list names teams and schedules: it waits for them; the rest does not.
    const peopleWithNames = directory.load()
      .catch((error) => { $("people-error").textContent = error.message; })
      .then(() => people.load());
    await Promise.all([admin.load(punch.today() ?? new Date().toISOString().slice(0, 10)), corrections.loadInbox(), peopleWithNames]);
    reports.init();
  }
  if (session.isAdmin()) {
    await Promise.all([periods.load(), teams.load(), holidays.load(), kiosks.load()]);
    schedules.init();
    audit.init();
  }
}

function logout(message) {
  session.end();
  live.close();
  punch.reset();
  admin.reset();
  corrections.reset();
  notifications.reset();
  audit.reset();
  periods.reset();
  people.reset();
  teams.reset();
  holidays.reset();
  kiosks.reset();
  directory.reset();
  if ($("month-dialog").open) $("month-dialog").close();
  if ($("person-dialog").open) $("person-dialog").close();
  $("app").hidden = true; $("auth").hidden = false; $("logout").hidden = true; $("who").hidden = true; $("live").hidden = true;
  $("auth-error").textContent = message || "";
  $("password").value = "";
  $("username").focus();
}

function renderWho() {
  $("who").textContent = `${session.me.name} · ${t("role_" + session.me.role)}`;
}

function renderLive(connected) {
  const badge = $("live");
  if (!session.me) { badge.hidden = true; return; }
  badge.hidden = false;
  // The browser knows first when the network is gone; the socket may take a while to notice.
  const live = connected && navigator.onLine;
  badge.textContent = live ? `● ${t("live")}` : navigator.onLine ? `◌ ${t("reconnecting")}` : `◌ ${t("offline")}`;
  badge.classList.toggle("reconnecting", !live);
}

function applyLanguage() {
  document.documentElement.lang = language();
  document.documentElement.dir = dictionary().dir;
  document.title = t("title");
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("language").value = language();
  auth.render();
  if (session.me) {
    renderWho();
    punch.render();
    corrections.render();
    notifications.render();
    if (session.isSupervisor()) { admin.render(); people.render(); directory.render(); reports.render(); }
    if (session.isAdmin()) { periods.render(); teams.render(); schedules.render(); holidays.render(); kiosks.render(); }
  }
  renderLive(live.connected);
}

$("tab-login").addEventListener("click", () => auth.setMode("login"));
$("tab-register").addEventListener("click", () => auth.setMode("register"));
$("auth-form").addEventListener("submit", async (event) => {
  const token = await auth.submit(event);
  if (token) startSession(token);
});
$("punch").addEventListener("click", punch.punch);
$("logout").addEventListener("click", async () => { await session.logout(); logout(); });
$("export-form").addEventListener("submit", admin.exportCsv);
$("add-missing").addEventListener("click", (event) => corrections.openAdd(event.currentTarget));
$("fix-form").addEventListener("submit", corrections.submitFix);
$("fix-cancel").addEventListener("click", corrections.closeFix);
$("fix-reason").addEventListener("input", () => { $("fix-error").textContent = ""; });
$("fix-dialog").addEventListener("cancel", (event) => { event.preventDefault(); corrections.closeFix(); });
$("bell").addEventListener("click", notifications.toggle);
$("read-all").addEventListener("click", notifications.readAll);
document.addEventListener("keydown", (event) => { if (event.key === "Escape") notifications.closeIfOpen(); });
$("audit-form").addEventListener("submit", audit.show);
$("period-form").addEventListener("submit", periods.close);
$("report-form").addEventListener("submit", reports.download);
$("report-calendar").addEventListener("change", reports.calendarChanged);
$("people-search").addEventListener("submit", people.load);
$("person-form").addEventListener("submit", people.create);
$("person-edit-form").addEventListener("submit", people.saveEdit);
$("person-edit-cancel").addEventListener("click", people.closeEdit);
$("person-dialog").addEventListener("cancel", (event) => { event.preventDefault(); people.closeEdit(); });
document.addEventListener("people-changed", async () => {
  if (!session.isAdmin()) return;
  await directory.load().catch(() => {});
  await teams.load();
});
$("team-form").addEventListener("submit", teams.save);
$("team-cancel").addEventListener("click", teams.cancel);
$("schedule-form").addEventListener("submit", schedules.save);
$("schedule-cancel").addEventListener("click", schedules.cancel);
$("holiday-year-form").addEventListener("submit", holidays.load);
$("holiday-form").addEventListener("submit", holidays.add);
$("month-form").addEventListener("submit", month.show);
$("month-close").addEventListener("click", month.close);
$("month-dialog").addEventListener("cancel", (event) => { event.preventDefault(); month.close(); });
$("my-month").addEventListener("click", (event) => month.open({ id: session.me.id, username: session.me.name }, event.currentTarget));
$("kiosk-form").addEventListener("submit", kiosks.register);
$("pin-form").addEventListener("submit", setPin);
$("audit-more").addEventListener("click", audit.more);
$("audit-verify").addEventListener("click", audit.verify);
$("language").addEventListener("change", (event) => {
  setLanguage(event.target.value);
  applyLanguage();
  // The report starts in the language's calendar: Solar Hijri months in Persian.
  if (session.isSupervisor()) reports.init();
});

async function setPin(event) {
  event.preventDefault();
  $("pin-error").textContent = "";
  $("pin-message").textContent = "";
  const pin = $("pin-new").value;
  if (!/^[0-9]{4,8}$/.test(pin)) { $("pin-error").textContent = t("pinHint"); $("pin-new").focus(); return; }
  try {
    await call(services.attendance, "/me/pin", { method: "PUT", body: { current_password: $("pin-password").value, pin } });
    $("pin-message").textContent = t("pinSet");
    $("pin-password").value = "";
    $("pin-new").value = "";
  } catch (error) {
    $("pin-error").textContent = error.message;
  }
}

// Digits typed in Persian (۱۲۳) or Arabic-Indic (١٢٣) count as the digits they are, in every field.
document.addEventListener("input", (event) => {
  const field = event.target;
  if (!(field instanceof HTMLInputElement) || !/^(text|search|password|tel|)$/.test(field.type)) return;
  const latin = latinDigits(field.value);
  if (latin === field.value) return;
  const caret = field.selectionStart;
  field.value = latin;
  if (caret !== null) field.setSelectionRange(caret, caret);
});
window.addEventListener("online", () => { renderLive(live.connected); punch.sendWaiting(); });
window.addEventListener("offline", () => renderLive(live.connected));
// The page's shell is kept for opening without a connection (see service-worker.js).
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => { /* no offline shell: the page still works online */ });

applyLanguage();
// A reload keeps the sign-in: the refresh cookie gives a fresh access token without the password.
$("username").focus();
session.refresh().then((token) => { if (token && !session.me?.shown) startSession(token); });
