// Leaderboard: a project's models as the service ranks them, best first on its metric.

export default {
  render({ model, el }) {
    const cleanup = ucwRoot(el, "leaderboard");
    const body = h("div");
    el.replaceChildren(ucwStatus(model, cleanup), ucwError(model, "panel", cleanup), body);
    const paint = () => {
      const t = model.get("table") || {};
      el.hidden = !t.id && !model.get("busy") && !Object.keys(model.get("errors")).length;
      if (!t.id) return body.replaceChildren();
      const title = h("div", { class: "ucw-section" },
        h("span", {}, `Leaderboard · ${t.name}`),
        ucwButton("Close", "ucw-leaderboard-close", () => ucwSend(model, "close_board")));
      if (t.status === "failed") {
        return body.replaceChildren(title, h("div", { class: "ucw-error" }, `Modeling failed: ${t.failure}`));
      }
      if (!t.rows.length) {
        return body.replaceChildren(title, h("div", { class: "ucw-muted" }, `No models yet (modeling: ${t.status || "not started"}).`));
      }
      const head = h("tr", {}, t.columns.map((c, i) => h("th", { scope: "col", class: i ? "ucw-num" : "" }, c)));
      const rows = t.rows.map((r, rank) => h("tr", {}, r.map((v, i) => h("td", { class: i ? "ucw-num" : "" },
        v === null ? "–" : typeof v === "number" ? v.toFixed(4) : (i === 0 && rank === 0 ? `${v} ★` : String(v))))));
      const note = t.status === "done" ? null : h("div", { class: "ucw-muted" }, `Modeling: ${t.status}…`);
      body.replaceChildren(title, h("div", { class: "ucw-scroll" }, h("table", { class: "ucw-table ucw-leaderboard-table" }, h("thead", {}, head), h("tbody", {}, rows))), note);
    };
    model.on("change:table change:busy change:errors", paint);
    paint();
    return ucwTeardown(cleanup);
  },
};
