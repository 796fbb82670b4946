// Where the services are. Empty values mean "this page's host on the standard port".
// The client host (scripts/run.sh, port 5500) serves its own config.js from its settings,
// so these can change without a rebuild.
window.ATTENDANCE_CONFIG = window.ATTENDANCE_CONFIG || {
  authUrl: "",
  attendanceUrl: "",
  reporterUrl: ""
};
