/* Vanthu's own script. The Content-Security-Policy forbids inline scripts and event handler
   attributes: behaviour is attached here, from data-* attributes. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every htmx request carries Django's CSRF token (read from <meta name="csrf-token">).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  function showMessage(text, level) {
    var box = document.getElementById("messages");
    if (!box || !text) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + (level || "danger") + " alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", box.getAttribute("data-close-text") || "Close");
    alert.appendChild(close);
    box.appendChild(alert);
  }

  // A session that expired mid-page: htmx followed the redirect to the login page; reload the
  // whole page instead of swapping a login form into a fragment.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });

  // 5xx and network failures are not swapped (see htmx-config in base.html): say so.
  document.addEventListener("htmx:responseError", function () {
    var box = document.getElementById("messages");
    showMessage(box ? box.getAttribute("data-server-error-text") : "", "danger");
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("messages");
    showMessage(box ? box.getAttribute("data-network-error-text") : "", "warning");
  });

  // <form data-confirm="Are you sure?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);

  // <select data-autosubmit>: submit its form when the choice changes.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });

  // The bell's dropdown is loaded by htmx each time it opens ("show.bs.dropdown" trigger);
  // after a notification is marked read, refresh the count in the navbar.
  document.addEventListener("vanthu:notificationsChanged", function (event) {
    var count = event.detail && typeof event.detail.unread === "number" ? event.detail.unread : null;
    var badge = document.getElementById("bell-count");
    if (badge && count !== null) {
      badge.textContent = String(count);
      badge.classList.toggle("d-none", count === 0);
    }
  });
})();
