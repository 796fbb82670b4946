// One way to show a record in a list, shared by today's list and the admin's live feed.
import { t, time } from "../i18n.js";

export function recordItem(record, withName) {
  const li = document.createElement("li");
  li.dataset.id = record.id;
  li.dataset.timestamp = record.timestamp;
  const tag = document.createElement("span");
  tag.className = `tag ${record.action}`;
  tag.textContent = t(record.action);
  const label = document.createElement("span");
  label.className = "when";
  label.textContent = withName ? `${record.username} · ${time(record.timestamp)}` : time(record.timestamp);
  li.append(tag, label);
  return li;
}

export const $ = (id) => document.getElementById(id);
