// The admin's people card: find people, create one (the generated password is shown once), and
// deactivate or reactivate them.
import { json, services, session } from "../api.js";
import { t } from "../i18n.js";
import { $ } from "./records.js";

let people = [];

export async function load(event) {
  event?.preventDefault();
  $("people-error").textContent = "";
  const query = new URLSearchParams({ limit: "100", active: $("people-active").value });
  if ($("people-q").value.trim()) query.set("q", $("people-q").value.trim());
  try {
    people = await json(services.auth, `/employees?${query}`);
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
      body: { username, full_name: $("person-name").value, email: $("person-email").value, role: $("person-role").value },
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
    const label = document.createElement("span");
    label.textContent = [p.username, p.full_name, t("role_" + p.role), p.active ? "" : t("deactivatedPerson")].filter(Boolean).join(" · ");
    li.append(label);
    if (p.id !== session.me.id) {
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "link fix";
      toggle.textContent = t(p.active ? "deactivate" : "reactivate");
      toggle.setAttribute("aria-label", `${toggle.textContent}: ${p.username}`);
      toggle.addEventListener("click", () => setActive(p, !p.active));
      li.append(toggle);
    }
    return li;
  }));
}
