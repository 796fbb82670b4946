// English and Persian texts, and the formatting that follows the language. Persian switches the
// page to right-to-left.
const texts = {
  en: {
    dir: "ltr", locale: "en-GB",
    skip: "Skip to content", title: "Attendance", logout: "Log out", language: "Language",
    welcome: "Welcome", login: "Log in", register: "Register", username: "Username", password: "Password",
    usernameHint: "3–64 letters, digits, dots, dashes or underscores.", passwordHint: "At least 8 characters.",
    punchTitle: "Punch", punchIn: "Punch in", punchOut: "Punch out",
    lastPunch: "Last punch: {action} at {time}", neverPunched: "You have not punched yet.",
    today: "Today", noPunches: "No punches yet today.", week: "This week",
    weekLabel: "Hours worked per day this week", hours: "{h} h",
    presence: "Who is in now", nobodyIn: "Nobody is in.", since: "since {time}",
    livePunches: "Everyone's punches, live", teamPunches: "Your teams' punches, live", export: "Export CSV", from: "From", to: "To", download: "Download",
    in: "in", out: "out", live: "Live", reconnecting: "Reconnecting…", role_admin: "admin", role_employee: "employee",
    registered: "Account created. You are logged in.", sessionExpired: "Your session has expired; please log in again.",
    networkError: "The service cannot be reached. Check that it is running and try again.",
    rangeError: "Choose a start date on or before the end date.",
    notifications: "Notifications", readAll: "Mark all read", noNotifications: "Nothing new.", markRead: "Mark read",
    bellLabel: "Notifications, {n} unread",
    addMissing: "Add a missing punch", myRequests: "My requests", noRequests: "You have asked for no corrections.",
    fix: "Fix", fixLabel: "Fix the {action} at {time}", voidTitle: "Void a wrong punch", addTitle: "Add a missing punch",
    voidWhich: "The {action} at {time} will be withdrawn once an approver agrees.",
    action: "Action", when: "When", reason: "Reason", reasonHint: "3–500 characters: what happened.",
    timeHint: "Choose when it happened (not in the future).", cancel: "Cancel", sendRequest: "Send request",
    addChange: "add {action} at {time}", voidChange: "void record #{id}", note: "note",
    status_pending: "pending", status_approved: "approved", status_rejected: "rejected", status_applied: "applied",
    inbox: "Requests to decide", inboxEmpty: "No requests are waiting.", askedBy: "asked by {name}, {time}",
    anotherApprover: "Another approver decides this one.", noteOptional: "Note (optional)", noteFor: "Note on {change}",
    approve: "Approve", reject: "Reject",
    audit: "Audit log", auditAction: "Action", any: "Any", employeeId: "Employee id", show: "Show", more: "More",
    verifyChain: "Verify chain", verifying: "Verifying…", chainOk: "Chain intact: {rows} rows verified.",
    chainBroken: "Chain broken at row {id}. {problem}", actor: "Who", details: "Details", system: "system",
    periods: "Closed months", month: "Month", closeMonth: "Close month", noPeriods: "No month is closed.",
    reopen: "Reopen", closedAt: "closed {time}", monthHint: "Write the month as YYYY-MM.",
    report: "Monthly report", calendar: "Calendar", gregorian: "Gregorian", solarHijri: "Solar Hijri", format: "Format",
    people: "People", search: "Search", find: "Find", status: "Status", activePeople: "Active", deactivatedPeople: "Deactivated",
    addPerson: "Add a person", fullName: "Full name", email: "Email", role: "Role", create: "Create",
    personCreated: "{username} was created. Their first password, shown only now: {password}",
    deactivate: "Deactivate", reactivate: "Reactivate", deactivatedPerson: "deactivated",
    role_manager: "manager", team: "Team", schedule: "Schedule", allInScope: "Everyone I see", noTeam: "No team", noSchedule: "No schedule",
    teams: "Teams", noTeams: "No teams yet.", teamName: "Team name", manager: "Manager", noManager: "no manager", addTeam: "Add team",
    members: "{n} members", edit: "Edit", delete: "Delete", save: "Save", close: "Close", add: "Add", nameRequired: "Give it a name.",
    holidays: "Holidays", showHolidays: "Show holidays", year: "Year", noHolidays: "No holidays this year.", date: "Date", holidayName: "Name",
    schedules: "Schedules", noSchedules: "No schedules yet.", scheduleName: "Schedule name", timeZone: "Time zone",
    graceMinutes: "Grace (minutes)", weeklyShifts: "Weekly shifts", day: "Day", works: "Works", start: "Start", end: "End",
    nightShiftHint: "An end at or before the start is a night shift: it ends the next day, and its punches count for the day it starts.",
    nightShift: "night shift, ends the next day", addSchedule: "Add schedule", grace: "{n} min grace", noWorkdays: "no workdays",
    people_n: "{n} people", photo: "Photo", photoHint: "JPEG, PNG or WebP, at most 1 MiB.", photoTooLarge: "The photo is larger than 1 MiB.",
    photoOf: "Photo of {name}", editPerson: "Edit {name}", monthView: "Month", myMonth: "My month", monthOf: "{name}'s month",
    day_present: "present", day_late: "late", day_absent: "absent", day_day_off: "day off", day_holiday: "holiday", day_open: "still in",
    lateBy: "late by {n} min", workedHours: "Worked", daysPresent: "Days present", daysLate: "Days late", daysAbsent: "Days absent",
    earlyLeave: "Left early", overtime: "Overtime", minutes: "{n} min",
    kioskPin: "Kiosk PIN", kioskPinHint: "At a kiosk by the door you punch with your username and this PIN.",
    currentPassword: "Current password", newPin: "New PIN", pinHint: "4–8 digits.", setPin: "Set PIN", pinSet: "Your kiosk PIN is set.",
    kiosks: "Kiosks", noKiosks: "No kiosks yet.", kioskName: "Where it stands", addKiosk: "Register kiosk", revoke: "Revoke",
    kioskCreated: "Open this link once on the kiosk's screen; the token in it is shown only now.",
    revokedAt: "revoked {time}", kioskSince: "since {time}",
    waitingToSend: "waiting to send", offline: "Offline: punches wait on this device",
    sentForApproval: "Your punch made offline at {time} was too old to record directly; it was sent to an approver.",
    offlineRefused: "Your {action} made offline at {time} was not recorded: {reason}",
    kioskTitle: "Kiosk", kioskSetupTitle: "Set up this kiosk", kioskToken: "Kiosk token", kioskSave: "Save",
    kioskSetupHint: "An admin registers kiosks on the attendance page under Kiosks and opens the link it shows here.",
    pickName: "Tap your name", orUsername: "or type your username", yourPin: "PIN", punchAction: "Punch", clear: "Clear", back: "Delete last digit",
    kioskPunched: "{name}: {action} at {time}", kioskWrongPin: "Wrong username or PIN. Try again.",
    kioskLocked: "Too many wrong PINs for this name; try again in {n} seconds.",
    kioskRevoked: "This kiosk has been revoked. Ask an admin to register it again.",
    kioskOffline: "No connection to the attendance service. Punches are not possible until it is back.",
    kioskNeedsName: "Type your username or tap your name first.", kioskNeedsPin: "Enter your PIN (4–8 digits).",
    forget: "Forget this kiosk"
  },
  fa: {
    dir: "rtl", locale: "fa-IR",
    skip: "رفتن به محتوا", title: "حضور و غیاب", logout: "خروج", language: "زبان",
    welcome: "خوش آمدید", login: "ورود", register: "ثبت‌نام", username: "نام کاربری", password: "گذرواژه",
    usernameHint: "۳ تا ۶۴ حرف لاتین، رقم، نقطه، خط تیره یا زیرخط.", passwordHint: "دست‌کم ۸ نویسه.",
    punchTitle: "ثبت ورود و خروج", punchIn: "ثبت ورود", punchOut: "ثبت خروج",
    lastPunch: "آخرین ثبت: {action} در {time}", neverPunched: "هنوز ثبتی ندارید.",
    today: "امروز", noPunches: "امروز هنوز ثبتی نیست.", week: "این هفته",
    weekLabel: "ساعت کار در هر روز این هفته", hours: "{h} ساعت",
    presence: "چه کسی اکنون حاضر است", nobodyIn: "کسی حاضر نیست.", since: "از {time}",
    livePunches: "ثبت‌های همه، زنده", teamPunches: "ثبت‌های تیم‌های شما، زنده", export: "خروجی CSV", from: "از", to: "تا", download: "دریافت",
    in: "ورود", out: "خروج", live: "زنده", reconnecting: "در حال اتصال دوباره…", role_admin: "مدیر", role_employee: "کارمند",
    registered: "حساب ساخته شد و وارد شدید.", sessionExpired: "نشست شما به پایان رسید؛ دوباره وارد شوید.",
    networkError: "سرویس در دسترس نیست. از روشن بودن آن مطمئن شوید و دوباره تلاش کنید.",
    rangeError: "تاریخ آغاز باید پیش از تاریخ پایان یا برابر با آن باشد.",
    notifications: "اعلان‌ها", readAll: "خواندن همه", noNotifications: "چیز تازه‌ای نیست.", markRead: "علامت خوانده‌شده",
    bellLabel: "اعلان‌ها، {n} خوانده‌نشده",
    addMissing: "افزودن ثبتِ جاافتاده", myRequests: "درخواست‌های من", noRequests: "درخواست اصلاحی نداده‌اید.",
    fix: "اصلاح", fixLabel: "اصلاح {action} در {time}", voidTitle: "باطل کردن ثبت نادرست", addTitle: "افزودن ثبتِ جاافتاده",
    voidWhich: "{action} در {time} پس از تأیید تأییدکننده باطل می‌شود.",
    action: "نوع", when: "زمان", reason: "دلیل", reasonHint: "۳ تا ۵۰۰ نویسه: چه پیش آمد.",
    timeHint: "زمان رخداد را برگزینید (نه در آینده).", cancel: "انصراف", sendRequest: "فرستادن درخواست",
    addChange: "افزودن {action} در {time}", voidChange: "باطل کردن ثبت #{id}", note: "یادداشت",
    status_pending: "در انتظار", status_approved: "تأییدشده", status_rejected: "ردشده", status_applied: "اعمال‌شده",
    inbox: "درخواست‌های منتظر تصمیم", inboxEmpty: "درخواستی در انتظار نیست.", askedBy: "درخواست از {name}، {time}",
    anotherApprover: "تأییدکننده‌ی دیگری درباره‌ی این تصمیم می‌گیرد.", noteOptional: "یادداشت (اختیاری)", noteFor: "یادداشت برای {change}",
    approve: "تأیید", reject: "رد",
    audit: "گزارش ممیزی", auditAction: "کنش", any: "همه", employeeId: "شناسه‌ی کارمند", show: "نمایش", more: "بیشتر",
    verifyChain: "بررسی زنجیره", verifying: "در حال بررسی…", chainOk: "زنجیره سالم است: {rows} ردیف بررسی شد.",
    chainBroken: "زنجیره در ردیف {id} شکسته است. {problem}", actor: "چه کسی", details: "جزئیات", system: "سامانه",
    periods: "ماه‌های بسته", month: "ماه", closeMonth: "بستن ماه", noPeriods: "هیچ ماهی بسته نیست.",
    reopen: "بازگشایی", closedAt: "بسته‌شده در {time}", monthHint: "ماه را به شکل YYYY-MM بنویسید.",
    report: "گزارش ماهانه", calendar: "تقویم", gregorian: "میلادی", solarHijri: "خورشیدی", format: "قالب",
    people: "افراد", search: "جست‌وجو", find: "یافتن", status: "وضعیت", activePeople: "فعال", deactivatedPeople: "غیرفعال",
    addPerson: "افزودن فرد", fullName: "نام کامل", email: "رایانامه", role: "نقش", create: "ساختن",
    personCreated: "{username} ساخته شد. گذرواژه‌ی نخست، که فقط همین یک بار نشان داده می‌شود: {password}",
    deactivate: "غیرفعال کردن", reactivate: "فعال کردن دوباره", deactivatedPerson: "غیرفعال",
    role_manager: "سرپرست", team: "تیم", schedule: "برنامه‌ی کاری", allInScope: "همه‌ی کسانی که می‌بینم", noTeam: "بدون تیم", noSchedule: "بدون برنامه",
    teams: "تیم‌ها", noTeams: "هنوز تیمی نیست.", teamName: "نام تیم", manager: "سرپرست", noManager: "بدون سرپرست", addTeam: "افزودن تیم",
    members: "{n} عضو", edit: "ویرایش", delete: "حذف", save: "ذخیره", close: "بستن", add: "افزودن", nameRequired: "نامی بدهید.",
    holidays: "تعطیلات", showHolidays: "نمایش تعطیلات", year: "سال", noHolidays: "امسال تعطیلی ثبت نشده است.", date: "تاریخ", holidayName: "نام",
    schedules: "برنامه‌های کاری", noSchedules: "هنوز برنامه‌ای نیست.", scheduleName: "نام برنامه", timeZone: "منطقه‌ی زمانی",
    graceMinutes: "ارفاق (دقیقه)", weeklyShifts: "شیفت‌های هفته", day: "روز", works: "کاری", start: "شروع", end: "پایان",
    nightShiftHint: "پایانِ هم‌زمان یا پیش از شروع یعنی شیفت شب: فردای آن روز تمام می‌شود و ثبت‌هایش برای روز شروع حساب می‌شود.",
    nightShift: "شیفت شب، فردا تمام می‌شود", addSchedule: "افزودن برنامه", grace: "{n} دقیقه ارفاق", noWorkdays: "بدون روز کاری",
    people_n: "{n} نفر", photo: "عکس", photoHint: "JPEG، PNG یا WebP، حداکثر ۱ مگابایت.", photoTooLarge: "عکس بزرگ‌تر از ۱ مگابایت است.",
    photoOf: "عکس {name}", editPerson: "ویرایش {name}", monthView: "ماه", myMonth: "ماه من", monthOf: "ماهِ {name}",
    day_present: "حاضر", day_late: "تأخیر", day_absent: "غایب", day_day_off: "روز تعطیل", day_holiday: "تعطیل رسمی", day_open: "هنوز حاضر",
    lateBy: "{n} دقیقه تأخیر", workedHours: "کارکرد", daysPresent: "روزهای حضور", daysLate: "روزهای تأخیر", daysAbsent: "روزهای غیبت",
    earlyLeave: "تعجیل در خروج", overtime: "اضافه‌کار", minutes: "{n} دقیقه",
    kioskPin: "رمز کیوسک", kioskPinHint: "در کیوسکِ کنار در با نام کاربری و این رمز ورود و خروج را ثبت می‌کنید.",
    currentPassword: "گذرواژه‌ی کنونی", newPin: "رمز تازه", pinHint: "۴ تا ۸ رقم.", setPin: "ثبت رمز", pinSet: "رمز کیوسک شما ثبت شد.",
    kiosks: "کیوسک‌ها", noKiosks: "هنوز کیوسکی نیست.", kioskName: "محل کیوسک", addKiosk: "ثبت کیوسک", revoke: "لغو",
    kioskCreated: "این پیوند را یک بار روی صفحه‌ی کیوسک باز کنید؛ نشانه‌ی درون آن فقط همین حالا نشان داده می‌شود.",
    revokedAt: "لغوشده در {time}", kioskSince: "از {time}",
    waitingToSend: "در انتظار ارسال", offline: "آفلاین: ثبت‌ها روی همین دستگاه می‌مانند",
    sentForApproval: "ثبتِ آفلاینِ شما در {time} برای ثبت مستقیم قدیمی بود و برای تأیید فرستاده شد.",
    offlineRefused: "{action}ِ آفلاینِ شما در {time} ثبت نشد: {reason}",
    kioskTitle: "کیوسک", kioskSetupTitle: "راه‌اندازی این کیوسک", kioskToken: "نشانه‌ی کیوسک", kioskSave: "ذخیره",
    kioskSetupHint: "مدیر کیوسک‌ها را در صفحه‌ی حضور و غیاب، بخش کیوسک‌ها، ثبت می‌کند و پیوندش را اینجا باز می‌کند.",
    pickName: "نام خود را لمس کنید", orUsername: "یا نام کاربری را بنویسید", yourPin: "رمز", punchAction: "ثبت", clear: "پاک کردن", back: "حذف رقم آخر",
    kioskPunched: "{name}: {action} در {time}", kioskWrongPin: "نام کاربری یا رمز نادرست است. دوباره تلاش کنید.",
    kioskLocked: "رمز نادرست بیش از حد برای این نام؛ {n} ثانیه‌ی دیگر تلاش کنید.",
    kioskRevoked: "این کیوسک لغو شده است. از مدیر بخواهید دوباره ثبتش کند.",
    kioskOffline: "اتصال به سرویس حضور و غیاب برقرار نیست. تا بازگشت آن ثبت ممکن نیست.",
    kioskNeedsName: "نخست نام کاربری را بنویسید یا نام خود را لمس کنید.", kioskNeedsPin: "رمز خود را وارد کنید (۴ تا ۸ رقم).",
    forget: "فراموش کردن این کیوسک"
  }
};

