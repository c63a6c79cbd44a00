// Signet signing page, the one-time code form: asks the signing API to send a code to this
// browser, counts down until another may be sent, checks the code and, once it is right,
// reloads the page (the HttpOnly session cookie then opens the documents). No inline script (CSP).
"use strict";

(function () {
  const form = document.getElementById("otp-form");
  if (!form) return;
  // The words, in the signer's language (the server's table, see #page-strings).
  const T = JSON.parse(document.getElementById("page-strings").dataset.strings);
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }
  const api = "/api/v1/signing/" + encodeURIComponent(form.dataset.token) + "/otp";
  const send = document.getElementById("otp-send");
  const input = document.getElementById("otp-code");
  const status = document.getElementById("otp-status");
  const verify = document.getElementById("otp-verify");
  let timer = null;

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  // The send button stays disabled until another code may be sent, and says when.
  function cooldown(seconds) {
    clearInterval(timer);
    let left = Math.max(0, Math.ceil(seconds));
    const tick = function () {
      if (left <= 0) {
        clearInterval(timer);
        send.disabled = false;
        send.textContent = T.send_new;
        return;
      }
      send.disabled = true;
      send.textContent = fill(T.send_new_in, { seconds: left });
      left -= 1;
    };
    tick();
    timer = setInterval(tick, 1000);
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
      throw { message: T.unreachable };
    }
    const json = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      const error = json.error || {};
      const retryAfter = Number(response.headers.get("Retry-After")) || 0;
      throw {
        status: response.status,
        code: error.code,
        message: explain(error, retryAfter) || fill(T.failed, { status: response.status }),
        retryAfter: retryAfter,
      };
    }
    return json;
  }

  // An API error in the signer's language, by its code (else the API's own message). The
  // attempts left are the number in the API's `otp_incorrect` message.
  function explain(error, retryAfter) {
    const text = error.code && T.errors[error.code];
    if (!text) return error.message;
    const left = /(\d+)/.exec(error.message || "");
    return fill(text, { left: left ? left[1] : "?", seconds: retryAfter || "?" });
  }

  send.addEventListener("click", async function () {
    send.disabled = true;
    say(T.sending, false);
    try {
      const sent = await post("", {});
      say(fill(T.code_sent, { destination: sent.destination }), false);
      cooldown(sent.resend_in);
      input.focus();
    } catch (err) {
      say(err.message, true);
      if (err.retryAfter) cooldown(err.retryAfter);
      else send.disabled = false;
    }
  });

  input.addEventListener("input", function () {
    input.removeAttribute("aria-invalid");
  });

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const code = input.value.replace(/\s+/g, "");
    if (!/^[0-9]{6}$/.test(code)) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return say(T.six_digits, true);
    }
    verify.disabled = true;
    say(T.checking, false);
    try {
      await post("/verify", { code: code });
      say(T.opening, false);
      document.body.dataset.otp = "verified";
      window.location.reload();
    } catch (err) {
      verify.disabled = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      say(err.message, true);
    }
  });
})();
