// UseCaseDetail: the opened use case. The name and description fields write their drafts to
// the model as the user types and are never overwritten while they differ from the saved
// value, so an unsaved rename survives Share, Add assets or a reload (a live one too). When the
// use case is deleted elsewhere (`gone`), a banner says by whom, the actions are off, and what
// the user typed stays on screen.

const OPEN_LABEL = { dataset: "Preview", project: "Leaderboard", application: "Link", notebook: "Open" };

const assetKey = (a) => `${a.entity_type}:${a.id}`;

function assetRow(model, asset, chosen, cursor) {
  const gone = Boolean(model.get("gone"));
  const actions = h("span", { class: "ucw-row-actions" },
    ucwButton(OPEN_LABEL[asset.entity_type], "ucw-asset-open", () => ucwSend(model, "open_asset", { entity_type: asset.entity_type, entity_id: asset.id }), { title: `Open ${asset.name}` }),
    asset.can_share && ucwButton("Share", "ucw-asset-share", () => ucwSend(model, "share_asset", { entity_type: asset.entity_type, entity_id: asset.id }), { title: `Share ${asset.name} by itself`, disabled: gone }),
    model.get("can_edit") && ucwButton("Remove", "ucw-asset-remove", () => ucwSend(model, "remove_asset", { entity_type: asset.entity_type, entity_id: asset.id }), { title: `Remove ${asset.name} from this use case`, disabled: gone }),
  );
  const by = asset.created_by ? `by ${asset.created_by} · ` : "";
  const key = assetKey(asset);
  const cls = `ucw-asset${chosen.includes(key) ? " ucw-chosen" : ""}${cursor === key ? " ucw-cursor" : ""}`;
  return h("li", { class: cls, "data-id": asset.id, "data-kind": asset.entity_type, "data-key": key, role: "option", "aria-selected": String(chosen.includes(key)) },
    h("span", { class: "ucw-asset-name", title: asset.name }, asset.name),
    h("span", { class: "ucw-muted ucw-asset-info", title: ucwStamp(asset.created_at) }, by + ucwAgo(asset.created_at)),
    actions);
}

function previewView(model, p) {
  if (!p || !p.kind || p.kind === "project") return null;
  const close = ucwButton("Close", "ucw-preview-close", () => ucwSet(model, "preview", {}));
  const title = h("div", { class: "ucw-section" }, h("span", {}, p.name), close);
  if (p.kind === "dataset") {
    const types = h("tr", {}, p.columns.map((c) => h("td", { class: "ucw-muted ucw-dtype" }, c.dtype)));
    const names = h("tr", {}, p.columns.map((c) => h("th", { scope: "col" }, c.name)));
    const rows = p.rows.map((r) => h("tr", {}, r.map((v) => h("td", {}, v === null ? "–" : String(v)))));
    const count = p.row_count === null || p.row_count === undefined ? "" : `first ${p.rows.length} of ${ucwPlural(p.row_count, "row")}`;
    return h("div", { class: "ucw-preview" }, title, h("div", { class: "ucw-muted" }, count),
      h("div", { class: "ucw-scroll" }, h("table", { class: "ucw-table ucw-preview-table" }, h("thead", {}, names, types), h("tbody", {}, rows))));
  }
  if (p.kind === "application") {
    const href = ucwSafeUrl(p.url || "");
    return h("div", { class: "ucw-preview" }, title, href
      ? h("a", { href, target: "_blank", rel: "noopener noreferrer", class: "ucw-link" }, p.url)
      : h("span", { class: "ucw-muted" }, "This application has no link."));
  }
  return h("div", { class: "ucw-preview" }, title, p.path
    ? h("a", { href: ucwLabUrl(p.path), target: "_blank", rel: "noopener", class: "ucw-link" }, `Open ${p.path} in JupyterLab`)
    : h("span", { class: "ucw-muted" }, "This notebook has no path under the Jupyter root."));
}

/** The bar over the assets while some are selected: how many, Remove selected, Move selected to…
 *  (a chooser of the use cases the service says you may edit), Clear. */