let lang = localStorage.getItem("attendance.lang") in texts ? localStorage.getItem("attendance.lang") : "en";

export const language = () => lang;

export function setLanguage(value) {
  lang = value in texts ? value : "en";
  localStorage.setItem("attendance.lang", lang);
}

export const dictionary = () => texts[lang];

/** A text by key, with {name} placeholders filled in. */
export const t = (key, values = {}) =>
  (texts[lang][key] ?? texts.en[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");

export const time = (iso) =>
  new Intl.DateTimeFormat(texts[lang].locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date(iso));

// Persian weekday names are long: the chart uses their one-letter form.
export const dayName = (date, style) =>
  new Intl.DateTimeFormat(texts[lang].locale, { weekday: style ?? (lang === "fa" ? "narrow" : "short"), timeZone: "UTC" })
    .format(new Date(date + "T00:00:00Z"));

/** A business day (YYYY-MM-DD) in words, as a calendar day rather than an instant. */
export const date = (day) =>
  new Intl.DateTimeFormat(texts[lang].locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(day + "T00:00:00Z"));

export const dateTime = (iso) =>
  new Intl.DateTimeFormat(texts[lang].locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

const calendarParts = (calendar, date) => {
  const parts = new Intl.DateTimeFormat(`en-u-ca-${calendar === "persian" ? "persian" : "gregory"}-nu-latn`,
    { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" }).formatToParts(date);
  const part = (type) => Number(parts.find((p) => p.type === type).value.replace(/\D/g, ""));
  return { year: part("year"), month: part("month"), day: part("day") };
};

/** This month's YYYY-MM in the given calendar (gregorian | persian), in Latin digits as the API reads it. */
export function currentMonth(calendar) {
  const { year, month } = calendarParts(calendar, new Date());
  return `${year}-${String(month).padStart(2, "0")}`;
}

/**
 * The Gregorian days (YYYY-MM-DD) of a month of the given calendar, in order. For a Solar Hijri
 * month the browser's Intl does the arithmetic: the days around its estimated start are read back
 * in the Persian calendar and those that fall in it kept.
 */
export function daysOfMonth(calendar, year, month) {
  if (calendar !== "persian") {
    const count = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return Array.from({ length: count }, (_, i) => new Date(Date.UTC(year, month - 1, i + 1)).toISOString().slice(0, 10));
  }
  // Farvardin 1 falls on 20–21 March of Gregorian year + 621; months 1–6 have 31 days, 7–11 have 30.
  const estimate = Date.UTC(year + 621, 2, 21) + ((month - 1) * 30.5 + (month > 6 ? 3 : 0)) * 86_400_000;
  const days = [];
  for (let offset = -8; offset < 40; offset++) {
    const date = new Date(estimate + offset * 86_400_000);
    const persian = calendarParts("persian", date);
    if (persian.year === year && persian.month === month) days.push(date.toISOString().slice(0, 10));
  }
  return days;
}

/** The day of the month of a Gregorian day (YYYY-MM-DD) in the page's calendar: Solar Hijri in Persian. */
export const dayOfMonth = (iso) =>
  new Intl.DateTimeFormat(texts[lang].locale, { day: "numeric", timeZone: "UTC" }).format(new Date(iso + "T00:00:00Z"));

/** Persian (۰–۹) and Arabic-Indic (٠–٩) digits as 0–9: what people type is accepted in either script. */
export const latinDigits = (text) => text.replace(/[۰-۹٠-٩]/g, (digit) => String((digit.charCodeAt(0) & 0xf) % 10));

export const number = (value) => new Intl.NumberFormat(texts[lang].locale, { maximumFractionDigits: 1 }).format(value);
