// One way to show a record in a list, shared by today's list and the live board.
import { t, time } from "../i18n.js";

/** A list item for a record; with onName, the name is a button (the live board opens that person's month). */
export function recordItem(record, withName, onName) {
  const li = document.createElement("li");
  li.dataset.id = record.id;
  li.dataset.timestamp = record.timestamp;
  const tag = document.createElement("span");
  tag.className = `tag ${record.action}`;
  tag.textContent = t(record.action);
  const label = document.createElement("span");
  label.className = "when";
  if (withName && onName) {
    label.append(personButton(record.employee_id, record.username, onName), ` · ${time(record.timestamp)}`);
  } else {
    label.textContent = withName ? `${record.username} · ${time(record.timestamp)}` : time(record.timestamp);
  }
  li.append(tag, label);
  return li;
}

/** A person's name as a button that hands them to onClick with the button (focus returns there). */
export function personButton(id, username, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "plain person";
  button.textContent = username;
  button.setAttribute("aria-label", t("monthOf", { name: username }));
  button.addEventListener("click", (event) => onClick({ id, username }, event.currentTarget));
  return button;
}

/** A small action button in a list row, named for screen readers by what it acts on ("Edit: sara"); onClick gets the button. */
export function actionButton(text, subject, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link fix";
  button.textContent = text;
  button.setAttribute("aria-label", `${text}: ${subject}`);
  button.addEventListener("click", (event) => onClick(event.currentTarget));
  return button;
}

export const $ = (id) => document.getElementById(id);