function selectionBar(model) {
  let moving = false;
  const count = h("span", { class: "ucw-selection-count" });
  const target = h("select", { class: "ucw-input ucw-move-target", "aria-label": "Use case to move the selected assets to" });
  const go = ucwButton("Move", "ucw-primary ucw-move-go", () => target.value && ucwSend(model, "move_selected", { to: target.value }));
  const chooser = h("span", { class: "ucw-move-chooser" }, target, go);
  const remove = ucwButton("Remove selected", "ucw-selection-remove", () => ucwSend(model, "remove_selected"));
  const move = ucwButton("Move selected to…", "ucw-selection-move", () => {
    moving = !moving;
    if (moving) ucwSend(model, "load_move_targets");
    paint();
  });
  const clear = ucwButton("Clear", "ucw-selection-clear", () => ucwSet(model, "chosen", []));
  const el = h("div", { class: "ucw-selection-bar", role: "toolbar", "aria-label": "Selected assets" }, count, remove, move, chooser, clear);
  const paint = () => {
    const n = model.get("chosen").length;
    el.hidden = !n || !model.get("can_edit");
    if (!n) moving = false;
    count.textContent = `${ucwFmt(n)} selected`;
    chooser.hidden = !moving;
    move.setAttribute("aria-expanded", String(moving));
    const targets = model.get("move_targets");
    const kept = target.value;
    target.replaceChildren(h("option", { value: "" }, targets.length ? "Choose a use case…" : "No other use case you may edit"),
      ...targets.map((t) => h("option", { value: t.id }, t.name)));
    if (targets.some((t) => t.id === kept)) target.value = kept;
    for (const b of [remove, move, go]) b.disabled = Boolean(model.get("gone"));
  };
  return { el, paint };
}

/** The use case's tags as chips (a click filters the list by one; × removes it), and a field
 *  that adds one with Enter, offering the service's suggestions as the user types. */
function tagEditor(model, cleanup) {
  const chips = h("span", { class: "ucw-tag-chips" });
  const options = h("datalist", { id: `ucw-tags-${Math.random().toString(36).slice(2)}` });
  const input = h("input", { class: "ucw-input ucw-tag-input", placeholder: "Add a tag", "aria-label": "Add a tag", list: options.id, maxlength: 50 });
  const suggest = ucwDebounce(() => input.value.trim() && ucwSend(model, "suggest_tags", { prefix: input.value }), 150);
  input.addEventListener("input", () => suggest());
  input.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !input.value.trim()) return;
    e.preventDefault();
    ucwSend(model, "add_tag", { tag: input.value.trim() });
    input.value = "";
  });
  const el = h("div", { class: "ucw-tags" }, chips, input, options);
  const paint = () => {
    const tags = (model.get("info") || {}).tags || [];
    const editable = model.get("can_edit") && !model.get("gone");
    chips.replaceChildren(...tags.map((t) => h("span", { class: "ucw-tag", "data-tag": t },
      h("button", { type: "button", class: "ucw-tag-label", title: `Show the use cases tagged ${t}`, onclick: () => ucwSend(model, "filter_by_tag", { tag: t }) }, t),
      editable ? h("button", { type: "button", class: "ucw-tag-remove", "aria-label": `Remove the tag ${t}`, onclick: () => ucwSend(model, "remove_tag", { tag: t }) }, "×") : null)));
    input.hidden = !editable;
    el.hidden = !tags.length && !editable;
    options.replaceChildren(...model.get("tag_suggestions").map((t) => h("option", { value: t })));
  };
  ucwListen(model, ["info", "can_edit", "gone", "tag_suggestions"], paint, cleanup);
  paint();
  return el;
}

