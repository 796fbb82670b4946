// The people card. Admins find people, create one (the generated password is shown once), edit
// name, email, team, schedule, role and photo, and deactivate or reactivate them; managers see
// their team. Everyone listed in scope has their month a click away.
import { call, json, services, session } from "../api.js";
import { t } from "../i18n.js";
import { scheduleName, teamName } from "./directory.js";
import * as month from "./month.js";
import { $, actionButton } from "./records.js";

const MAX_PHOTO_BYTES = 1024 * 1024;
let people = [];
let editing = null;

export async function load(event) {
  event?.preventDefault();
  $("people-error").textContent = "";
  const query = new URLSearchParams({ limit: "200", active: $("people-active").value });
  if ($("people-q").value.trim()) query.set("q", $("people-q").value.trim());
  try {
    // Out of scope, the directory gives only names: a manager's card lists their team (and themself).
    people = (await json(services.auth, `/employees?${query}`)).filter((p) => "role" in p);
  } catch (error) {
    $("people-error").textContent = error.message;
  }
  render();
}

export function reset() {
  people = [];
  $("people").replaceChildren();
  $("person-created").textContent = "";
}

const optionalId = (select) => (select.value ? Number(select.value) : null);

export async function create(event) {
  event.preventDefault();
  $("people-error").textContent = "";
  $("person-created").textContent = "";
  const username = $("person-username").value.trim();
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(username)) {
    $("people-error").textContent = t("usernameHint");
    $("person-username").focus();
    return;
  }
  try {
    const created = await json(services.auth, "/employees", {
      method: "POST",
      body: {
        username, full_name: $("person-name").value, email: $("person-email").value, role: $("person-role").value,
        team_id: optionalId($("person-team")), schedule_id: optionalId($("person-schedule")),
      },
    });
    // Shown once: the server keeps only its hash.
    $("person-created").textContent = t("personCreated", { username, password: created.initial_password });
    $("person-form").reset();
    await load();
  } catch (error) {
    $("people-error").textContent = error.message;
  }
}

async function setActive(person, active) {
  $("people-error").textContent = "";
  try {
    await json(services.auth, `/employees/${person.id}/${active ? "reactivate" : "deactivate"}`, { method: "POST" });
    await load();
  } catch (error) {
    $("people-error").textContent = error.message;
  }
}

export function render() {
  $("people").replaceChildren(...people.map((p) => {
    const li = document.createElement("li");
    li.dataset.employeeId = p.id;
    const label = document.createElement("span");
    label.className = "when";
    label.textContent = [p.username, p.full_name, t("role_" + p.role), teamName(p.team_id), scheduleName(p.schedule_id),
      p.active ? "" : t("deactivatedPerson")].filter(Boolean).join(" · ");
    li.append(label, actionButton(t("monthView"), p.username, (from) => month.open(p, from)));
    if (session.isAdmin()) {
      li.append(actionButton(t("edit"), p.username, (from) => openEdit(p, from)));
      if (p.id !== session.me.id) li.append(actionButton(t(p.active ? "deactivate" : "reactivate"), p.username, () => setActive(p, !p.active)));
    }
    return li;
  }));
}

function openEdit(person, from) {
  editing = { person, from };
  $("person-dialog-title").textContent = t("editPerson", { name: person.username });
  $("edit-name").value = person.full_name ?? "";
  $("edit-email").value = person.email ?? "";
  $("edit-team").value = person.team_id ? String(person.team_id) : "";
  $("edit-schedule").value = person.schedule_id ? String(person.schedule_id) : "";
  $("edit-role").value = person.role;
  $("edit-photo").value = "";
  $("person-edit-error").textContent = "";
  showPhoto(person);
  $("person-dialog").showModal();
  $("edit-name").focus();
}

async function showPhoto(person) {
  const img = $("person-photo");
  img.hidden = true;
  if (!person.has_photo) return;
  try {
    const blob = await (await call(services.auth, `/employees/${person.id}/photo`)).blob();
    img.src = URL.createObjectURL(blob);
    img.alt = t("photoOf", { name: person.username });
    img.hidden = false;
  } catch {
    // No photo to show is not an error worth a message here.
  }
}

export function closeEdit() {
  $("person-dialog").close();
  editing?.from?.focus?.();
  editing = null;
}

/** Saves what changed: profile, team and schedule in one PATCH, the role and the photo by their own routes. */
export async function saveEdit(event) {
  event.preventDefault();
  if (!editing) return;
  const { person } = editing;
  $("person-edit-error").textContent = "";
  const file = $("edit-photo").files[0];
  if (file && file.size > MAX_PHOTO_BYTES) {
    $("person-edit-error").textContent = t("photoTooLarge");
    $("edit-photo").focus();
    return;
  }
  try {
    await json(services.auth, `/employees/${person.id}`, {
      method: "PATCH",
      body: {
        full_name: $("edit-name").value, email: $("edit-email").value,
        team_id: optionalId($("edit-team")), schedule_id: optionalId($("edit-schedule")),
      },
    });
    if ($("edit-role").value !== person.role) {
      await json(services.auth, `/employees/${person.id}/role`, { method: "PUT", body: { role: $("edit-role").value } });
    }
    if (file) {
      await call(services.auth, `/employees/${person.id}/photo`, { method: "PUT", raw: file, headers: { "Content-Type": file.type || "application/octet-stream" } });
    }
    closeEdit();
    await load();
    // Teams list who may manage them, and count members: tell the other cards.
    document.dispatchEvent(new CustomEvent("people-changed"));
  } catch (error) {
    $("person-edit-error").textContent = error.message;
  }
}
