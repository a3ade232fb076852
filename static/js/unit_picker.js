// Unit picker: clicking a search result fills the picker's hidden input (see pkk/forms.py UnitPickerWidget).
(function () {
  if (window.pkkUnitPicker) return;
  window.pkkUnitPicker = true;
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-unit-id]");
    var picker = option && option.closest("[data-unit-picker]");
    if (!picker) return;
    event.preventDefault();
    picker.querySelector("[data-unit-picker-value]").value = option.dataset.unitId;
    var label = picker.querySelector("[data-unit-picker-label]");
    label.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = option.dataset.unitLabel;
    label.appendChild(strong);
    var results = option.closest(".unit-results");
    if (results && results.parentNode) results.parentNode.innerHTML = "";
  });
})();
