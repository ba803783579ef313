/* factsheet: Web Workers for pages opened from disk (file://).
 *
 * Browsers refuse `new Worker(url)` on a page opened from a file, and Material for MkDocs
 * runs its search in a worker. On file:// pages only, this script replaces `Worker` with
 * a stand-in that runs the worker's script in a hidden iframe of the same page and passes
 * messages both ways as a worker would: later, never during the call, and as copies.
 *
 * `factsheet bundle` lists this file in `extra.polyfills`. Its name contains
 * "iframe-worker", which tells Material's offline plugin that a local worker shim is
 * present, so the plugin adds no script from the network. Written for factsheet; it
 * implements what Material's search worker uses: postMessage, message and error events,
 * onmessage, terminate, and importScripts returning a promise.
 */
(function () {
  "use strict";

  if (location.protocol !== "file:" || window.FactsheetFileWorker) {
    return;
  }

  function copy(data) {
    return typeof structuredClone === "function" ? structuredClone(data) : JSON.parse(JSON.stringify(data));
  }

  function later(task) {
    setTimeout(task, 0);
  }

  function loadScript(scope, url) {
    return new Promise(function (resolve, reject) {
      var script = scope.document.createElement("script");
      script.src = url;
      script.onload = function () {
        resolve();
      };
      script.onerror = function () {
        reject(new Error("cannot load the worker script " + url));
      };
      (scope.document.head || scope.document.documentElement).appendChild(script);
    });
  }

  class FileWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._queue = [];
      this._started = false;
      this._frame = document.createElement("iframe");
      this._frame.hidden = true;
      this._frame.tabIndex = -1;
      this._frame.setAttribute("aria-hidden", "true");
      this._frame.title = "search worker";
      (document.body || document.documentElement).appendChild(this._frame);

      var worker = this;
      var scope = this._frame.contentWindow;
      var src = new URL(String(url), document.baseURI).href;
      // what the worker's script calls as globals: postMessage answers the page
      scope.postMessage = function (data) {
        var answer = copy(data);
        later(function () {
          worker._emit(new MessageEvent("message", { data: answer }));
        });
      };
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (done, next) {
          return done.then(function () {
            return loadScript(scope, new URL(next, src).href);
          });
        }, Promise.resolve());
      };

      loadScript(scope, src).then(
        function () {
          worker._started = true;
          worker._queue.splice(0).forEach(function (data) {
            worker._deliver(data);
          });
        },
        function (error) {
          worker._emit(new ErrorEvent("error", { message: error.message, error: error }));
        }
      );
    }

    postMessage(data) {
      var message = copy(data);
      if (this._started) {
        this._deliver(message);
      } else {
        this._queue.push(message);
      }
    }

    terminate() {
      this._queue = [];
      this._frame.remove();
    }

    _deliver(data) {
      var scope = this._frame.contentWindow;
      if (!scope) {
        return; // terminated
      }
      later(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
      });
    }

    _emit(event) {
      var handler = event.type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") {
        handler.call(this, event);
      }
      this.dispatchEvent(event);
    }
  }

  window.FactsheetFileWorker = FileWorker;
  window.Worker = FileWorker;
  // Material's search worker looks for this name to locate its language files
  window.IFrameWorker = FileWorker;
})();
