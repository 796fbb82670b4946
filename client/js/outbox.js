// Punches made without a connection wait here, in IndexedDB, until they are sent: they survive a
// closed tab and a restarted phone. Each keeps the time it was made and the Idempotency-Key it is
// sent with, so sending one again can never record it twice.
const DATABASE = "attendance";
const STORE = "outbox";

let opened = null;

function database() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function run(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

/** Keeps a punch: {key, employee_id, action, timestamp}. */
export const add = (punch) => run("readwrite", (store) => store.put(punch));

export const remove = (key) => run("readwrite", (store) => store.delete(key));

/** One person's waiting punches, oldest first (another person's on a shared device are not theirs to send). */
export async function waiting(employeeId) {
  const all = await run("readonly", (store) => store.getAll());
  return all.filter((punch) => punch.employee_id === employeeId).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
