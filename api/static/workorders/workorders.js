/* Staff's list of work orders: filter, see what is overdue, assign, resolve, close, reopen.
   Signs in with the same token flow (and the same stored token) as the crews' page. */
"use strict";

(function () {
  const WORDS = {
    id: {
      title: "Daftar pekerjaan perbaikan", signin_title: "Masuk staf", username: "Nama pengguna",
      password: "Kata sandi", signin: "Masuk", signout: "Keluar", state: "Status",
      live: "Belum selesai", resolved: "Diselesaikan", closed: "Ditutup", all: "Semua",
      only_overdue: "Hanya yang terlambat", service: "Layanan", lamp: "Lampu",
      assignee: "Petugas", received: "Diterima", due: "Batas waktu", action: "Tindakan",
      overdue: "Terlambat", assign: "Tugaskan", resolve: "Selesaikan", close: "Tutup",
      reopen: "Buka lagi", start: "Mulai", count: "{n} pekerjaan", saved: "Tersimpan.",
      signin_failed: "Nama pengguna atau kata sandi salah.",
      staff_only: "Halaman ini untuk staf dinas.", none: "Tidak ada pekerjaan.",
      fixed: "Diperbaiki", not_fixed: "Tidak diperbaiki", duplicate: "Duplikat",
    },
    en: {
      title: "Repair work orders", signin_title: "Staff sign-in", username: "User name",
      password: "Password", signin: "Sign in", signout: "Sign out", state: "State",
      live: "Not done", resolved: "Resolved", closed: "Closed", all: "All",
      only_overdue: "Overdue only", service: "Service", lamp: "Lamp", assignee: "Assignee",
      received: "Received", due: "Due", action: "Action", overdue: "Overdue",
      assign: "Assign", resolve: "Resolve", close: "Close", reopen: "Reopen", start: "Start",
      count: "{n} work orders", saved: "Saved.", signin_failed: "Wrong user name or password.",
      staff_only: "This page is for staff.", none: "No work orders.",
      fixed: "Fixed", not_fixed: "Not fixed", duplicate: "Duplicate",
    },
  };
  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem("ga.lang") === "en" ? "en" : "id";
  let token = localStorage.getItem("ga.token");
  let assignees = [];
  const t = (key, n) => (WORDS[lang][key] || key).replace("{n}", n);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    children.filter((c) => c !== null && c !== undefined).forEach((c) => node.append(c));
    return node;
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString(lang === "id" ? "id-ID" : "en-GB", {
      timeZone: "Asia/Makassar", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit" }) + " WITA" : "";
  }

  async function api(path, body) {
    const options = { headers: { Authorization: `Bearer ${token}` } };
    if (body) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = await response.json();
    if (response.status === 401) { signOut(); throw new Error(data.detail); }
    if (!response.ok) throw new Error(data.detail || `HTTP ${response.status}`);
    return data;
  }

  function say(text, bad) {
    $("message").textContent = text;
    $("message").className = bad ? "error" : "muted";
    $("message").hidden = false;
  }

  function applyWords() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = t(n.dataset.i18n); });
    $("lang").textContent = lang === "id" ? "EN" : "ID";
    document.title = t("title") + " · geo-assets";
  }

  function actions(order) {
    const cell = el("td", { class: "actions" });
    const move = (state, extra) => async () => {
      try {
        await api(`/api/v1/workorders/${order.id}/state`,
                  { state, version: order.version, ...extra });
        say(t("saved"));
      } catch (error) { say(error.message, true); }
      load();
    };
    if (order.state === "open" || order.state === "assigned") {
      const who = el("select", { "aria-label": t("assignee") },
        ...assignees.map((a) => el("option", { value: a.username }, a.full_name || a.username)));
      if (order.assignee) who.value = order.assignee;
      cell.append(who, el("button", { type: "button", class: "assign", onclick: async () => {
        try {
          await api(`/api/v1/workorders/${order.id}/assign`,
                    { assignee: who.value, version: order.version });
          say(t("saved"));
        } catch (error) { say(error.message, true); }
        load();
      } }, t("assign")));
    }
    if (["open", "assigned", "in_progress"].includes(order.state)) {
      const how = el("select", { "aria-label": t("resolve") },
        ...["fixed", "not_fixed", "duplicate"].map((r) => el("option", { value: r }, t(r))));
      cell.append(how, el("button", { type: "button", class: "resolve",
        onclick: () => move("resolved", { resolution: how.value })() }, t("resolve")));
    }
    if (order.state === "resolved") {
      cell.append(el("button", { type: "button", class: "close", onclick: move("closed") },
                     t("close")));
    }
    if (order.state === "resolved" || order.state === "closed") {
      cell.append(el("button", { type: "button", class: "reopen", onclick: move("open") },
                     t("reopen")));
    }
    return cell;
  }

  function row(order) {
    return el("tr", { class: order.overdue ? "overdue" : "", "data-id": order.id },
      el("td", {}, String(order.id)), el("td", {}, order.service_name),
      el("td", {}, order.lamp_code || order.address || ""),
      el("td", {}, el("span", { class: `state ${order.state}` }, order.state_label)),
      el("td", {}, order.assignee || "—"), el("td", {}, when(order.requested_at)),
      el("td", {}, when(order.due_at),
         order.overdue ? el("span", { class: "late" }, t("overdue")) : null),
      actions(order));
  }

  async function load() {
    const params = new URLSearchParams({ lang });
    if ($("state-filter").value) params.set("state", $("state-filter").value);
    if ($("overdue-filter").checked) params.set("overdue", "true");
    try {
      const found = await api(`/api/v1/workorders?${params}`);
      $("orders").replaceChildren(...found.work_orders.map(row));
      if (!found.work_orders.length) {
        $("orders").append(el("tr", {}, el("td", { colspan: "8", class: "muted" }, t("none"))));
      }
      $("count").textContent = t("count", found.numberReturned);
    } catch (error) { say(error.message, true); }
  }

  async function start() {
    $("signin").hidden = Boolean(token);
    $("app").hidden = !token;
    $("signout").hidden = !token;
    if (!token) return;
    try {
      assignees = await api("/api/v1/workorders/assignees");
    } catch (error) { say(t("staff_only"), true); return; }
    load();
  }

  function signOut() {
    if (token) {  // revoke the token on the server too, not only forget it here
      fetch("/api/v1/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${token}` } })
        .catch(() => {});
    }
    token = null;
    localStorage.removeItem("ga.token");
    start();
  }

  $("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = new URLSearchParams({ username: $("username").value.trim(),
                                       password: $("password").value });
    const response = await fetch("/api/v1/auth/token", { method: "POST", body });
    if (!response.ok) {
      $("signin-error").textContent = t("signin_failed");
      $("signin-error").hidden = false;
      return;
    }
    token = (await response.json()).access_token;
    localStorage.setItem("ga.token", token);
    $("password").value = "";
    start();
  });
  $("signout").addEventListener("click", signOut);
  $("lang").addEventListener("click", () => {
    lang = lang === "id" ? "en" : "id";
    localStorage.setItem("ga.lang", lang);
    applyWords();
    load();
  });
  $("state-filter").addEventListener("change", load);
  $("overdue-filter").addEventListener("change", load);
  applyWords();
  start();
})();
