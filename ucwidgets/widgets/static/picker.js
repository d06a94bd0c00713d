// AssetPicker: names the use case it adds to; lists what can be added with what tells look-alikes
// apart (owner, date, rows); checks a CSV and shows its first rows before uploading it.

function stagedView(model, staged) {
  if (!staged || !staged.name) return null;
  const size = `${ucwFmt(staged.size)} bytes`;
  const head = h("div", { class: "ucw-section" }, h("span", {}, `${staged.name} · ${size}`));
  if (staged.problem) {
    return h("div", { class: "ucw-staged" }, head, h("div", { class: "ucw-error" }, staged.problem),
      ucwButton("Choose another file", "ucw-staged-discard", () => ucwSend(model, "discard_staged")));
  }
  const names = h("tr", {}, staged.columns.map((c) => h("th", { scope: "col" }, c.name)));
  const types = h("tr", {}, staged.columns.map((c) => h("td", { class: "ucw-muted ucw-dtype" }, c.dtype)));
  const rows = staged.rows.map((r) => h("tr", {}, r.map((v) => h("td", {}, v === null ? "–" : String(v)))));
  return h("div", { class: "ucw-staged" }, head,
    h("div", { class: "ucw-muted" }, `${ucwPlural(staged.row_count, "row")}, ${ucwPlural(staged.columns.length, "column")}; the first ${staged.rows.length}:`),
    h("div", { class: "ucw-scroll" }, h("table", { class: "ucw-table ucw-staged-table" }, h("thead", {}, names, types), h("tbody", {}, rows))),
    h("div", { class: "ucw-actions" },
      ucwButton("Create dataset", "ucw-primary ucw-staged-upload", () => ucwSend(model, "upload_staged")),
      ucwButton("Discard", "ucw-staged-discard", () => ucwSend(model, "discard_staged"))));
}