export default {
  render({ model, el, host }) {
    const cleanup = ucwRoot(el, "detail");
    const errorAt = (control) => ucwError(model, control, cleanup);

    const name = h("input", { class: "ucw-input ucw-detail-name", "aria-label": "Name" });
    const description = h("textarea", { class: "ucw-input ucw-detail-description", rows: 2, "aria-label": "Description", placeholder: "Description" });
    // What the user types goes to the model's drafts (Panel.drafts) at once.
    const draft = (field, control) => field.addEventListener("input", () => ucwSet(model, "drafts", { ...model.get("drafts"), [control]: field.value }));
    draft(name, "name");
    draft(description, "description");
    const save = ucwButton("Save", "ucw-primary ucw-detail-save", () => ucwSend(model, "save"));
    const meta = h("div", { class: "ucw-muted ucw-detail-meta" });
    const add = ucwButton("Add assets", "ucw-detail-add", () => (model.get("panel") === "picker" ? ucwSend(model, "close_inline") : ucwSend(model, "open_picker")));
    const share = ucwButton("Share", "ucw-detail-share", () => (model.get("panel") === "sharing" ? ucwSend(model, "close_inline") : ucwSend(model, "open_sharing")));
    const del = ucwButton("Delete", "ucw-danger ucw-detail-delete", () => ucwSet(model, "panel", "delete"));
    const confirmText = h("span", { class: "ucw-confirm-text" });
    const confirm = h("div", { class: "ucw-confirm", role: "alertdialog" }, confirmText,
      ucwButton("Delete use case", "ucw-danger ucw-confirm-delete", () => ucwSend(model, "delete")),
      ucwButton("Keep it", "ucw-confirm-keep", () => ucwSet(model, "panel", "")));
    const inline = h("div", { class: "ucw-inline" });
    const members = h("div", { class: "ucw-detail-members" });
    const assets = h("div", { class: "ucw-detail-assets", tabindex: 0, role: "listbox", "aria-multiselectable": "true", "aria-label": "Assets",
      title: "Click selects; shift-click a range; ctrl- or cmd-click one more. Keys: arrows, space, shift+arrows" });
    const bar = selectionBar(model);
    const preview = h("div", { class: "ucw-detail-preview" });
    const empty = h("div", { class: "ucw-empty ucw-muted" }, "Open a use case to see its assets and members.");
    const gone = h("div", { class: "ucw-gone", role: "alert" });
    const card = h("div", { class: "ucw-card" }, gone,
      h("div", { class: "ucw-field-row" }, name, save),
      errorAt("save"),
      description, tagEditor(model, cleanup), errorAt("tags"), errorAt("tag_input"), meta,
      h("div", { class: "ucw-actions" }, add, share, del),
      errorAt("add"), errorAt("share"), errorAt("delete"),
      confirm, inline, bar.el, errorAt("selection"), assets,
      errorAt("assets"),
      preview, members,
      errorAt("panel"), errorAt("live"));
    el.replaceChildren(ucwStatus(model, cleanup), empty, card);

    const paintFields = () => {
      const info = model.get("info") || {};
      const drafts = model.get("drafts") || {};
      const dirty = [];
      for (const [field, control, saved] of [[name, "name", info.name || ""], [description, "description", info.description || ""]]) {
        const value = control in drafts ? drafts[control] : saved;
        if (value !== saved) dirty.push(control);
        // Never overwrite what the user is typing, nor a field they changed and did not save.
        if (document.activeElement !== field && field.value !== value) field.value = value;
        field.classList.toggle("ucw-dirty", value !== saved);
        field.readOnly = !model.get("can_edit") || Boolean(model.get("gone"));
      }
      save.hidden = !model.get("can_edit");
      save.disabled = dirty.length === 0 || Boolean(model.get("gone"));
    };
    const paintGone = () => {
      const why = model.get("gone");
      const kept = Object.keys(model.get("drafts") || {}).length ? " Your unsaved changes are kept below." : "";
      gone.textContent = why ? `${why}.${kept}` : "";
      gone.hidden = !why;
      for (const b of [add, share, del]) b.disabled = Boolean(why);
      bar.paint();
      if (why && model.get("panel") === "delete") ucwSet(model, "panel", "");
      paintFields();
      paintAssets();
    };
    const paintInfo = () => {
      const info = model.get("info") || {};
      const open = Boolean(model.get("use_case_id") && info.name !== undefined);
      empty.hidden = open;
      card.hidden = !open;
      if (!open) return;
      // A line that wraps breaks between counts, never inside one ("0 / models").
      const counts = ["dataset", "project", "application", "notebook", "model", "member"]
        .map((k) => ucwPlural(info[`${k}s`] || 0, k).replace(" ", "\u00a0")).join(" · ");
      const role = model.get("my_role") ? `your role: ${model.get("my_role")} · ` : "";
      meta.replaceChildren(h("div", { class: "ucw-detail-counts" }, counts),
        h("div", { title: ucwStamp(info.updated_at) }, `${role}updated ${ucwAgo(info.updated_at)}${info.updated_by ? ` by ${info.updated_by}` : ""}`));
      add.hidden = !model.get("can_edit");
      share.hidden = !model.get("can_share");
      del.hidden = !model.get("can_delete");
      confirmText.textContent = `Delete ${info.name}? Its assets stay; members lose access.`;
      paintFields();
    };
    const paintPanel = () => {
      confirm.hidden = model.get("panel") !== "delete";
      add.setAttribute("aria-expanded", String(model.get("panel") === "picker"));
      share.setAttribute("aria-expanded", String(model.get("panel") === "sharing"));
    };
    const paintAssets = () => {
      const rows = model.get("asset_rows");
      const chosen = model.get("chosen");
      order = UCW_ASSET_KINDS.flatMap(([kind]) => rows.filter((a) => a.entity_type === kind).map(assetKey));
      if (!order.includes(cursor)) cursor = null;
      assets.replaceChildren(h("div", { class: "ucw-section" }, `Assets (${ucwFmt(rows.length)})`));
      if (!rows.length) assets.append(h("div", { class: "ucw-muted" }, "No assets yet."));
      for (const [kind, title] of UCW_ASSET_KINDS) {
        const group = rows.filter((a) => a.entity_type === kind);
        if (group.length) assets.append(h("div", { class: "ucw-subsection" }, `${title} (${ucwFmt(group.length)})`), h("ul", { class: "ucw-assets" }, group.map((a) => assetRow(model, a, chosen, cursor))));
      }
    };
    const paintMembers = () => {
      const rows = model.get("member_rows");
      // One line per member: a long username is cut with an ellipsis (whole in its tooltip),
      // never broken mid-word.
      members.replaceChildren(h("div", { class: "ucw-section" }, `Members (${ucwFmt(rows.length)})`),
        h("ul", { class: "ucw-members" }, rows.map((m) => h("li", { class: "ucw-member-row" },
          h("span", { class: "ucw-member-who", title: [m.username, m.full_name].filter(Boolean).join(" · ") },
            h("span", { class: "ucw-member-user" }, m.username),
            m.is_self ? h("span", { class: "ucw-muted" }, " (you)") : null,
            m.full_name && m.full_name !== m.username ? h("span", { class: "ucw-muted" }, ` · ${m.full_name}`) : null),
          h("span", { class: "ucw-member-role" }, m.role),
          h("span", { class: "ucw-muted ucw-member-share" }, m.can_share ? "can share" : "")))));
    };
    const paintPreview = () => preview.replaceChildren(previewView(model, model.get("preview")) || "");
    let unmount = () => {};
    const paintInline = () => {
      unmount();
      unmount = ucwMount(host, model.get("inline"), inline);
    };

    model.on("change:info change:my_role change:can_edit change:can_share change:can_delete change:use_case_id", paintInfo);
    model.on("change:drafts", paintFields);
    model.on("change:gone", paintGone);
    model.on("change:panel", paintPanel);
    model.on("change:asset_rows change:can_edit change:chosen", paintAssets);
    model.on("change:chosen change:move_targets change:can_edit", bar.paint);
    // -- many at once: click, shift-click (range), ctrl/cmd-click (toggle), space, shift+arrows
    let order = []; // the asset keys in the order shown
    let anchor = null; // where a range starts
    let cursor = null; // the row the keyboard is on
    const choose = (keys) => ucwSet(model, "chosen", model.get("can_edit") ? keys : []);
    const range = (from, to) => {
      const [i, j] = [order.indexOf(from), order.indexOf(to)];
      return i < 0 || j < 0 ? [to] : order.slice(Math.min(i, j), Math.max(i, j) + 1);
    };
    const toggle = (key) => {
      const chosen = model.get("chosen");
      choose(chosen.includes(key) ? chosen.filter((k) => k !== key) : [...chosen, key]);
    };
    assets.addEventListener("click", (e) => {
      const row = e.target.closest("li.ucw-asset");
      if (!row || e.target.closest("button, a") || model.get("gone")) return;
      const key = row.dataset.key;
      if (e.shiftKey && anchor) choose(range(anchor, key));
      else if (e.ctrlKey || e.metaKey) { toggle(key); anchor = key; }
      else { const only = model.get("chosen"); choose(only.length === 1 && only[0] === key ? [] : [key]); anchor = key; }
      cursor = key;
      assets.focus({ preventScroll: true });
      paintAssets();
    });
    assets.addEventListener("keydown", (e) => {
      if (!order.length || model.get("gone") || e.target !== assets) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const at = order.indexOf(cursor);
        const next = order[at < 0 ? 0 : Math.max(0, Math.min(order.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))];
        if (e.shiftKey) { anchor = anchor && order.includes(anchor) ? anchor : cursor || next; choose(range(anchor, next)); } else anchor = next;
        cursor = next;
        paintAssets();
      } else if (e.key === " ") {
        e.preventDefault();
        cursor = cursor || order[0];
        anchor = cursor;
        toggle(cursor);
      }
    });
    model.on("change:member_rows", paintMembers);
    model.on("change:preview", paintPreview);
    model.on("change:inline", paintInline);
    paintInfo(); paintPanel(); paintAssets(); bar.paint(); paintMembers(); paintPreview(); paintInline(); paintGone();
    return () => [unmount, ...cleanup].forEach((stop) => stop());
  },
};
