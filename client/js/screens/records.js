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
export const personButton = (id, username, onClick) =>
  button("plain person", username, t("monthOf", { name: username }), (from) => onClick({ id, username }, from));

/** A small action button in a list row, named for screen readers by what it acts on ("Edit: sara"); onClick gets the button. */
export const actionButton = (text, subject, onClick) => button("link fix", text, `${text}: ${subject}`, onClick);

function button(className, text, label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = text;
  element.setAttribute("aria-label", label);
  element.addEventListener("click", (event) => onClick(event.currentTarget));
  return element;
}

export const $ = (id) => document.getElementById(id);
