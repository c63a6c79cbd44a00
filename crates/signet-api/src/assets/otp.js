// Signet signing page, the one-time code form: asks the signing API to send a code to this
// browser, counts down until another may be sent, checks the code and, once it is right,
// reloads the page (the HttpOnly session cookie then opens the documents). No inline script (CSP).
"use strict";

(function () {
  const form = document.getElementById("otp-form");
  if (!form) return;
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
        send.textContent = "Send a new code";
        return;
      }
      send.disabled = true;
      send.textContent = "Send a new code (" + left + " s)";
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
      throw { message: "Signet could not be reached. Check your connection and try again." };
    }
    const json = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      const error = json.error || {};
      throw {
        status: response.status,
        code: error.code,
        message: error.message || "The request failed (" + response.status + ").",
        retryAfter: Number(response.headers.get("Retry-After")) || 0,
      };
    }
    return json;
  }

  send.addEventListener("click", async function () {
    send.disabled = true;
    say("Sending\u2026", false);
    try {
      const sent = await post("", {});
      say("We sent a code to " + sent.destination + ". Enter it below.", false);
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
      return say("The code is six digits.", true);
    }
    verify.disabled = true;
    say("Checking\u2026", false);
    try {
      await post("/verify", { code: code });
      say("Thank you. Opening the document\u2026", false);
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
