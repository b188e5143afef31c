/*
 * Hand a signing session to the signing agent on this computer (VGCA Sign Service or
 * `vanthu sign-agent`). No inline script (CSP): the page marks up a button
 *
 *   <button type="button" data-sign-agent
 *           data-manifest-url="https://…/signing/agent/<id>/manifest?token=…&upload_token=…"
 *           data-agent-url="http://127.0.0.1:18765"       (optional; this is the default)
 *           data-status="#sign-agent-status"               (optional: where messages go)
 *           data-done-url="/…"                             (optional: where to go when signed)
 *           data-msg-working="…" data-msg-done="…" data-msg-unreachable="…">   (translated texts)
 *
 * and includes this file. The agent fetches the manifest from the server itself; the page only
 * tells it where. The page's Content-Security-Policy must allow connect-src to the agent's address.
 */
(function () {
  "use strict";

  var DEFAULT_AGENT_URL = "http://127.0.0.1:18765";

  function statusBox(button) {
    var selector = button.getAttribute("data-status");
    return selector ? document.querySelector(selector) : null;
  }

  function say(button, text, kind) {
    var box = statusBox(button);
    if (!box) {
      return;
    }
    box.textContent = text;
    box.setAttribute("data-state", kind);
  }

  function message(button, name, fallback) {
    return button.getAttribute("data-msg-" + name) || fallback;
  }

  function sign(button) {
    var agent = (button.getAttribute("data-agent-url") || DEFAULT_AGENT_URL).replace(/\/+$/, "");
    var manifestUrl = new URL(button.getAttribute("data-manifest-url"), window.location.href).href;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    say(button, message(button, "working", "Signing…"), "working");
    fetch(agent + "/sign", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ manifest_url: manifestUrl })
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (answer) {
        if (answer.ok) {
          say(button, message(button, "done", "Signed."), "done");
          button.dispatchEvent(new CustomEvent("vanthu:signed", { bubbles: true, detail: answer.body }));
          var done = button.getAttribute("data-done-url");
          if (done) {
            window.location.assign(done);
          }
          return;
        }
        say(button, (answer.body && answer.body.message) || message(button, "failed", "Not signed."), "error");
        button.disabled = false;
      })
      .catch(function () {
        say(button, message(button, "unreachable", "The signing agent is not running on this computer."), "error");
        button.disabled = false;
      })
      .finally(function () {
        button.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-sign-agent]") : null;
    if (button && !button.disabled) {
      event.preventDefault();
      sign(button);
    }
  });
})();
