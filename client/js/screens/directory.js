// Teams and schedules as the other screens need them: names for ids, and the options of every
// team or schedule picker on the page. Read once per session and again after a change.
import { json, services, session } from "../api.js";
import { t } from "../i18n.js";

export const directory = { teams: [], schedules: [] };

export async function load() {
  const [teams, schedules] = await Promise.all([
    json(services.auth, "/teams"),
    json(services.attendance, "/schedules"),
  ]);
  directory.teams = teams;
  directory.schedules = schedules;
  render();
}

export function reset() {
  directory.teams = [];
  directory.schedules = [];
}

export const teamName = (id) => directory.teams.find((team) => team.id === id)?.name ?? "";
export const scheduleName = (id) => directory.schedules.find((schedule) => schedule.id === id)?.name ?? "";

/** The teams a report may be asked for: all for an admin, their own for a manager. */
export const reportableTeams = () =>
  session.isAdmin() ? directory.teams : directory.teams.filter((team) => team.manager_id === session.me.id);

export function render() {
  for (const select of document.querySelectorAll("select[data-teams]")) fill(select, directory.teams, t("noTeam"));
  for (const select of document.querySelectorAll("select[data-schedules]")) fill(select, directory.schedules, t("noSchedule"));
}

/** Replaces a picker's options, keeping its choice when it still exists. */
export function fill(select, items, noneLabel) {
  const chosen = select.value;
  const none = new Option(noneLabel, "");
  select.replaceChildren(none, ...items.map((item) => new Option(item.name, String(item.id))));
  select.value = [...select.options].some((option) => option.value === chosen) ? chosen : "";
}
