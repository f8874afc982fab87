// The public board: a print button (the page's print stylesheet lays the notice out on A4).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
