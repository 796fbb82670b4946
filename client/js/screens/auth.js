// Log in or register; a token on success.
import { json, services } from "../api.js";
import { t } from "../i18n.js";
import { $ } from "./records.js";

let mode = "login";

export function setMode(value) {
  mode = value;
  $("tab-login").setAttribute("aria-selected", String(mode === "login"));
  $("tab-register").setAttribute("aria-selected", String(mode === "register"));
  $("auth-submit").textContent = t(mode);
  $("password").autocomplete = mode === "login" ? "current-password" : "new-password";
}

export const render = () => setMode(mode);

/** Submits the form; resolves to the new token, or null after showing what was wrong. */
export async function submit(event) {
  event.preventDefault();
  $("auth-error").textContent = "";
  const body = { username: $("username").value.trim(), password: $("password").value };
  $("auth-submit").disabled = true;
  try {
    return (await json(services.auth, mode === "login" ? "/login" : "/register", { method: "POST", body })).token;
  } catch (error) {
    $("auth-error").textContent = error.message;
    return null;
  } finally {
    $("auth-submit").disabled = false;
  }
}
