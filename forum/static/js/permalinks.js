// Thread pages: beside each comment's #number (already a link to its permanent address, which works
// without this script), a "Copy link" button that puts the address on the clipboard.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  var links = document.querySelectorAll("a.byline__number[data-permalink]");
  Array.prototype.forEach.call(links, function (link) {
    var address = link.getAttribute("data-permalink");
    var number = address.split("/").pop();
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button byline__copy";
    button.textContent = "Copy link";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " to comment #" + number;
    button.appendChild(hidden);
    var said = document.createElement("span");
    said.setAttribute("role", "status");
    said.className = "byline__copied";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(address).then(
        function () { said.textContent = "Link to comment #" + number + " copied"; },
        function () { said.textContent = "Could not copy: the link is the #" + number + " before this button"; }
      );
    });
    link.insertAdjacentText("afterend", " ");
    link.parentNode.insertBefore(said, link.nextSibling.nextSibling);
    link.parentNode.insertBefore(button, said);
  });
})();
