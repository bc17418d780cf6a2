/* Nothing is lost: every report is first stored in IndexedDB with its idempotency key, then
   sent; it stays "pending" until the server answers, and a retry reuses the same key, so the
   server records it once however often it is sent. */
"use strict";

(function () {
  const DB_NAME = "geo-assets-field";
  const STORE = "submissions";
  const KEEP_SENT = 50;
  let dbPromise = null;
  let flushing = null;

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const store = request.result.createObjectStore(STORE, { keyPath: "key" });
          store.createIndex("createdAt", "createdAt");
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** Store a new report as pending; resolves to the stored record. */
  async function add(report) {
    const record = {
      key: newKey(), state: "pending", attempts: 0, error: null, sentAt: null,
      createdAt: Date.now(), occurredAt: new Date().toISOString(), ...report,
    };
    await run("readwrite", (store) => store.put(record));
    return record;
  }

  /** Every stored report, oldest first. */
  async function all() {
    const rows = await run("readonly", (store) => store.index("createdAt").getAll());
    return rows || [];
  }

  async function put(record) {
    await run("readwrite", (store) => store.put(record));
  }

  async function remove(key) {
    await run("readwrite", (store) => store.delete(key));
  }

  async function prune() {
    const sent = (await all()).filter((r) => r.state === "sent");
    for (const record of sent.slice(0, Math.max(0, sent.length - KEEP_SENT))) {
      await remove(record.key);
    }
  }

  function form(record) {
    const body = new FormData();
    body.append("to_status", record.toStatus);
    body.append("occurred_at", record.occurredAt);
    if (record.note) body.append("note", record.note);
    if (record.photo) body.append("photo", record.photo, "foto.jpg");
    return body;
  }

  /* One attempt: "sent", "failed" (the server refused it for good), "retry" (no connection or
     a server fault) or "auth" (signed out). */
  async function send(record, token) {
    let response;
    try {
      response = await fetch(`/field/api/lamps/${record.lampId}/events`, {
        method: "POST", body: form(record),
        headers: { "Authorization": `Bearer ${token}`, "Idempotency-Key": record.key },
      });
    } catch (error) {
      return { outcome: "retry", error: String(error) };
    }
    if (response.ok) return { outcome: "sent", body: await response.json() };
    if (response.status === 401) return { outcome: "auth" };
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      return { outcome: "retry", error: `HTTP ${response.status}` };
    }
    let detail = `HTTP ${response.status}`;
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
    return { outcome: "failed", error: detail };
  }

  async function flushOnce(token, onChange) {
    const summary = { sent: 0, failed: 0, stopped: null };
    for (const record of (await all()).filter((r) => r.state === "pending")) {
      if (!navigator.onLine) { summary.stopped = "offline"; break; }
      record.attempts += 1;
      const result = await send(record, token);
      if (result.outcome === "auth" || result.outcome === "retry") {
        record.error = result.error || null;
        await put(record);
        summary.stopped = result.outcome;
        break;
      }
      record.state = result.outcome;
      record.error = result.error || null;
      if (result.outcome === "sent") {
        record.sentAt = Date.now();
        record.photo = null; // on the server now; free the phone's storage
        record.eventId = result.body.event.id;
        summary.sent += 1;
      } else {
        summary.failed += 1;
      }
      await put(record);
      if (onChange) onChange(record);
    }
    await prune();
    return summary;
  }

  /** Send every pending report in order; one flush at a time. */
  function flush(token, onChange) {
    if (!flushing) {
      flushing = flushOnce(token, onChange).finally(() => { flushing = null; });
    }
    return flushing;
  }

  window.FieldQueue = { add, all, put, remove, flush };
})();
