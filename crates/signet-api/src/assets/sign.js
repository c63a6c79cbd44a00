// Signet signing page: collects the signature, the field values and the ticked statements and
// calls the signing API.
// No inline script (CSP); everything the page needs is in data attributes, its words in the
// signer's language included (#page-strings, from the server's table).
"use strict";

(function () {
  const form = document.getElementById("sign-form");
  if (!form) return;
  const T = JSON.parse(document.getElementById("page-strings").dataset.strings);
  // Fills {name} placeholders, as the server does.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }
  const token = form.dataset.token;
  const api = "/api/v1/signing/" + encodeURIComponent(token);
  const status = document.getElementById("status");
  const pad = document.getElementById("pad");
  let drawn = false;

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  // Tells the viewer (viewer.js) whether a signature has been drawn.
  function signatureChanged() {
    pad.dataset.drawn = String(drawn);
    form.dispatchEvent(new Event("signet:signature"));
  }

  function sigKind() {
    const checked = form.querySelector("input[name=sigkind]:checked");
    return checked ? checked.value : null;
  }

  form.querySelectorAll("input[name=sigkind]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      document.getElementById("typed-pane").hidden = sigKind() !== "typed";
      document.getElementById("drawn-pane").hidden = sigKind() !== "drawn";
      form.dispatchEvent(new Event("signet:signature"));
    });
  });

  if (pad) {
    const ctx = pad.getContext("2d");
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#14213d";
    let last = null;
    function point(e) {
      const r = pad.getBoundingClientRect();
      return { x: (e.clientX - r.left) * (pad.width / r.width), y: (e.clientY - r.top) * (pad.height / r.height) };
    }
    pad.addEventListener("pointerdown", function (e) {
      pad.setPointerCapture(e.pointerId);
      last = point(e);
    });
    pad.addEventListener("pointermove", function (e) {
      if (!last) return;
      const p = point(e);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.quadraticCurveTo(last.x, last.y, (last.x + p.x) / 2, (last.y + p.y) / 2);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
      if (!drawn) {
        drawn = true;
        signatureChanged();
      }
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (t) {
      pad.addEventListener(t, function () { last = null; });
    });
    // An uploaded picture goes on the pad, scaled to fit and centred, and is adopted like a
    // drawn signature (the pad's PNG is what is sent).
    document.getElementById("sig-upload").addEventListener("change", function () {
      const file = this.files && this.files[0];
      if (!file) return;
      const url = URL.createObjectURL(file);
      const picture = new Image();
      picture.onload = function () {
        const scale = Math.min(pad.width / picture.width, pad.height / picture.height, 1);
        const w = picture.width * scale;
        const h = picture.height * scale;
        ctx.clearRect(0, 0, pad.width, pad.height);
        ctx.drawImage(picture, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
        URL.revokeObjectURL(url);
        drawn = true;
        signatureChanged();
        say("", false);
      };
      picture.onerror = function () {
        URL.revokeObjectURL(url);
        say(T.unreadable_picture, true);
      };
      picture.src = url;
    });
    document.getElementById("clear-pad").addEventListener("click", function () {
      ctx.clearRect(0, 0, pad.width, pad.height);
      drawn = false;
      signatureChanged();
    });
  }

  // The style choices show the typed name in each face.
  const typedName = document.getElementById("typed-name");
  if (typedName) {
    typedName.addEventListener("input", function () {
      const name = typedName.value.trim() || T.your_name;
      form.querySelectorAll(".fonts .sample").forEach(function (sample) { sample.textContent = name; });
    });
  }

  function typedFont() {
    const checked = form.querySelector("input[name=sigfont]:checked");
    return checked ? checked.value : "dancing_script";
  }

  function collect() {
    const body = { consent: document.getElementById("consent").checked, fields: {} };
    form.querySelectorAll("[data-field]").forEach(function (input) {
      body.fields[input.dataset.field] = input.dataset.kind === "checkbox" ? input.checked : input.value;
    });
    body.accepted_statements = [];
    form.querySelectorAll("[data-statement]").forEach(function (box) {
      if (box.checked) body.accepted_statements.push(box.dataset.statement);
    });
    const kind = sigKind();
    if (kind === "typed") {
      body.signature = { kind: "typed", text: document.getElementById("typed-name").value, font: typedFont() };
    } else if (kind === "drawn" && drawn) {
      body.signature = { kind: "drawn", png_base64: pad.toDataURL("image/png") };
    }
    return body;
  }

  async function post(path, body) {
    let response;
    try {
      response = await fetch(api + path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (err) {
      throw new Error(T.unreachable);
    }
    const json = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      const error = json.error || {};
      throw new Error(explain(error.code, error.message) || fill(T.failed, { status: response.status }));
    }
    return json;
  }

  // An API error in the signer's language: by its code, else the API's own message. A
  // required field the server names by its id ("field <id> (text) is required") is pointed at.
  function explain(code, message) {
    const match = /field ([0-9a-fA-F-]{36}) \(\w+\)/.exec(message || "");
    const input = match && form.querySelector("[data-field='" + match[1] + "']");
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
      const label = input.labels && input.labels.length ? input.labels[0].textContent : "";
      const name = label.replace("*", "").trim();
      if (name) return fill(T.field_required, { name: name });
    }
    return (code && T.errors[code]) || message;
  }

  function refuse(text, input) {
    say(text, true);
    if (!input) return;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  form.addEventListener("input", function (event) {
    event.target.removeAttribute("aria-invalid");
  });

  function finish(result, text) {
    form.querySelectorAll("button, input, textarea").forEach(function (el) { el.disabled = true; });
    say(text, false);
    document.body.dataset.outcome = result.signer_status;
    if (result.redirect_url) window.location.assign(result.redirect_url);
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const body = collect();
    const kind = sigKind();
    if (kind === "typed" && !body.signature.text.trim()) {
      return refuse(T.type_name_first, document.getElementById("typed-name"));
    }
    if (kind === "drawn" && !body.signature) {
      return refuse(T.draw_first, null);
    }
    const unticked = form.querySelector("[data-statement]:not(:checked)");
    if (unticked) {
      return refuse(T.statements_first, unticked);
    }
    if (!body.consent) {
      return refuse(T.consent_first, document.getElementById("consent"));
    }
    const button = document.getElementById("sign-button");
    button.disabled = true;
    say(T.signing, false);
    try {
      finish(await post("/complete", body), T.signed);
    } catch (err) {
      button.disabled = false;
      say(err.message, true);
    }
  });

  document.getElementById("decline-button").addEventListener("click", async function () {
    const button = this;
    const reason = document.getElementById("decline-reason").value.trim();
    button.disabled = true;
    say(T.declining, false);
    try {
      finish(await post("/decline", { reason: reason || null }), T.declined);
    } catch (err) {
      button.disabled = false;
      say(err.message, true);
    }
  });
})();
