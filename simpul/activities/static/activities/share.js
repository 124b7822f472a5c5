// Share card through the phone's share sheet (WhatsApp, Instagram, Facebook) where the browser can share
// files (Web Share API level 2); everywhere else the download link stays the way to get the card.
(function () {
  "use strict";
  var button = document.getElementById("card-share");
  if (!button || !navigator.canShare || !window.File) return;
  var probe = new File([new Blob(["x"], { type: "image/png" })], "x.png", { type: "image/png" });
  if (!navigator.canShare({ files: [probe] })) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    fetch(button.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.blob(); })
      .then(function (blob) {
        var file = new File([blob], button.dataset.name, { type: "image/png" });
        return navigator.share({ files: [file], title: button.dataset.title });
      })
      .catch(function (error) {
        // The user closing the share sheet is not an error; anything else falls back to the download.
        if (error && error.name === "AbortError") return;
        document.getElementById("card-download").click();
      });
  });
})();
