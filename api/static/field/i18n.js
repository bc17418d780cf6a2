/* Words of the crews' page: Indonesian first, English on request. Vocabulary labels (lamp
   status, work state) come from the server, inlined in the page as JSON. */
"use strict";

(function () {
  const WORDS = {
    id: {
      title: "PJU Lapangan", signin_title: "Masuk petugas", username: "Nama pengguna",
      password: "Kata sandi", signin: "Masuk", signout: "Keluar",
      signin_failed: "Nama pengguna atau kata sandi salah.",
      signin_wait: "Terlalu banyak percobaan masuk: tunggu {s} detik, lalu coba lagi.",
      signin_busy: "Server sedang sibuk memeriksa kata sandi: coba lagi dalam {s} detik.",
      signin_offline: "Tidak ada sinyal: masuk perlu koneksi.",
      session_over: "Sesi berakhir: masuk lagi; antrean tetap tersimpan.",
      locate: "Lokasi saya (GPS)", tap_hint: "atau ketuk peta", locating: "Mencari lokasi…",
      gps_failed: "GPS tidak tersedia: ketuk peta untuk memilih lokasi.",
      by_gps: "Lokasi GPS (±{m} m)", by_tap: "Lokasi dipilih di peta",
      tab_lamps: "Lampu terdekat", tab_orders: "Pekerjaan saya", tab_queue: "Antrean",
      no_position: "Tentukan lokasi dulu: GPS atau ketuk peta.",
      no_lamps: "Tidak ada lampu di sekitar.", no_orders: "Tidak ada pekerjaan terbuka.",
      queue_empty: "Belum ada laporan.", pending: "Menunggu", sent: "Terkirim",
      failed: "Gagal", n_pending: "{n} menunggu", offline: "Luring", online: "Daring",
      note: "Catatan (opsional)", photo: "Foto (opsional)", mark_as: "Tandai lampu sebagai:",
      history: "Riwayat", close: "Tutup", remove: "Hapus",
      queued: "Disimpan di antrean; dikirim saat ada sinyal.", sent_toast: "Laporan terkirim.",
      due: "Batas", overdue: "Terlambat", status_now: "Status sekarang",
      history_offline: "Riwayat tidak tersedia saat luring.", no_history: "Belum ada riwayat.",
      cached: "Data terakhir (luring)", lamp: "Lampu", photo_alt: "Foto laporan",
      photo_short: "Foto", take_photo: "Ambil foto (opsional)", photo_taken: "Foto siap ✓",
    },
    en: {
      title: "Street lights · field", signin_title: "Crew sign-in", username: "User name",
      password: "Password", signin: "Sign in", signout: "Sign out",
      signin_failed: "Wrong user name or password.",
      signin_wait: "Too many sign-in attempts: wait {s} s, then try again.",
      signin_busy: "The server is busy checking passwords: try again in {s} s.",
      signin_offline: "No signal: signing in needs a connection.",
      session_over: "Session ended: sign in again; the queue is kept.",
      locate: "My location (GPS)", tap_hint: "or tap the map", locating: "Locating…",
      gps_failed: "GPS unavailable: tap the map to choose a place.",
      by_gps: "GPS position (±{m} m)", by_tap: "Place chosen on the map",
      tab_lamps: "Nearest lamps", tab_orders: "My work orders", tab_queue: "Queue",
      no_position: "Set your location first: GPS or tap the map.",
      no_lamps: "No lamps nearby.", no_orders: "No open work orders.",
      queue_empty: "No reports yet.", pending: "Pending", sent: "Sent", failed: "Failed",
      n_pending: "{n} pending", offline: "Offline", online: "Online",
      note: "Note (optional)", photo: "Photo (optional)", mark_as: "Mark the lamp as:",
      history: "History", close: "Close", remove: "Remove",
      queued: "Saved in the queue; sent when there is signal.", sent_toast: "Report sent.",
      due: "Due", overdue: "Overdue", status_now: "Current status",
      history_offline: "History is not available offline.", no_history: "No history yet.",
      cached: "Last known data (offline)", lamp: "Lamp", photo_alt: "Report photo",
      photo_short: "Photo", take_photo: "Take a photo (optional)", photo_taken: "Photo ready ✓",
    },
  };
  const labels = JSON.parse(document.getElementById("labels").textContent);
  let lang = localStorage.getItem("ga.lang") === "en" ? "en" : "id";

  function t(key, values) {
    let text = (WORDS[lang] && WORDS[lang][key]) || WORDS.id[key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.replace("{" + name + "}", value);
    }
    return text;
  }

  function label(vocabulary, code) {
    const entry = (labels[vocabulary] || {})[code];
    return entry ? entry[lang] || entry.id : code;
  }

  function apply() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      el.textContent = t(el.dataset.i18n);
    });
    document.title = t("title") + " · geo-assets";
  }

  function toggle() {
    lang = lang === "id" ? "en" : "id";
    localStorage.setItem("ga.lang", lang);
    apply();
    return lang;
  }

  function formatTime(iso) {
    return new Date(iso).toLocaleString(lang === "id" ? "id-ID" : "en-GB", {
      timeZone: "Asia/Makassar", day: "numeric", month: "short",
      hour: "2-digit", minute: "2-digit",
    }) + " WITA";
  }

  window.FieldI18n = { t, label, apply, toggle, formatTime, get lang() { return lang; } };
})();
