// The attendance page: log in, punch, today's history and the week, live from the reporter.
// Plain JavaScript, no build step. The token lives in sessionStorage: this tab only.
"use strict";

(() => {
  const config = window.ATTENDANCE_CONFIG || {};
  const host = location.hostname || "localhost";
  const api = {
    auth: config.authUrl || `${location.protocol}//${host}:8001`,
    attendance: config.attendanceUrl || `${location.protocol}//${host}:8002`,
    reporter: config.reporterUrl || `${location.protocol === "https:" ? "wss" : "ws"}://${host}:8103`,
  };
  const $ = (id) => document.getElementById(id);
  const state = { token: null, me: null, mode: "login", next: "in", lastPunch: null, seen: new Set(), cursor: null, socket: null, retry: 0 };
  let lang = localStorage.getItem("attendance.lang") || "en";

  // ---- language -------------------------------------------------------------------------
  const t = (key, values = {}) =>
    (window.I18N[lang][key] ?? window.I18N.en[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");

  function applyLanguage() {
    const dict = window.I18N[lang];
    document.documentElement.lang = lang;
    document.documentElement.dir = dict.dir;
    document.title = t("title");
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    $("language").value = lang;
    setMode(state.mode);
    if (state.me) { renderWho(); renderPunch(); refreshToday(); refreshWeek(); if (isAdmin()) refreshPresence(); }
    renderLive(state.socket && state.socket.readyState === WebSocket.OPEN);
  }

  const time = (iso) => new Intl.DateTimeFormat(window.I18N[lang].locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date(iso));
  // Persian weekday names are long: the chart uses their one-letter form.
  const dayName = (date) => new Intl.DateTimeFormat(window.I18N[lang].locale, { weekday: lang === "fa" ? "narrow" : "short", timeZone: "UTC" }).format(new Date(date + "T00:00:00Z"));
  const number = (value) => new Intl.NumberFormat(window.I18N[lang].locale, { maximumFractionDigits: 1 }).format(value);

  // ---- HTTP -----------------------------------------------------------------------------
  class ApiError extends Error {}

  async function call(base, path, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(base + path, { ...options, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    } catch {
      throw new ApiError(t("networkError"));
    }
    if (response.status === 401 && state.token) {
      logout(t("sessionExpired"));
    }
    if (!response.ok) {
      // Problem details say what was wrong in plain words.
      let message = `${response.status} ${response.statusText}`;
      try { const problem = await response.json(); message = problem.detail || problem.title || message; } catch { /* not JSON */ }
      throw new ApiError(message);
    }
    return response;
  }

  const json = async (base, path, options) => (await call(base, path, options)).json();

  // ---- session --------------------------------------------------------------------------
  function decode(token) {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const text = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    return JSON.parse(text);
  }

  const isAdmin = () => state.me && state.me.role === "admin";

  function startSession(token) {
    const claims = decode(token);
    if (claims.exp * 1000 <= Date.now()) { sessionStorage.removeItem("attendance.token"); return false; }
    state.token = token;
    state.me = { id: Number(claims.employee_id), name: claims.name, role: claims.role, exp: claims.exp };
    sessionStorage.setItem("attendance.token", token);
    $("auth").hidden = true;
    $("app").hidden = false;
    $("admin").hidden = !isAdmin();
    $("logout").hidden = false;
    $("who").hidden = false;
    state.next = "in";
    renderWho();
    renderPunch();
    refreshAll();
    connect();
    $("punch").focus();
    return true;
  }

  function logout(message) {
    state.token = null; state.me = null; state.seen.clear(); state.cursor = null; state.lastPunch = null;
    sessionStorage.removeItem("attendance.token");
    if (state.socket) { const s = state.socket; state.socket = null; s.close(1000, "logout"); }
    clearTimeout(state.reconnectTimer);
    $("app").hidden = true; $("auth").hidden = false; $("logout").hidden = true; $("who").hidden = true; $("live").hidden = true;
    $("today").replaceChildren(); $("feed").replaceChildren();
    $("auth-error").textContent = message || "";
    $("password").value = "";
    $("username").focus();
  }

  function renderWho() {
    $("who").textContent = `${state.me.name} · ${t("role_" + state.me.role)}`;
  }

  // ---- log in / register ----------------------------------------------------------------
  function setMode(mode) {
    state.mode = mode;
    $("tab-login").setAttribute("aria-selected", String(mode === "login"));
    $("tab-register").setAttribute("aria-selected", String(mode === "register"));
    $("auth-submit").textContent = t(mode);
    $("password").autocomplete = mode === "login" ? "current-password" : "new-password";
  }

  async function submitAuth(event) {
    event.preventDefault();
    $("auth-error").textContent = "";
    const body = { username: $("username").value.trim(), password: $("password").value };
    $("auth-submit").disabled = true;
    try {
      const result = await json(api.auth, state.mode === "login" ? "/login" : "/register", { method: "POST", body });
      startSession(result.token);
    } catch (error) {
      $("auth-error").textContent = error.message;
    } finally {
      $("auth-submit").disabled = false;
    }
  }

  // ---- punching -------------------------------------------------------------------------
  function renderPunch() {
    const button = $("punch");
    button.dataset.action = state.next;
    button.textContent = t(state.next === "in" ? "punchIn" : "punchOut");
    $("last-punch").textContent = state.lastPunch
      ? t("lastPunch", { action: t(state.lastPunch.action), time: time(state.lastPunch.timestamp) })
      : t("neverPunched");
  }

  function notePunch(record) {
    if (!state.lastPunch || record.timestamp >= state.lastPunch.timestamp) {
      state.lastPunch = record;
      state.next = record.action === "in" ? "out" : "in";
      renderPunch();
    }
  }

  async function punch() {
    $("punch-error").textContent = "";
    $("punch").disabled = true;
    try {
      const record = await json(api.attendance, "/attendance", {
        method: "POST", body: { action: state.next }, headers: { "Idempotency-Key": crypto.randomUUID() },
      });
      addToday(record);
      notePunch(record);
      refreshWeek();
      if (isAdmin()) refreshPresence();
    } catch (error) {
      $("punch-error").textContent = error.message;
      refreshToday();
    } finally {
      $("punch").disabled = false;
    }
  }

  // ---- today ----------------------------------------------------------------------------
  function recordItem(record, withName) {
    const li = document.createElement("li");
    li.dataset.id = record.id;
    const tag = document.createElement("span");
    tag.className = `tag ${record.action}`;
    tag.textContent = t(record.action);
    const label = document.createElement("span");
    label.textContent = withName ? `${record.username} · ${time(record.timestamp)}` : time(record.timestamp);
    li.append(tag, label);
    return li;
  }

  function addToday(record) {
    if (state.seen.has(record.id)) return;
    state.seen.add(record.id);
    const list = $("today");
    // Newest first: insert before the first older record.
    const older = [...list.children].find((li) => li.dataset.timestamp < record.timestamp);
    const item = recordItem(record, false);
    item.dataset.timestamp = record.timestamp;
    list.insertBefore(item, older || null);
    $("today-empty").hidden = list.children.length > 0;
  }

  async function refreshToday() {
    try {
      const records = await json(api.attendance, `/attendance/${state.me.id}`);
      state.seen.clear();
      $("today").replaceChildren();
      records.forEach(addToday);
      $("today-empty").hidden = records.length > 0;
      if (records.length > 0) notePunch(records[0]);
    } catch (error) {
      $("punch-error").textContent = error.message;
    }
  }

  // ---- week -----------------------------------------------------------------------------
  async function refreshWeek() {
    try {
      const days = await json(api.attendance, `/attendance/${state.me.id}/summary`);
      const today = days[days.length - 1];
      if (today && today.open) { state.next = "out"; renderPunch(); }
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
    } catch (error) {
      $("punch-error").textContent = error.message;
    }
  }

  // ---- admin ----------------------------------------------------------------------------
  async function refreshPresence() {
    try {
      const present = await json(api.attendance, "/attendance/presence");
      $("presence").replaceChildren(...present.map((p) => {
        const li = document.createElement("li");
        li.dataset.employeeId = p.employee_id;
        const name = document.createElement("span");
        name.textContent = p.username;
        const since = document.createElement("span");
        since.className = "muted";
        since.textContent = t("since", { time: time(p.since) });
        li.append(name, since);
        return li;
      }));
      $("presence-empty").hidden = present.length > 0;
    } catch (error) {
      $("export-error").textContent = error.message;
    }
  }

  function addFeed(record) {
    const list = $("feed");
    list.insertBefore(recordItem(record, true), list.firstChild);
    while (list.children.length > 50) list.lastChild.remove();
  }

  async function exportCsv(event) {
    event.preventDefault();
    $("export-error").textContent = "";
    const from = $("export-from").value, to = $("export-to").value;
    if (from > to) { $("export-error").textContent = t("rangeError"); return; }
    try {
      const blob = await (await call(api.attendance, `/attendance/export.csv?from=${from}&to=${to}`)).blob();
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `attendance-${from}-${to}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (error) {
      $("export-error").textContent = error.message;
    }
  }

  // ---- live -----------------------------------------------------------------------------
  function renderLive(live) {
    const badge = $("live");
    if (!state.me) { badge.hidden = true; return; }
    badge.hidden = false;
    badge.textContent = live ? `● ${t("live")}` : `◌ ${t("reconnecting")}`;
    badge.classList.toggle("reconnecting", !live);
  }

  function connect() {
    if (!state.token) return;
    let url = `${api.reporter}/ws?token=${encodeURIComponent(state.token)}`;
    if (state.cursor) url += `&after=${encodeURIComponent(state.cursor)}`;
    const socket = new WebSocket(url);
    state.socket = socket;
    renderLive(false);
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "hello") {
        state.retry = 0;
        if (!state.cursor && message.cursor) state.cursor = message.cursor;
        renderLive(true);
      } else if (message.type === "record") {
        state.cursor = message.cursor;
        onRecord(message.record);
      } else if (message.type === "resync") {
        // Too long away to replay: reload what is shown.
        refreshAll();
      }
    };
    socket.onclose = (event) => {
      if (state.socket !== socket) return;
      state.socket = null;
      if (!state.token) return;
      if (event.code === 1008 || event.code === 1006 && state.me && state.me.exp * 1000 <= Date.now()) {
        logout(t("sessionExpired"));
        return;
      }
      renderLive(false);
      // Back off, then resume from the last cursor: nothing shown is lost.
      const delay = Math.min(10000, 500 * 2 ** state.retry++);
      state.reconnectTimer = setTimeout(connect, delay);
    };
  }

  function onRecord(record) {
    if (record.employee_id === state.me.id) {
      const today = new Date().toDateString() === new Date(record.timestamp).toDateString();
      if (today) addToday(record);
      notePunch(record);
      refreshWeek();
    }
    if (isAdmin()) {
      addFeed(record);
      refreshPresence();
    }
  }

  function refreshAll() {
    refreshToday();
    refreshWeek();
    if (isAdmin()) {
      refreshPresence();
      const today = new Date().toISOString().slice(0, 10);
      $("export-to").value ||= today;
      $("export-from").value ||= today.slice(0, 8) + "01";
    }
  }

  // ---- start ----------------------------------------------------------------------------
  $("tab-login").addEventListener("click", () => setMode("login"));
  $("tab-register").addEventListener("click", () => setMode("register"));
  $("auth-form").addEventListener("submit", submitAuth);
  $("punch").addEventListener("click", punch);
  $("logout").addEventListener("click", () => logout());
  $("export-form").addEventListener("submit", exportCsv);
  $("language").addEventListener("change", (event) => {
    lang = event.target.value;
    localStorage.setItem("attendance.lang", lang);
    applyLanguage();
  });

  applyLanguage();
  const saved = sessionStorage.getItem("attendance.token");
  if (!(saved && startSession(saved))) $("username").focus();
})();
