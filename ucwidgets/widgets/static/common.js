// Helpers every ucwidgets panel starts with: this file is put in front of the panel's own module.
// User text (names, messages) only ever becomes text nodes: h() never parses markup.

/** An element: h("button", {class: "x", onclick: f}, "Save"). Strings become text nodes. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Ask the kernel to run a panel action: Python's Panel.dispatch(action, **args). */
function ucwSend(model, action, args) {
  model.send({ action, args: args || {} });
}

/** Call fn when any of the traits change; the listeners go when cleanup runs. */
function ucwListen(model, names, fn, cleanup) {
  for (const name of names) model.on(`change:${name}`, fn);
  cleanup.push(() => names.forEach((name) => model.off(`change:${name}`, fn)));
}

/** The status line: a spinner with Cancel while a request runs, else the last notice. */
function ucwStatus(model, cleanup) {
  const el = h("div", { class: "ucw-status", role: "status", "aria-live": "polite" });
  const draw = () => {
    el.replaceChildren();
    if (model.get("busy")) {
      el.append(
        h("span", { class: "ucw-spinner", "aria-hidden": "true" }),
        h("span", { class: "ucw-busy-text" }, "Working…"),
        h("button", { class: "ucw-cancel", type: "button", onclick: () => ucwSend(model, "cancel") },
          "Cancel"),
      );
    } else if (model.get("notice")) {
      el.append(h("span", { class: "ucw-notice" }, model.get("notice")));
    }
  };
  ucwListen(model, ["busy", "notice"], draw, cleanup);
  draw();
  return el;
}

/** Where the failure of one control shows, next to it; Retry only when it is transient. */
function ucwError(model, control, cleanup) {
  const el = h("div", { class: "ucw-error-slot", "data-control": control });
  const draw = () => {
    const error = (model.get("errors") || {})[control];
    el.replaceChildren();
    if (!error) return;
    el.append(h("span", { class: "ucw-error", role: "alert" }, error.message));
    if (error.transient) {
      el.append(h("button", { class: "ucw-retry", type: "button",
        onclick: () => ucwSend(model, "retry", { control }) }, "Retry"));
    }
  };
  ucwListen(model, ["errors"], draw, cleanup);
  draw();
  return el;
}

/** When the panel's use case is gone (deleted elsewhere): a banner saying by whom, and a fieldset
 *  around `children` that turns their controls off while keeping what they show. */
function ucwGoneFence(model, cleanup, ...children) {
  const banner = h("div", { class: "ucw-gone", role: "alert" });
  const fence = h("fieldset", { class: "ucw-fence" }, ...children);
  const draw = () => {
    const why = model.get("gone");
    banner.textContent = why ? `${why}.` : "";
    banner.hidden = !why;
    fence.disabled = Boolean(why);
  };
  ucwListen(model, ["gone"], draw, cleanup);
  draw();
  return [banner, fence];
}

/** Keep an input's unsaved value in the model's drafts, so no refresh or reconnect loses it. */
function ucwDraft(model, control, input, saved) {
  const drafts = model.get("drafts") || {};
  input.value = control in drafts ? drafts[control] : (saved ?? "");
  input.addEventListener("input", () => {
    model.set("drafts", { ...(model.get("drafts") || {}), [control]: input.value });
    model.save_changes();
  });
  return input;
}

/** "just now", "5 min ago", "3 d ago" for an ISO time. */
function ucwAgo(iso) {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return "";
  const units = [[31536000, "y"], [2592000, "mo"], [86400, "d"], [3600, "h"], [60, "min"]];
  for (const [size, unit] of units) {
    if (seconds >= size) return `${Math.floor(seconds / size)} ${unit} ago`;
  }
  return "just now";
}

// -- more helpers for the use-case panels (list, detail, leaderboard, browser, picker, sharing) --

/** The kinds of asset a use case holds, in the order the panels show them, with their headings. */
const UCW_ASSET_KINDS = [["dataset", "Datasets"], ["project", "Projects"], ["application", "Applications"], ["notebook", "Notebooks"]];

/** Set a trait from the front end and send it to the kernel. */
function ucwSet(model, name, value) {
  model.set(name, value);
  model.save_changes();
}

/** fn, called once input has paused for `ms`; .flush() calls it now. With `leading`, input after
 *  a pause of `ms` calls it at once (the first key answers without waiting), and a burst of
 *  keys still calls it at most once per `ms`. */
function ucwDebounce(fn, ms, leading = false) {
  let timer = null;
  let last = -Infinity;
  const call = (args) => {
    last = performance.now();
    fn(...args);
  };
  const run = (...args) => {
    clearTimeout(timer);
    if (leading && performance.now() - last >= ms) call(args);
    else timer = setTimeout(() => call(args), ms);
  };
  run.flush = (...args) => {
    clearTimeout(timer);
    call(args);
  };
  return run;
}

/** 12,345 */
function ucwFmt(n) {
  return n === null || n === undefined ? "" : Number(n).toLocaleString("en-US");
}

/** "1 row", "2 rows" */
function ucwPlural(n, word) {
  return `${ucwFmt(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** An absolute UTC time for tooltips. */
function ucwStamp(iso) {
  return iso ? `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC` : "";
}

/** Keys typed in a panel stay in it: JupyterLab does not move cells or run shortcuts. */
function ucwOwnKeys(el) {
  el.addEventListener("keydown", (e) => e.stopPropagation());
}

/** Make `el` the root of the panel `name` (classes ucw-root, ucw-<name>-root; keys stay in it).
 *  Returns the view's cleanup list, for ucwListen and the like; ucwTeardown(cleanup) runs it. */
function ucwRoot(el, name) {
  el.classList.add("ucw-root", `ucw-${name}-root`);
  ucwOwnKeys(el);
  return [];
}

/** What a panel's render returns: a function that runs every cleanup of the view. */
function ucwTeardown(cleanup) {
  return () => cleanup.forEach((stop) => stop());
}

/** A button with a label (text) and a class. */
function ucwButton(label, cls, onclick, attrs) {
  return h("button", { type: "button", class: `ucw-btn ${cls || ""}`, onclick, ...(attrs || {}) }, label);
}

/** Render a child widget (an "anywidget:<id>" reference) into el; returns what removes it. */
function ucwMount(host, ref, el) {
  const controller = new AbortController();
  el.replaceChildren();
  if (ref && host) {
    host.getWidget(ref)
      .then((child) => (controller.signal.aborted ? null : child.render({ el, signal: controller.signal })))
      .catch((err) => el.replaceChildren(h("div", { class: "ucw-error" }, String(err))));
  }
  return () => {
    controller.abort();
    el.replaceChildren();
  };
}

/** An http(s) URL, or null: other schemes (javascript:) never become links. */
function ucwSafeUrl(url) {
  try {
    const parsed = new URL(url, document.baseURI);
    return ["http:", "https:"].includes(parsed.protocol) ? parsed.href : null;
  } catch (_) {
    return null;
  }
}

/** Where JupyterLab opens a file under its root. */
function ucwLabUrl(path) {
  let base = "/";
  const config = document.getElementById("jupyter-config-data");
  try {
    base = (config && JSON.parse(config.textContent).baseUrl) || "/";
  } catch (_) {
    base = "/";
  }
  return `${base.replace(/\/?$/, "/")}lab/tree/${path.split("/").map(encodeURIComponent).join("/")}`;
}
