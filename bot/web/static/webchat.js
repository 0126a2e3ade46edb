/* Alongside web chat: plain JavaScript on top of the Socket.IO client (socket.io.min.js).
 *
 * The conversation is chosen by the server from an HttpOnly cookie the page set; this script
 * never sees or sends a conversation id. Messages are shown with textContent only (links are
 * built as elements), so nothing a person or the bot writes can become markup. Every word
 * shown comes from the page (data- attributes on #chat), which comes from content/webchat.yml.
 */
(function () {
  "use strict";

  var chat = document.getElementById("chat");
  var log = document.getElementById("messages");
  var suggestions = document.getElementById("suggestions");
  var statusLine = document.getElementById("status");
  var form = document.getElementById("send");
  var input = document.getElementById("message");
  var texts = chat.dataset;
  var maxChars = parseInt(texts.maxChars, 10) || 4000;
  var LINK = /https?:\/\/[^\s<>"']+/g;
  var historyShown = false;

  // "Connected" is for screen readers mostly: on a small screen it is not shown (the CSS hides
  // .quiet there), so the conversation keeps the space; every other status is shown.
  function setStatus(text) {
    statusLine.textContent = text || "";
    statusLine.classList.toggle("quiet", text === texts.statusConnected);
  }

  function appendWithLinks(parent, text) {
    var last = 0;
    text.replace(LINK, function (match, offset) {
      var url = match.replace(/[.,;:!?)]+$/, "");
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = document.createElement("a");
      link.href = url;
      link.rel = "noopener noreferrer";
      link.textContent = url;
      parent.appendChild(link);
      last = offset + url.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function addMessage(from, text) {
    if (typeof text !== "string" || !text) {
      return;
    }
    var item = document.createElement("div");
    item.className = "message " + (from === "user" ? "user" : "bot");
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = (from === "user" ? texts.youSaid : texts.alongsideSaid) + " ";
    item.appendChild(who);
    appendWithLinks(item, text);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function clearSuggestions() {
    suggestions.textContent = "";
    suggestions.hidden = true;
  }

  function showSuggestions(replies) {
    clearSuggestions();
    if (!Array.isArray(replies)) {
      return;
    }
    replies.forEach(function (reply) {
      if (!reply || typeof reply.title !== "string" || !reply.title) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = reply.title;
      button.addEventListener("click", function () {
        send(reply.title);
        input.focus();
      });
      suggestions.appendChild(button);
    });
    suggestions.hidden = !suggestions.childElementCount;
  }

  var socket = io({ path: texts.socketPath, withCredentials: true });

  function send(text) {
    if (!text.trim()) {
      input.focus();
      return false;
    }
    if (text.length > maxChars) {
      setStatus(texts.statusTooLong);
      return false;
    }
    clearSuggestions();
    addMessage("user", text);
    // The server acknowledges after the last reply to this message (tests wait on data-turn).
    chat.dataset.turn = "waiting";
    socket.emit("user_uttered", { message: text }, function () {
      chat.dataset.turn = "done";
    });
    return true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (send(input.value)) {
      input.value = "";
    }
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  socket.on("connect", function () {
    setStatus(texts.statusConnected);
    if (!historyShown) {
      historyShown = true;
      socket.emit("history_request");
    }
  });

  socket.on("connect_error", function (error) {
    if (!socket.active) {
      // Refused by the server (no valid cookie): only a reload starts a new conversation.
      setStatus(texts.statusEnded);
      form.querySelector("button").disabled = true;
    } else {
      setStatus(texts.statusReconnecting);
    }
  });

  socket.on("disconnect", function (reason) {
    if (reason !== "io client disconnect") {
      setStatus(texts.statusReconnecting);
    }
  });

  // After a reload: the same messages, and the buttons still waiting for an answer (the
  // server sends them on that one message, and on none once the person has answered).
  socket.on("history", function (messages) {
    if (!Array.isArray(messages) || log.childElementCount) {
      return;
    }
    var pending = null;
    messages.forEach(function (message) {
      if (message) {
        addMessage(message.from, message.text);
        if (message.quick_replies) {
          pending = message.quick_replies;
        }
      }
    });
    if (pending) {
      showSuggestions(pending);
    }
  });

  // The person said something in another tab: the question these buttons asked is answered.
  socket.on("user_echo", function (message) {
    if (message) {
      clearSuggestions();
      addMessage("user", message.text);
    }
  });

  socket.on("bot_uttered", function (message) {
    if (!message) {
      return;
    }
    addMessage("bot", message.text);
    if (message.quick_replies) {
      showSuggestions(message.quick_replies);
    }
  });
})();
