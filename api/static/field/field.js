/* The crews' page: sign in, locate (GPS or a tap), nearest lamps, one-tap status reports with
   an optional note and photo, my work orders nearest first, and the offline queue. */
"use strict";

(function () {
  const { t, label, formatTime } = window.FieldI18n;
  const Queue = window.FieldQueue;
  const CENTRE = [-3.4420, 114.8300]; // Banjarbaru
  const STATUS_COLOURS = {
    working: "#1f9d55", out: "#222", damaged: "#d9480f", in_repair: "#f59f00",
    planned: "#7c8a99", decommissioned: "#adb5bd",
  };
  const RETRY_MS = 15000;
  const PHOTO_SIDE = 1600;
  const $ = (id) => document.getElementById(id);

  const state = {
    token: localStorage.getItem("ga.token"),
    username: localStorage.getItem("ga.username"),
    position: null, lamps: JSON.parse(localStorage.getItem("ga.lamps") || "[]"),
    orders: JSON.parse(localStorage.getItem("ga.orders") || "[]"), current: null,
    map: null, layer: null, roads: null, here: null,
  };

  function toast(text) {
    const el = $("toast");
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, 3500);
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  async function api(path, options) {
    const headers = { ...(options && options.headers) };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    const response = await fetch(path, { ...options, headers });
    if (response.status === 401) { signOut(t("session_over")); throw new Error("401"); }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  /* ---- sign in ---- */
  function showApp(signedIn) {
    $("signin").hidden = signedIn;
    $("app").hidden = !signedIn;
    $("signout").hidden = !signedIn;
    if (signedIn) { initMap(); renderAll(); flush(); }
  }

  async function signIn(event) {
    event.preventDefault();
    const error = $("signin-error");
    error.hidden = true;
    if (!navigator.onLine) { error.textContent = t("signin_offline"); error.hidden = false; return; }
    const body = new URLSearchParams({ username: $("username").value.trim(),
                                       password: $("password").value });
    const response = await fetch("/api/v1/auth/token", { method: "POST", body });
    if (!response.ok) {
      // Throttled (429) or busy (503): say how long to wait (Retry-After), in the page's language.
      const seconds = response.headers.get("Retry-After") || "1";
      const waits = { 429: "signin_wait", 503: "signin_busy" };
      error.textContent = t(waits[response.status] || "signin_failed", { s: seconds });
      error.hidden = false;
      return;
    }
    const token = await response.json();
    state.token = token.access_token;
    state.username = $("username").value.trim();
    localStorage.setItem("ga.token", state.token);
    localStorage.setItem("ga.username", state.username);
    $("password").value = "";
    showApp(true);
  }

  function signOut(message) {
    if (!message && state.token) {  // the user's own choice: revoke the token on the server too
      const headers = { Authorization: `Bearer ${state.token}` };
      fetch("/api/v1/auth/logout", { method: "POST", headers }).catch(() => {});
    }
    state.token = null;
    localStorage.removeItem("ga.token");
    showApp(false);
    if (message) { $("signin-error").textContent = message; $("signin-error").hidden = false; }
  }

  /* ---- map and position ---- */
  function initMap() {
    if (state.map) { state.map.invalidateSize(); return; }
    state.map = L.map("map", { zoomControl: true, attributionControl: false })
      .setView(CENTRE, 15);
    state.roads = L.layerGroup().addTo(state.map);
    state.layer = L.layerGroup().addTo(state.map);
    state.map.on("click", (e) => setPosition(e.latlng.lng, e.latlng.lat, "tap"));
  }

  function locate() {
    if (!navigator.geolocation) { toast(t("gps_failed")); return; }
    $("where").textContent = t("locating");
    navigator.geolocation.getCurrentPosition(
      (p) => setPosition(p.coords.longitude, p.coords.latitude, "gps", p.coords.accuracy),
      () => { $("where").textContent = t("gps_failed"); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  }

  function setPosition(lon, lat, source, accuracy) {
    state.position = { lon, lat };
    $("where").textContent = source === "gps"
      ? t("by_gps", { m: Math.round(accuracy || 0) }) : t("by_tap");
    if (state.here) state.here.remove();
    state.here = L.circleMarker([lat, lon], { radius: 9, color: "#1c7ed6", weight: 3,
                                              fillColor: "#74c0fc", fillOpacity: 0.9 })
      .addTo(state.map);
    state.map.setView([lat, lon], Math.max(state.map.getZoom(), 17));
    refresh();
  }

  async function refresh() {
    if (!state.position || !navigator.onLine) { renderAll(); return; }
    document.body.dataset.loading = "1";
    // In parallel: on a slow connection three round trips one after another add up.
    const results = await Promise.allSettled([loadLamps(), loadOrders(), loadRoads()]);
    delete document.body.dataset.loading;
    if (results.some((r) => r.status === "rejected" && r.reason.message !== "401")) {
      toast(t("cached"));
    }
    renderAll();
  }

  async function loadLamps() {
    const { lon, lat } = state.position;
    const lamps = await api(`/api/v1/lamps/nearest?lon=${lon}&lat=${lat}&limit=15`);
    state.lamps = lamps.features.map((f) => ({
      id: f.id, code: f.properties.code, status: f.properties.status,
      distance: f.properties.distance_m, lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
    }));
    localStorage.setItem("ga.lamps", JSON.stringify(state.lamps));
  }

  async function loadOrders() {
    const where = state.position ? `&lon=${state.position.lon}&lat=${state.position.lat}` : "";
    const found = await api(`/api/v1/workorders?state=open,assigned,in_progress${where}`);
    state.orders = found.work_orders;
    localStorage.setItem("ga.orders", JSON.stringify(state.orders));
  }

  async function loadRoads() {
    // Our own roads around the position, instead of third-party tiles: light and always there.
    const { lon, lat } = state.position;
    const d = 0.006;
    const box = [lon - d, lat - d, lon + d, lat + d].map((v) => v.toFixed(5)).join(",");
    const roads = await api(`/api/v1/roads?bbox=${box}&limit=200`);
    state.roads.clearLayers();
    L.geoJSON(roads, { style: { color: "#868e96", weight: 4, opacity: 0.8 },
                       interactive: false }).addTo(state.roads);
  }

  /* ---- lists ---- */
  function statusChip(status) {
    return el("span", { class: "chip", style: `background:${STATUS_COLOURS[status] || "#555"}` },
              label("lamp_status", status));
  }

  function metres(m) {
    return m === null || m === undefined ? "" : `${Math.round(m)} m`;
  }

  function renderLamps() {
    const list = $("lamps");
    list.replaceChildren();
    state.layer.clearLayers();
    if (!state.position && !state.lamps.length) {
      list.append(el("li", { class: "empty" }, t("no_position")));
      return;
    }
    if (!state.lamps.length) { list.append(el("li", { class: "empty" }, t("no_lamps"))); return; }
    for (const lamp of state.lamps) {
      list.append(el("li", {},
        el("button", { class: "row", type: "button", "data-lamp": lamp.code,
                       onclick: () => openReport(lamp) },
           el("span", { class: "dist" }, metres(lamp.distance)),
           el("span", { class: "code" }, lamp.code), statusChip(lamp.status))));
      L.circleMarker([lamp.lat, lamp.lon], {
        radius: 8, color: "#fff", weight: 2, fillOpacity: 1,
        fillColor: STATUS_COLOURS[lamp.status] || "#555",
      }).on("click", (e) => { L.DomEvent.stop(e); openReport(lamp); }).addTo(state.layer);
    }
  }

  function renderOrders() {
    const list = $("orders");
    list.replaceChildren();
    if (!state.orders.length) { list.append(el("li", { class: "empty" }, t("no_orders"))); return; }
    for (const order of state.orders) {
      const lamp = state.lamps.find((l) => l.code === order.lamp_code);
      list.append(el("li", { class: order.overdue ? "overdue" : "" },
        el("button", { class: "row", type: "button", "data-order": order.id,
                       onclick: () => openReport(lamp || orderLamp(order)) },
           el("span", { class: "dist" }, metres(order.distance_m)),
           el("span", { class: "code" }, `#${order.id} ${order.lamp_code || order.service_name}`),
           el("span", { class: "due" }, `${t("due")} ${formatTime(order.due_at)}`),
           order.overdue ? el("span", { class: "chip chip-bad" }, t("overdue")) : null,
           el("span", { class: "chip chip-state" }, label("work_state", order.state)))));
    }
  }

  function orderLamp(order) {
    return order.lamp_id
      ? { id: order.lamp_id, code: order.lamp_code, status: order.lamp_status,
          lon: order.lon, lat: order.lat, distance: order.distance_m }
      : null;
  }

  async function renderQueue() {
    const records = (await Queue.all()).reverse();
    const list = $("queue");
    list.replaceChildren();
    if (!records.length) list.append(el("li", { class: "empty" }, t("queue_empty")));
    for (const r of records) {
      list.append(el("li", { class: `queued ${r.state}`, "data-key": r.key, "data-state": r.state },
        el("span", { class: "code" }, r.lampCode), statusChip(r.toStatus),
        el("span", { class: "due" }, formatTime(r.occurredAt)),
        el("span", { class: `chip chip-${r.state}` }, t(r.state)),
        r.hadPhoto ? el("span", { class: "chip chip-photo" }, t("photo_short")) : null,
        r.state === "failed"
          ? el("span", { class: "error" }, r.error || "") : null,
        r.state === "failed"
          ? el("button", { class: "small", type: "button",
                           onclick: async () => { await Queue.remove(r.key); renderQueue(); } },
               t("remove")) : null));
    }
    const pending = records.filter((r) => r.state === "pending").length;
    $("pending-count").hidden = pending === 0;
    $("pending-count").textContent = t("n_pending", { n: pending });
  }

  function renderNet() {
    $("net").textContent = navigator.onLine ? t("online") : t("offline");
    $("net").className = navigator.onLine ? "chip chip-sent" : "chip chip-bad";
  }

  function renderAll() {
    if (!state.map) return;
    renderNet();
    renderLamps();
    renderOrders();
    renderQueue();
  }

  /* ---- one report ---- */
  async function openReport(lamp) {
    if (!lamp) return;
    state.current = lamp;
    $("report-title").textContent = `${t("lamp")} ${lamp.code}`;
    $("report-status").textContent =
      `${t("status_now")}: ${label("lamp_status", lamp.status)} · ${metres(lamp.distance)}`;
    document.querySelectorAll("#report .status").forEach((b) => {
      b.textContent = label("lamp_status", b.dataset.status);
      b.style.background = STATUS_COLOURS[b.dataset.status];
    });
    $("note").value = "";
    $("photo").value = "";
    $("photo-preview").hidden = true;
    document.querySelector(".photo-button span").textContent = t("take_photo");
    $("report").showModal();
    loadHistory(lamp);
  }

  async function loadHistory(lamp) {
    const list = $("history");
    list.replaceChildren();
    if (!navigator.onLine) { list.append(el("li", { class: "empty" }, t("history_offline"))); return; }
    try {
      const found = await api(`/api/v1/lamps/${lamp.id}/events?limit=5`);
      if (!found.events.length) list.append(el("li", { class: "empty" }, t("no_history")));
      for (const e of found.events) {
        const item = el("li", {}, statusChip(e.to_status),
          el("span", { class: "due" }, formatTime(e.occurred_at)),
          el("span", { class: "hint" }, [e.actor, e.note].filter(Boolean).join(" · ")));
        const thumb = e.photo ? await thumbnail(e.photo) : null;
        if (thumb) item.append(thumb);
        list.append(item);
      }
    } catch (error) { list.append(el("li", { class: "empty" }, t("history_offline"))); }
  }

  // Only photos this server stored: /media/photos/<2 hex>/<32 hex>.jpg on this very origin.
  const PHOTO_PATH = /^\/media\/photos\/([0-9a-f]{2})\/([0-9a-f]{32})\.jpg$/;

  function ownPhotoUrl(photo) {
    const match = PHOTO_PATH.exec(String(photo));
    if (!match || !match[2].startsWith(match[1])) return null;
    const url = new URL(`/media/photos/${match[1]}/${match[2]}.jpg`, location.origin);
    return url.origin === location.origin ? url : null;
  }

  async function thumbnail(photo) {
    // Fetched with the token, so that photos show also where reading needs a sign-in; which is
    // why anything but our own /media/ path (an event stored before photos were checked) is
    // never fetched at all: the token must not go to another origin.
    const url = ownPhotoUrl(photo);
    if (!url) return null;
    const img = el("img", { class: "thumb", alt: t("photo_alt") });
    const response = await fetch(url, { headers: { Authorization: `Bearer ${state.token}` },
                                        credentials: "same-origin", redirect: "error" });
    if (response.ok) img.src = URL.createObjectURL(await response.blob());
    return img;
  }

  async function shrink(file) {
    // Smaller before it is queued and sent: a phone photo is megabytes, the server keeps 1600 px.
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
      const scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    } catch (error) {
      return file;
    }
  }

  async function mark(status) {
    const lamp = state.current;
    const file = $("photo").files[0];
    const photo = file ? await shrink(file) : null;
    await Queue.add({ lampId: lamp.id, lampCode: lamp.code, toStatus: status,
                                     note: $("note").value.trim() || null, photo,
                                     hadPhoto: Boolean(photo) });
    $("report").close();
    lamp.status = status; // what the crew sees now; the server's answer follows
    renderAll();
    toast(t("queued"));
    await flush();
  }

  async function flush() {
    renderNet();
    if (!state.token || !navigator.onLine) { renderQueue(); return; }
    const summary = await Queue.flush(state.token, () => renderQueue());
    if (summary.stopped === "auth") signOut(t("session_over"));
    if (summary.sent) toast(t("sent_toast"));
    await renderQueue();
    if (summary.sent && state.position) refresh();
  }

  function showTab(name) {
    document.querySelectorAll("[role=tab]").forEach((b) => {
      b.setAttribute("aria-selected", String(b.dataset.tab === name));
    });
    for (const tab of ["lamps", "orders", "queue"]) $(`tab-${tab}`).hidden = tab !== name;
  }

  function start() {
    window.FieldI18n.apply();
    $("lang").textContent = window.FieldI18n.lang === "id" ? "EN" : "ID";
    $("lang").addEventListener("click", () => {
      $("lang").textContent = window.FieldI18n.toggle() === "id" ? "EN" : "ID";
      renderAll();
    });
    $("signin-form").addEventListener("submit", signIn);
    $("signout").addEventListener("click", () => signOut());
    $("locate").addEventListener("click", locate);
    $("photo").addEventListener("change", () => {
      const file = $("photo").files[0];
      $("photo-preview").hidden = !file;
      if (file) $("photo-preview").src = URL.createObjectURL(file);
      document.querySelector(".photo-button span").textContent =
        t(file ? "photo_taken" : "take_photo");
    });
    document.querySelectorAll("#report .status").forEach((b) => {
      b.addEventListener("click", () => mark(b.dataset.status));
    });
    document.querySelectorAll("[role=tab]").forEach((b) => {
      b.addEventListener("click", () => showTab(b.dataset.tab));
    });
    window.addEventListener("online", flush);
    window.addEventListener("offline", renderNet);
    setInterval(flush, RETRY_MS);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/field/sw.js", { scope: "/field" }).catch(() => {});
    }
    showApp(Boolean(state.token));
  }

  window.FieldApp = { flush, state };
  start();
})();
