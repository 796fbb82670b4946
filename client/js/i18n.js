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
    livePunches: "Everyone's punches, live", export: "Export CSV", from: "From", to: "To", download: "Download",
    in: "in", out: "out", live: "Live", reconnecting: "Reconnecting…", role_admin: "admin", role_employee: "employee",
    registered: "Account created. You are logged in.", sessionExpired: "Your session has expired; please log in again.",
    networkError: "The service cannot be reached. Check that it is running and try again.",
    rangeError: "Choose a start date on or before the end date."
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
    livePunches: "ثبت‌های همه، زنده", export: "خروجی CSV", from: "از", to: "تا", download: "دریافت",
    in: "ورود", out: "خروج", live: "زنده", reconnecting: "در حال اتصال دوباره…", role_admin: "مدیر", role_employee: "کارمند",
    registered: "حساب ساخته شد و وارد شدید.", sessionExpired: "نشست شما به پایان رسید؛ دوباره وارد شوید.",
    networkError: "سرویس در دسترس نیست. از روشن بودن آن مطمئن شوید و دوباره تلاش کنید.",
    rangeError: "تاریخ آغاز باید پیش از تاریخ پایان یا برابر با آن باشد."
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
export const dayName = (date) =>
  new Intl.DateTimeFormat(texts[lang].locale, { weekday: lang === "fa" ? "narrow" : "short", timeZone: "UTC" })
    .format(new Date(date + "T00:00:00Z"));

export const number = (value) => new Intl.NumberFormat(texts[lang].locale, { maximumFractionDigits: 1 }).format(value);
