/* Draws the charts of reports/_chart.html with the vendored Chart.js.

   Every <canvas data-vanthu-chart="ID"> takes its Chart.js config from the json_script element
   ID (the Content-Security-Policy forbids inline scripts). Chart.js itself is loaded on first
   need from the canvas's data-chart-library address, once per page. Charts that arrive later
   through an htmx swap are drawn after it settles, and destroyed when htmx removes them.

   Each chart partial includes this file, so it may run several times: the first run installs
   everything, the next ones only draw what is new. JSON carries no functions: the number format
   (Vietnamese, comma decimal), the unit in tooltips and ticks, and the legend under the chart on
   a phone are added here from the config's "vanthu" part. */
(function () {
  "use strict";

  if (window.vanthuCharts) {
    window.vanthuCharts.drawAll(document);
    return;
  }

  var SELECTOR = "canvas[data-vanthu-chart]";
  var waiting = null; // callbacks while Chart.js loads

  function withChartLibrary(source, callback) {
    if (window.Chart) {
      callback(window.Chart);
      return;
    }
    if (waiting) {
      waiting.push(callback);
      return;
    }
    waiting = [callback];
    var script = document.createElement("script");
    script.src = source;
    script.addEventListener("load", function () {
      var callbacks = waiting;
      waiting = null;
      callbacks.forEach(function (each) {
        each(window.Chart);
      });
    });
    document.head.appendChild(script);
  }

  function withUnit(text, unit) {
    if (!unit) {
      return text;
    }
    return unit === "%" ? text + "%" : text + " " + unit;
  }

  // On a small screen (by the window, not the chart's column) the legend goes under the chart.
  function legendPosition(breakpoint) {
    return window.innerWidth < breakpoint ? "bottom" : "top";
  }

  function prepare(config) {
    var extra = config.vanthu || {};
    delete config.vanthu;
    var options = config.options;
    var unit = extra.unit || "";
    var decimals = extra.decimals || 0;
    var breakpoint = extra.legendBottomBelow || 576;
    var locale = options.locale || "vi-VN";
    var exact = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    var rounded = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals });

    options.plugins.tooltip.callbacks = {
      label: function (context) {
        var value = context.parsed.y;
        var text = value === null || value === undefined ? "—" : withUnit(exact.format(value), unit);
        return context.dataset.label ? context.dataset.label + ": " + text : text;
      }
    };
    options.scales.y.ticks.callback = function (value) {
      return withUnit(rounded.format(value), unit);
    };
    options.plugins.legend.position = legendPosition(breakpoint);
    options.onResize = function (chart) {
      var position = legendPosition(breakpoint);
      if (chart.options.plugins.legend.position !== position) {
        chart.options.plugins.legend.position = position;
        chart.update("none");
      }
    };
    return config;
  }

  function draw(canvas, Chart) {
    if (!canvas.isConnected || Chart.getChart(canvas)) {
      return;
    }
    var source = document.getElementById(canvas.getAttribute("data-vanthu-chart"));
    if (!source) {
      return;
    }
    new Chart(canvas, prepare(JSON.parse(source.textContent)));
  }

  function drawAll(root) {
    var canvases = Array.prototype.slice.call((root || document).querySelectorAll(SELECTOR));
    if (root && root.matches && root.matches(SELECTOR)) {
      canvases.push(root);
    }
    if (!canvases.length) {
      return;
    }
    withChartLibrary(canvases[0].getAttribute("data-chart-library"), function (Chart) {
      Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
      Chart.defaults.color = "#495057"; // Bootstrap's $gray-700: 8:1 on white
      canvases.forEach(function (canvas) {
        draw(canvas, Chart);
      });
    });
  }

  document.addEventListener("htmx:afterSettle", function () {
    drawAll(document); // what is drawn already is skipped
  });
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    var element = event.target;
    if (window.Chart && element instanceof HTMLCanvasElement && element.hasAttribute("data-vanthu-chart")) {
      var chart = window.Chart.getChart(element);
      if (chart) {
        chart.destroy();
      }
    }
  });

  window.vanthuCharts = { drawAll: drawAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }
})();
