// TrashView: the caller's trash (the service lists only what they may restore or purge), with
// Restore and Purge on each row. Purge is final: it asks first, in the row. A refused action
// shows its error in its row (the control "kind:id").

function trashRow(model, r, asking, ask) {
  const control = `${r.entity_type}:${r.id}`;
  const error = (model.get("errors") || {})[control];
  const busy = model.get("busy");
  const actions = asking
    ? h("span", { class: "ucw-row-actions ucw-purge-confirm", role: "alertdialog" },
      h("span", { class: "ucw-confirm-text" }, `Purge ${r.name} for good?`),
      ucwButton("Purge for good", "ucw-danger ucw-trash-purge-confirm", () => { ask(null); ucwSend(model, "purge", { entity_type: r.entity_type, entity_id: r.id }); }),
      ucwButton("Keep it", "ucw-trash-keep", () => ask(null)))
    : h("span", { class: "ucw-row-actions" },
      ucwButton("Restore", "ucw-primary ucw-trash-restore", () => ucwSend(model, "restore", { entity_type: r.entity_type, entity_id: r.id }), { title: `Restore ${r.name}`, disabled: busy }),
      ucwButton("Purge", "ucw-danger ucw-trash-purge", () => ask(control), { title: `Purge ${r.name} for good`, disabled: busy }));
  return h("li", { class: "ucw-trash-row", "data-id": r.id, "data-kind": r.entity_type },
    h("div", { class: "ucw-trash-line" },
      h("span", { class: "ucw-trash-kind ucw-muted" }, r.kind_label),
      h("span", { class: "ucw-trash-name", title: r.name }, r.name),
      actions),
    h("div", { class: "ucw-muted ucw-trash-info" },
      h("span", { title: ucwStamp(r.deleted_at) }, `deleted ${ucwAgo(r.deleted_at)}${r.deleted_by ? ` by ${r.deleted_by}` : ""}`),
      h("span", { title: ucwStamp(r.purge_at) }, r.purge_at ? ` · to be purged on ${ucwStamp(r.purge_at).slice(0, 10)}` : "")),
    error ? h("div", { class: "ucw-error-slot", "data-control": control }, h("span", { class: "ucw-error", role: "alert" }, error.message)) : null);
}

export default {
  render({ model, el }) {
    const cleanup = ucwRoot(el, "trash");
    let asking = null; // the row whose Purge waits for a yes
    const list = h("ul", { class: "ucw-trash-list" });
    const title = h("span", {}, "Trash");
    const paint = () => {
      const rows = model.get("rows");
      title.textContent = `Trash (${ucwFmt(rows.length)})`;
      list.replaceChildren(...rows.map((r) => trashRow(model, r, asking === `${r.entity_type}:${r.id}`, (c) => { asking = c; paint(); })));
      if (!rows.length) list.append(h("li", { class: "ucw-empty ucw-muted" }, "The trash is empty."));
    };
    el.replaceChildren(
      h("div", { class: "ucw-section" }, title, h("span", { class: "ucw-muted ucw-trash-hint" }, "what you may restore or purge")),
      ucwStatus(model, cleanup), ucwError(model, "trash", cleanup), list);
    ucwListen(model, ["rows", "errors", "busy"], paint, cleanup);
    paint();
    return ucwTeardown(cleanup);
  },
};
