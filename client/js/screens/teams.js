// The admin's teams: each with one manager (a manager or an admin) and its members counted; add,
// rename, change the manager, and delete a team nobody is in any more.
import { call, json, services } from "../api.js";
import { t } from "../i18n.js";
import { directory, fill, load as loadDirectory } from "./directory.js";
import { $, actionButton } from "./records.js";

let managers = [];

export async function load() {
  try {
    const people = await json(services.auth, "/employees?limit=500&active=true");
    managers = people.filter((p) => p.role === "manager" || p.role === "admin");
  } catch (error) {
    $("team-error").textContent = error.message;
  }
  render();
}

export function reset() {
  managers = [];
  $("teams").replaceChildren();
  cancel();
}

const managerName = (id) => managers.find((m) => m.id === id)?.username ?? (id ? `#${id}` : t("noManager"));

export function render() {
  fill($("team-manager"), managers.map((m) => ({ id: m.id, name: m.username })), t("noManager"));
  $("teams").replaceChildren(...directory.teams.map((team) => {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.className = "when";
    label.textContent = `${team.name} · ${managerName(team.manager_id)} · ${t("members", { n: team.member_count })}`;
    li.append(label, actionButton(t("edit"), team.name, () => startEdit(team)), actionButton(t("delete"), team.name, () => removeTeam(team)));
    return li;
  }));
  $("teams-empty").hidden = directory.teams.length > 0;
}

function startEdit(team) {
  $("team-id").value = team.id;
  $("team-name").value = team.name;
  $("team-manager").value = team.manager_id ? String(team.manager_id) : "";
  $("team-save").textContent = t("save");
  $("team-cancel").hidden = false;
  $("team-name").focus();
}

export function cancel() {
  $("team-form").reset();
  $("team-id").value = "";
  $("team-save").textContent = t("addTeam");
  $("team-cancel").hidden = true;
  $("team-error").textContent = "";
}

export async function save(event) {
  event.preventDefault();
  $("team-error").textContent = "";
  const name = $("team-name").value.trim();
  if (!name) { $("team-error").textContent = t("nameRequired"); $("team-name").focus(); return; }
  const id = $("team-id").value;
  const body = { name, manager_id: $("team-manager").value ? Number($("team-manager").value) : null };
  try {
    await json(services.auth, id ? `/teams/${id}` : "/teams", { method: id ? "PATCH" : "POST", body });
    cancel();
    await loadDirectory();
    render();
  } catch (error) {
    $("team-error").textContent = error.message;
  }
}

async function removeTeam(team) {
  $("team-error").textContent = "";
  try {
    await call(services.auth, `/teams/${team.id}`, { method: "DELETE" });
    await loadDirectory();
    render();
  } catch (error) {
    $("team-error").textContent = error.message;
  }
}
