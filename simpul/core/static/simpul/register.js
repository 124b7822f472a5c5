// Adds a member row to the household form by cloning Django's empty formset form.
(function () {
  var button = document.getElementById("add-member");
  var template = document.getElementById("member-template");
  var total = document.getElementById("id_members-TOTAL_FORMS");
  if (!button || !template || !total) return;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fieldset = holder.firstElementChild;
    document.getElementById("members").appendChild(fieldset);
    total.value = String(index + 1);
    var first = fieldset.querySelector("input, select");
    if (first) first.focus();
  });
})();