export default {
  render({ model, el }) {
    const cleanup = ucwRoot(el, "picker");
    const title = h("div", { class: "ucw-title ucw-picker-title" });
    const tabs = h("div", { class: "ucw-segmented", role: "radiogroup", "aria-label": "Kind of asset" },
      UCW_ASSET_KINDS.map(([value, label]) => ucwButton(label, "ucw-picker-type", () => ucwSet(model, "asset_type", value), { role: "radio", "data-type": value })));
    const filter = h("input", { type: "search", class: "ucw-input ucw-picker-filter", placeholder: "Filter by name", "aria-label": "Filter" });
    filter.addEventListener("input", ucwDebounce(() => ucwSet(model, "filter_text", filter.value), 80));
    const list = h("ul", { class: "ucw-picker-list", role: "listbox", "aria-multiselectable": "true", tabindex: "0" });
    const hints = h("div", { class: "ucw-muted ucw-picker-hints" });
    const file = h("input", { type: "file", accept: ".csv,.tsv,.txt", class: "ucw-picker-file", "aria-label": "Upload a CSV file" });
    file.addEventListener("change", async () => {
      const chosen = file.files[0];
      if (!chosen) return;
      const bytes = await chosen.arrayBuffer();
      model.send({ action: "stage_file", args: { filename: chosen.name } }, undefined, [bytes]);
      file.value = "";
    });
    const staged = h("div");
    const progress = h("div", { class: "ucw-upload", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100" });
    const add = ucwButton("Add", "ucw-primary ucw-picker-add", () => ucwSend(model, "add"));
    // Cancel stays on when the use case is gone: it closes the picker.
    el.replaceChildren(title, ...ucwGoneFence(model, cleanup, tabs,
      h("div", { class: "ucw-toolbar" }, filter, ucwButton("Refresh", "ucw-picker-refresh", () => ucwSend(model, "refresh"))),
      ucwError(model, "list", cleanup), ucwError(model, "panel", cleanup),
      list, hints,
      h("div", { class: "ucw-upload-row" }, h("label", { class: "ucw-muted" }, "Upload a CSV: ", file)),
      ucwError(model, "upload", cleanup), staged, progress),
      h("div", { class: "ucw-actions" }, add, ucwButton("Cancel", "ucw-picker-cancel", () => ucwSend(model, "cancel"))),
      ucwError(model, "add", cleanup), ucwStatus(model, cleanup));

    const toggle = (value) => {
      const chosen = model.get("chosen");
      ucwSet(model, "chosen", chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value]);
    };
    list.addEventListener("click", (e) => {
      const li = e.target.closest("li[data-value]");
      if (li) toggle(li.dataset.value);
    });
    list.addEventListener("keydown", (e) => {
      const items = [...list.querySelectorAll("li[data-value]")];
      const at = items.indexOf(document.activeElement);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const next = items[Math.max(0, Math.min(items.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))];
        if (next) next.focus();
      } else if ((e.key === " " || e.key === "Enter") && at >= 0) {
        e.preventDefault();
        toggle(items[at].dataset.value);
      }
    });

    const paintList = () => {
      const chosen = model.get("chosen");
      const rows = model.get("visible").map((c) => h("li", {
        "data-value": c.value, role: "option", tabindex: "-1", "aria-selected": String(chosen.includes(c.value)),
        class: chosen.includes(c.value) ? "ucw-chosen" : "",
      }, h("span", { class: "ucw-check", "aria-hidden": "true" }, chosen.includes(c.value) ? "☑" : "☐"),
      h("span", { class: "ucw-cand-name" }, c.name),
      h("span", { class: "ucw-muted ucw-cand-detail" }, c.detail || ""),
      h("span", { class: "ucw-muted ucw-cand-owner" }, c.owner ? `by ${c.owner}` : ""),
      h("span", { class: "ucw-muted ucw-cand-date", title: ucwStamp(c.created_at) }, c.created_at ? c.created_at.slice(0, 10) : "")));
      list.replaceChildren(...rows);
      add.disabled = chosen.length === 0 || Boolean(model.get("gone"));
      add.textContent = chosen.length > 1 ? `Add ${chosen.length}` : "Add";
    };
    const paintInfo = () => {
      const name = model.get("use_case_name");
      title.textContent = name ? `Add assets to ${name}` : "Add assets";
      for (const b of tabs.querySelectorAll("[data-type]")) b.setAttribute("aria-checked", String(b.dataset.type === model.get("asset_type")));
      const blocked = model.get("blocked").map((b) => h("li", {}, `${b.name}: ${b.reason}`));
      hints.replaceChildren(...model.get("hints").map((t) => h("div", {}, t)),
        blocked.length ? h("div", {}, "Cannot be added:", h("ul", {}, blocked)) : "");
      file.closest(".ucw-upload-row").hidden = model.get("asset_type") !== "dataset";
      if (document.activeElement !== filter && filter.value !== model.get("filter_text")) filter.value = model.get("filter_text");
    };
    const paintUpload = () => {
      staged.replaceChildren(stagedView(model, model.get("staged")) || "");
      const total = model.get("upload_total");
      progress.hidden = !model.get("upload_name");
      const pct = Math.round(100 * model.get("progress"));
      progress.setAttribute("aria-valuenow", String(pct));
      progress.replaceChildren(h("div", { class: "ucw-bar" }, h("div", { class: "ucw-bar-fill", style: `width: ${pct}%` })),
        h("span", {}, `${model.get("upload_name")} · ${pct}% · ${ucwFmt(model.get("upload_sent"))} of ${ucwFmt(total)} bytes`));
    };
    model.on("change:visible change:chosen change:gone", paintList);
    model.on("change:use_case_name change:asset_type change:blocked change:hints change:filter_text", paintInfo);
    model.on("change:staged change:progress change:upload_sent change:upload_name", paintUpload);
    paintList(); paintInfo(); paintUpload();
    return ucwTeardown(cleanup);
  },
};
